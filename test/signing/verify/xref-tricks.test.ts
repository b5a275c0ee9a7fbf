// Cross-reference tricks after a signature (xref-trick-samples.ts): every variant, generated, must
// come out not valid, naming the revision and the objects; benign later revisions stay valid.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfDict, PdfRef, PdfStream } from '../../../src/signing/pdf/index.js';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import { expectPdfsigValid, qpdfCheck } from '../../support/signed-output.js';
import { appendUpdate, OBJ, shadowReadyPdf, signAs, testTrust } from './sample-documents.js';
import { buildXrefTricks, type XrefTrickSample } from './xref-trick-samples.js';

let dir = '';
let signed = '';
let amended = '';
let twice = '';
let samples: XrefTrickSample[] = [];

/** Words of the English description that identify each trick. */
const PHRASES: Record<string, string> = {
  'wrong-object': 'points at the bytes of object',
  'into-signed': 'points back into the signed part',
  generation: 'changes generation',
  'defined-twice': 'defined twice',
  'stream-index': 'into object stream',
  'hybrid-disagrees': 'hybrid file',
  'prev-gap': 'skips the previous revision',
  'no-prev': 'has no /Prev',
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-xref-'));
  const base = path.join(dir, 'base.pdf');
  writeFileSync(base, shadowReadyPdf());
  signed = path.join(dir, 'signed.pdf');
  await signAs('chairman-rsa2048', base, signed);
  // The same document amended by an unsigned update before signing: its first page content
  // definition stays in the signed bytes, under the same object number.
  const draft = path.join(dir, 'draft.pdf');
  await appendUpdate(base, draft, async (_reader, u) => {
    u.set(
      new PdfRef(OBJ.contents, 0),
      PdfStream.fromBytes(new PdfDict(), Buffer.from('BT /F1 16 Tf 72 760 Td (AMENDED) Tj ET', 'latin1')),
    );
  });
  amended = path.join(dir, 'amended.pdf');
  await signAs('chairman-rsa2048', draft, amended);
  twice = path.join(dir, 'twice.pdf');
  await signAs('deputy-p256', signed, twice);
  samples = await buildXrefTricks(signed, amended, dir);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('benign documents', () => {
  it('signed once, signed after an unsigned update, and signed twice are valid with no cross-reference finding', async () => {
    for (const file of [signed, amended, twice]) {
      const report = await verifyPdf({ input: file, trust: testTrust(), lang: 'en' });
      expect(report.status, file).toBe('valid');
      const kinds = report.signatures.flatMap((s) => s.changesAfter.map((c) => c.kind));
      expect(kinds, file).not.toContain('cross-reference-changed');
      await qpdfCheck(file);
    }
    const report = await verifyPdf({ input: twice, trust: testTrust(), lang: 'en' });
    expect(report.signatures).toHaveLength(2);
    await expectPdfsigValid(twice, 2);
  });
});

describe('cross-reference tricks', () => {
  it('generates every variant', () => {
    expect(samples.map((s) => s.name).sort()).toEqual(
      [
        'xref-defined-twice',
        'xref-free-entry',
        'xref-generation-changed',
        'xref-hybrid-disagrees',
        'xref-needs-repair',
        'xref-no-prev',
        'xref-object-stream-index',
        'xref-points-at-appended-object',
        'xref-points-at-nothing',
        'xref-points-at-other-object',
        'xref-points-into-signed-bytes',
        'xref-prev-gap',
        'xref-prev-loop',
      ].sort(),
    );
  });

  for (const name of [
    'xref-points-at-other-object',
    'xref-points-at-appended-object',
    'xref-points-at-nothing',
    'xref-points-into-signed-bytes',
    'xref-generation-changed',
    'xref-free-entry',
    'xref-defined-twice',
    'xref-object-stream-index',
    'xref-hybrid-disagrees',
    'xref-prev-loop',
    'xref-prev-gap',
    'xref-no-prev',
    'xref-needs-repair',
  ]) {
    it(`${name} is not valid and names the revision${name === 'xref-free-entry' ? '' : ' and the trick'}`, async () => {
      const sample = samples.find((s) => s.name === name);
      expect(sample, name).toBeDefined();
      const report = await verifyPdf({ input: sample!.file, trust: testTrust(), lang: 'en' });
      expect(report.status).not.toBe('valid');
      expect(report.signatures.length).toBeGreaterThan(0);
      for (const s of report.signatures) expect(s.status, s.reason).not.toBe('valid');
      const disallowed = report.signatures.flatMap((s) => s.changesAfter).filter((c) => !c.allowed);
      expect(disallowed.length).toBeGreaterThan(0);
      for (const c of disallowed) expect(c.description).toContain(`Revision ${c.revision}`);
      // The trick is the last revision, after every signature (a chain trick can hide a revision).
      const last = report.revisions;
      for (const s of report.signatures) expect(s.coverage.revision).toBeLessThan(last);
      expect(disallowed.some((c) => c.revision === last)).toBe(true);
      if (name === 'xref-free-entry') return; // an object removed: named by the object comparison
      const tricks = disallowed.filter((c) => c.kind === 'cross-reference-changed');
      expect(tricks.map((c) => c.revision)).toContain(last);
      if (sample!.trick !== undefined) {
        const phrase = PHRASES[sample!.trick]!;
        const named = tricks.find((c) => c.description.includes(phrase));
        expect(named, `${name}: ${tricks.map((c) => c.description).join(' | ')}`).toBeDefined();
        if (sample!.object !== undefined) expect(named!.description).toContain(`object ${sample!.object}`);
      }
    });
  }

  it('says it in Vietnamese too', async () => {
    const sample = samples.find((s) => s.name === 'xref-points-at-other-object')!;
    const report = await verifyPdf({ input: sample.file, trust: testTrust() });
    const c = report.signatures[0]!.changesAfter.find((x) => x.kind === 'cross-reference-changed');
    expect(c?.description).toContain('Phiên bản 3');
    expect(c?.description).toContain(`đối tượng ${OBJ.contents}`);
  });
});
