// Checks every signed output the way the issue asks: the original is an exact byte prefix; qpdf finds
// no structural error; pdfsig says every signature is valid and the last covers the whole document;
// openssl verifies the CMS of the new signature against the signed bytes and the test root.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { SignPdfResult } from '../../src/signing/sign/sign-pdf.js';
import { TrustStore, verifyPdf } from '../../src/signing/verify/index.js';
import { pkiDir, pkiFile } from './fixtures.js';
import { pdfsigVerify } from './pdfsig.js';
import { opensslCmsVerify } from '../servers/test-pki.js';

const run = promisify(execFile);

export async function qpdfCheck(file: string): Promise<void> {
  // qpdf exits 0 (clean) or 3 (warnings only); 2 is an error.
  const r = await run('qpdf', ['--check', file]).catch(
    (e: { code?: number; stdout?: string; stderr?: string }) => e,
  );
  const code = (r as { code?: number }).code ?? 0;
  expect(
    code,
    `qpdf --check ${file}: ${(r as { stdout?: string }).stdout ?? ''} ${(r as { stderr?: string }).stderr ?? ''}`,
  ).not.toBe(2);
}

/** The DER element at the start of `padded`, by its declared length. */
export function derPrefix(padded: Buffer): Buffer {
  const first = padded[1] ?? 0;
  if (first < 0x80) return padded.subarray(0, 2 + first);
  const n = first & 0x7f;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + (padded[2 + i] ?? 0);
  return padded.subarray(0, 2 + n + length);
}

export async function opensslVerifyCms(
  output: string,
  result: Pick<SignPdfResult, 'byteRange'>,
): Promise<void> {
  const bytes = readFileSync(output);
  const [a, b, c, d] = result.byteRange;
  const signed = Buffer.concat([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);
  // /Contents is the DER padded with zeros: cut it at the length its outer SEQUENCE declares
  // (stripping trailing zeros would also cut a signature that happens to end in 00).
  const cms = derPrefix(Buffer.from(bytes.subarray(a + b + 1, c - 1).toString('latin1'), 'hex'));
  const { code, stderr } = await opensslCmsVerify(cms, signed, pkiFile('root-ca.pem'));
  expect(code, stderr).toBe(0);
  expect(stderr).toContain('Verification successful');
}

export function expectPrefix(original: string, output: string): void {
  const a = readFileSync(original);
  const b = readFileSync(output);
  expect(b.length).toBeGreaterThan(a.length);
  expect(b.subarray(0, a.length).equals(a), `${original} is not a byte prefix of ${output}`).toBe(true);
}

/** pdfsig: `count` signatures, all valid, the last one covering the whole document. */
export async function expectPdfsigValid(file: string, count: number): Promise<void> {
  const report = await pdfsigVerify(file, path.join(pkiDir(), 'nssdb'));
  // Empty signature fields are listed too ("The signature form field is not signed."): skip them.
  const signed = report.signatures.filter((s) => !/form field is not signed/.test(s.signatureValidation));
  expect(signed.length, report.raw).toBe(count);
  for (const s of signed) expect(s.valid, `${file} #${s.index}: ${s.signatureValidation}`).toBe(true);
  expect(signed.at(-1)?.totalDocumentSigned, report.raw).toBe(true);
}

/**
 * Kyso's own verifier: no signature invalid, and the newest one valid against the test root (the
 * intermediate is given too, for signers such as poppler that embed only their own certificate).
 */
export async function expectKysoVerifies(file: string): Promise<void> {
  const trust = TrustStore.fromCertificates(
    [readFileSync(pkiFile('root-ca.der')), readFileSync(pkiFile('intermediate-ca.der'))],
    'test-pki',
  );
  const report = await verifyPdf({ input: file, trust, lang: 'en' });
  const summary = report.signatures.map((x) => `#${x.index} ${x.status} ${x.reason}`).join('; ');
  for (const sig of report.signatures) expect(sig.status, summary).not.toBe('invalid');
  expect(report.signatures.at(-1)?.status, summary).toBe('valid');
}

export async function checkSignedOutput(
  input: string,
  output: string,
  result: SignPdfResult,
  signatures: number,
): Promise<void> {
  expectPrefix(input, output);
  await expectKysoVerifies(output);
  await qpdfCheck(output);
  await expectPdfsigValid(output, signatures);
  await opensslVerifyCms(output, result);
}
