// Signed results for the upload tests: small one-page PDFs, each with its own text (so each is a
// distinct document), signed through the engine with the test PKI's chairman .p12 identity, and the
// settings and trust the tests need.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openP12 } from '../../src/signing/identity/index.js';
import { signPdf } from '../../src/signing/sign/sign-pdf.js';
import { TrustStore } from '../../src/signing/verify/trust-store.js';
import { pkiFile } from '../support/fixtures.js';

export const DOSSIER = '000.00.01.H22-261126-0001';

export function testTrust(): TrustStore {
  return TrustStore.fromCertificates([new Uint8Array(readFileSync(pkiFile('root-ca.der')))], 'test root');
}

/** A minimal one-page PDF written directly (pdf-lib takes longer than the signature itself). */
function onePage(text: string, padBytes = 0): Buffer {
  // Padding (a comment in the page content) makes a big document when a test needs one.
  const content = `${padBytes > 0 ? `%${' '.repeat(padBytes)}\n` : ''}BT /F1 14 Tf 72 760 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** `count` signed results in `dir` (result-0000.pdf…): distinct, each validly signed. */
export async function makeSignedResults(
  dir: string,
  count: number,
  prefix = 'result',
  padBytes = 0,
): Promise<string[]> {
  mkdirSync(path.join(dir, '.plain'), { recursive: true });
  const signer = await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12');
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${String(i).padStart(4, '0')}.pdf`;
    const plain = path.join(dir, '.plain', name);
    writeFileSync(plain, onePage(`Quyet dinh so ${i}/QD-UBND - ${prefix}`, padBytes));
    const output = path.join(dir, name);
    await signPdf({ input: plain, output, signer, options: { reason: 'Kyso upload test' } });
    files.push(output);
  }
  return files;
}

/** settings.json for a data folder: the upload section (and anything else) as given. */
export function writeSettings(home: string, upload: Record<string, unknown>): void {
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ upload }, null, 2));
}

/** Puts the test root into a data folder's managed trust store, so verification on queueing trusts it. */
export function trustTestRoot(home: string): void {
  mkdirSync(path.join(home, 'trust'), { recursive: true });
  writeFileSync(path.join(home, 'trust', 'test-root.der'), readFileSync(pkiFile('root-ca.der')));
}
