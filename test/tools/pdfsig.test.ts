// test/support/pdfsig.ts on real pdfsig reports: a file signed by pdfsig itself (through
// fixtures/pdf/pdfsig-sign.sh and the SoftHSM "Kyso Bench" token), incremental-saving attacks
// (valid, but not covering the whole file), an unsigned file, and report shapes seen on the corpus
// (test/corpus).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPdfDir } from '../signing/pdf/corpus.js';
import { UNSIGNED_FIELD, parsePdfsigReport, pdfsigSign, pdfsigVerify } from '../support/pdfsig.js';

const CHAIRMAN_CN = 'Nguyễn Thị Hồng Nhung';
// An incremental-saving attack from the PDFBox test area (test/corpus): pdfsig calls its signature valid.
const CORPUS_ATTACK = path.join(corpusPdfDir, 'attacks/testarea-pdfbox2/pdfbox2/sign/isa_A.pdf');

let work = '';
let fixtures = '';
let nssdb = '';
const file = (name: string): string => path.join(work, name);

async function writeUnsignedPdf(out: string): Promise<void> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Kyso pdfsig test', {
    x: 50,
    y: 780,
    size: 20,
    font: await doc.embedFont(StandardFonts.Helvetica),
  });
  fs.writeFileSync(out, await doc.save({ useObjectStreams: false }));
}

/** Appends an incremental update (one new object) after the signed revision of a classic-xref PDF. */
function appendIncrementalUpdate(input: string, output: string): void {
  const bytes = fs.readFileSync(input);
  const text = bytes.toString('latin1');
  const prev = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  const trailers = [...text.matchAll(/trailer\s*<<([\s\S]*?)>>/g)];
  const trailer = trailers[trailers.length - 1]?.[1] ?? '';
  const size = /\/Size (\d+)/.exec(trailer);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer);
  if (prev === null || size === null || root === null) throw new Error(`${input}: no classic trailer`);
  const num = Number(size[1]);
  let update = '\n';
  const objOffset = bytes.length + update.length;
  update += `${num} 0 obj\n(added after signing)\nendobj\n`;
  const xrefOffset = bytes.length + update.length;
  update +=
    `xref\n${num} 1\n${String(objOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${num + 1} /Root ${root[1]} /Prev ${prev[1]} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  fs.writeFileSync(output, Buffer.concat([bytes, Buffer.from(update, 'latin1')]));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-pdfsig-'));
  const shared = process.env['KYSO_TEST_FIXTURES'];
  if (shared) {
    fixtures = shared;
  } else {
    fixtures = path.join(work, 'fixtures'); // removed with `work`
    execFileSync('bash', [path.resolve(import.meta.dirname, '../../fixtures/pki/make-all.sh'), fixtures], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  nssdb = path.join(fixtures, 'pki', 'nssdb');
  await writeUnsignedPdf(file('unsigned.pdf'));
  await pdfsigSign(fixtures, file('unsigned.pdf'), file('pdfsig-signed.pdf'), [
    '-new-signature-field-name',
    'Sig1',
  ]);
  appendIncrementalUpdate(file('pdfsig-signed.pdf'), file('pdfsig-signed-then-updated.pdf'));
});

afterAll(() => {
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('pdfsigVerify', () => {
  it('reads a file signed by pdfsig with the SoftHSM key', async () => {
    const report = await pdfsigVerify(file('pdfsig-signed.pdf'), nssdb);
    expect(report.exitCode).toBe(0);
    expect(report.signatures).toHaveLength(1);
    const [sig] = report.signatures;
    expect(sig).toMatchObject({
      index: 1,
      fieldName: 'Sig1',
      signerCommonName: CHAIRMAN_CN,
      hashAlgorithm: 'SHA-256',
      signatureType: 'adbe.pkcs7.detached',
      totalDocumentSigned: true,
      signatureValidation: 'Signature is Valid.',
      valid: true,
      otherLines: [],
    });
    expect(sig?.signerDN).toContain(`CN=${CHAIRMAN_CN},`);
    expect(sig?.signedRanges).toMatch(/^\[0 - \d+\], \[\d+ - \d+\]$/);
    expect(sig?.signingTime).toMatch(/^[A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}$/);
    // Kept as printed, not interpreted (22.12 may say "Unknown issue ..." even for a good chain).
    expect(typeof sig?.certificateValidation).toBe('string');
    expect(report.raw).toContain(`Signer Certificate Common Name: ${CHAIRMAN_CN}\n`);
  });

  it('reports an incremental update after the signature as valid but not covering the file', async () => {
    const report = await pdfsigVerify(file('pdfsig-signed-then-updated.pdf'), nssdb);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ index: 1, valid: true, totalDocumentSigned: false });
    expect(report.raw).toContain('  - Not total document signed\n');
  });

  it('reads an attack file of test/corpus: valid, not total document signed', async () => {
    const report = await pdfsigVerify(CORPUS_ATTACK, nssdb);
    expect(report.exitCode).toBe(0);
    expect(report.signatures).toHaveLength(1);
    const [sig] = report.signatures;
    expect(sig).toMatchObject({ index: 1, valid: true, totalDocumentSigned: false });
    expect(sig?.signerCommonName).toBeTruthy();
    expect(sig?.signedRanges).toMatch(/^\[0 - \d+\], \[\d+ - \d+\]$/);
    expect(sig?.certificateValidation).toBeTruthy();
  });

  it('returns no signatures for an unsigned file, with pdfsig exit code 2', async () => {
    const report = await pdfsigVerify(file('unsigned.pdf'), nssdb);
    expect(report.signatures).toEqual([]);
    expect(report.exitCode).toBe(2);
    expect(report.raw).toContain(`File '${file('unsigned.pdf')}' does not contain any signatures`);
  });

  it('rejects when pdfsig cannot read the file', async () => {
    fs.writeFileSync(file('not-a-pdf.pdf'), 'this is not a PDF\n');
    await expect(pdfsigVerify(file('not-a-pdf.pdf'), nssdb)).rejects.toThrow(/pdfsig could not report/);
    await expect(pdfsigVerify(file('missing.pdf'), nssdb)).rejects.toThrow(/pdfsig could not report/);
  });
});

describe('parsePdfsigReport', () => {
  it('parses the other shapes seen on the corpus', () => {
    // Shapes from poppler 22.12 on pyHanko/PDFBox/iText files: an empty field, a signature without
    // /ByteRange nor certificate, an unsupported hash, and a second signature after them.
    const raw = [
      'Digital Signature Info of: x.pdf',
      'Signature #1:',
      '  - Signature Field Name: Signature2',
      '  The signature form field is not signed.',
      'Signature #2:',
      '  - Signature Field Name: Signature1',
      '  - Signer Certificate Common Name: (null)',
      '  - Signer full Distinguished Name: (null)',
      '  - Signing Time: Aug 09 2018 07:21:10',
      '  - Signing Hash Algorithm: unknown',
      '  - Signature Type: adbe.pkcs7.detached',
      '  - Signature Validation: Signature has not yet been verified.',
      'Signature #3:',
      '  - Signature Field Name: Signature',
      'ERROR: Unrecognized Hash ID',
      '  - Signer Certificate Common Name: Alice McFoo',
      '  - Signer full Distinguished Name: CN=Alice McFoo,title=Document Signer,O=PDF Association',
      '  - Signing Time: Oct 25 2022 22:25:09',
      '  - Signing Hash Algorithm: unknown',
      '  - Signature Type: adbe.pkcs7.detached',
      '  - Signed Ranges: [0 - 8074], [14426 - 15760]',
      '  - Total document signed',
      '  - Signature Validation: Unknown Validation Failure.',
      '',
    ].join('\n');
    const sigs = parsePdfsigReport(raw);
    expect(sigs.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(sigs[0]).toEqual({
      index: 1,
      fieldName: 'Signature2',
      totalDocumentSigned: false,
      signatureValidation: UNSIGNED_FIELD,
      valid: false,
      otherLines: [],
    });
    expect(sigs[1]?.signerCommonName).toBeUndefined();
    expect(sigs[1]?.signerDN).toBeUndefined();
    expect(sigs[1]?.signedRanges).toBeUndefined();
    expect(sigs[1]).toMatchObject({ valid: false, totalDocumentSigned: false, hashAlgorithm: 'unknown' });
    expect(sigs[2]).toMatchObject({
      signerCommonName: 'Alice McFoo',
      signedRanges: '[0 - 8074], [14426 - 15760]',
      totalDocumentSigned: true,
      signatureValidation: 'Unknown Validation Failure.',
      valid: false,
      otherLines: ['ERROR: Unrecognized Hash ID'],
    });
    expect(sigs[2]?.certificateValidation).toBeUndefined();
  });

  it('finds no signatures in the "does not contain any signatures" report', () => {
    expect(parsePdfsigReport("File 'a.pdf' does not contain any signatures\n")).toEqual([]);
  });
});
