// DocMDP (ISO 32000-1 §12.8.2.2): what a certification signature allows after it. A DSS is always
// allowed; a later signature needs P ≥ 2; annotations need P = 3. Without certification, only
// signatures, DSS and timestamps may follow (filling forms or annotating is a change).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfStream, pdfArray, pdfDict, pdfInt, pdfName, PdfRef } from '../../../src/signing/pdf/index.js';
import type { CertifyLevel } from '../../../src/signing/sign/sign-pdf.js';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import { pkiFile } from '../../support/fixtures.js';
import { addDss } from './attack-samples.js';
import { appendUpdate, OBJ, shadowReadyPdf, signAs, testTrust } from './sample-documents.js';

let dir = '';
let base = '';
const file = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-docmdp-'));
  base = file('base.pdf');
  writeFileSync(base, shadowReadyPdf());
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function certified(level: CertifyLevel | undefined, name: string): Promise<string> {
  const out = file(name);
  await signAs('chairman-rsa2048', base, out, level ? { certify: level } : {});
  return out;
}

/** An update that redraws the page's square annotation (a comment edited after signing). */
async function editAnnotation(input: string, output: string): Promise<void> {
  await appendUpdate(input, output, async (_reader, u) => {
    u.set(
      new PdfRef(OBJ.annotationAppearance, 0),
      PdfStream.fromBytes(
        pdfDict({
          Type: pdfName('XObject'),
          Subtype: pdfName('Form'),
          BBox: pdfArray(pdfInt(0), pdfInt(0), pdfInt(100), pdfInt(50)),
        }),
        Buffer.from('1 0 0 RG 3 w 1 1 98 48 re S', 'latin1'),
      ),
    );
  });
}

async function firstSignature(
  input: string,
): Promise<{ status: string; changes: Array<[string, boolean]>; certification?: number }> {
  const report = await verifyPdf({ input, trust: testTrust(), lang: 'en' });
  const s = report.signatures[0]!;
  return {
    status: s.status,
    changes: s.changesAfter.map((c) => [c.kind, c.allowed]),
    ...(s.certification !== undefined ? { certification: s.certification } : {}),
  };
}

const DSS = {
  certificates: [pkiFile('intermediate-ca.der')],
  crls: [pkiFile('intermediate-ca.crl.der'), pkiFile('root-ca.crl.der')],
};

describe('what a certification allows', () => {
  it('P=1 (no changes): a DSS is still allowed, an annotation is not', async () => {
    const doc = await certified('no-changes', 'p1.pdf');
    await addDss(doc, file('p1-dss.pdf'), DSS);
    expect(await firstSignature(file('p1-dss.pdf'))).toMatchObject({
      status: 'valid',
      certification: 1,
      changes: [['dss-updated', true]],
    });
    await editAnnotation(doc, file('p1-annot.pdf'));
    expect(await firstSignature(file('p1-annot.pdf'))).toMatchObject({
      status: 'invalid',
      changes: [['annotation-changed', false]],
    });
  });

  it('P=2 (forms, signing): another signature is allowed, an annotation is not', async () => {
    const doc = await certified('form-fill', 'p2.pdf');
    await signAs('clerk-p384', doc, file('p2-signed.pdf'));
    expect(await firstSignature(file('p2-signed.pdf'))).toMatchObject({
      status: 'valid',
      certification: 2,
      changes: [['signature-added', true]],
    });
    await editAnnotation(doc, file('p2-annot.pdf'));
    expect((await firstSignature(file('p2-annot.pdf'))).status).toBe('invalid');
  });

  it('P=3 (annotations): an edited annotation is allowed', async () => {
    const doc = await certified('annotations', 'p3.pdf');
    await editAnnotation(doc, file('p3-annot.pdf'));
    expect(await firstSignature(file('p3-annot.pdf'))).toMatchObject({
      status: 'valid',
      certification: 3,
      changes: [['annotation-changed', true]],
    });
  });

  it('no certification: later signatures are allowed, annotations are not', async () => {
    const doc = await certified(undefined, 'approval.pdf');
    await signAs('clerk-p384', doc, file('approval-signed.pdf'));
    expect((await firstSignature(file('approval-signed.pdf'))).status).toBe('valid');
    await editAnnotation(doc, file('approval-annot.pdf'));
    expect(await firstSignature(file('approval-annot.pdf'))).toMatchObject({
      status: 'invalid',
      changes: [['annotation-changed', false]],
    });
  });
});
