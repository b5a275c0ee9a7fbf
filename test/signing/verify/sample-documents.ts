// Test documents for the verifier, made here byte by byte (nothing binary is committed): a one-page
// "decision" whose page already holds what the shadow attacks need before signing (text hidden
// under an opaque XObject, an unused content stream, optional content switched off, an annotation),
// and helpers to sign it with the test PKI, to tamper with bytes and to append incremental updates.
import { readFileSync, writeFileSync } from 'node:fs';
import { signPdf, type PdfSignOptions } from '../../../src/signing/sign/sign-pdf.js';
import { openP12 } from '../../../src/signing/identity/index.js';
import { IncrementalUpdate, PdfReader } from '../../../src/signing/pdf/index.js';
import { TrustStore } from '../../../src/signing/verify/trust-store.js';
import { pkiFile } from '../../support/fixtures.js';

/** Object numbers of the sample document, for the attacks that replace them. */
export const OBJ = {
  catalog: 1,
  pages: 2,
  page: 3,
  contents: 4,
  font: 5,
  cover: 6,
  shadowContents: 7,
  ocg: 8,
  annotation: 9,
  ocProperties: 10,
  annotationAppearance: 11,
} as const;

export const VISIBLE_TEXT = 'QUYET DINH: cap phep so 12/2026';
export const HIDDEN_TEXT = 'SO TIEN: 900.000.000 VND';

function stream(dict: string, data: string): string {
  return `<< ${dict} /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`;
}

/**
 * A one-page PDF (classic cross-reference): visible text; hidden text covered by an opaque white
 * form XObject (/Cover); hidden text in an optional content group that is OFF; an unreferenced
 * alternative content stream; a square annotation with an appearance.
 */
export function shadowReadyPdf(): Buffer {
  const content = [
    'BT /F1 16 Tf 72 760 Td (' + VISIBLE_TEXT + ') Tj ET',
    'BT /F1 16 Tf 72 700 Td (' + HIDDEN_TEXT + ') Tj ET',
    'q /Cover Do Q',
    '/OC /OC1 BDC BT /F1 16 Tf 72 640 Td (' + HIDDEN_TEXT + ') Tj ET EMC',
  ].join('\n');
  const cover = stream('/Type /XObject /Subtype /Form /BBox [0 0 595 842]', '1 1 1 rg 60 690 480 30 re f');
  const shadow = stream('', 'BT /F1 16 Tf 72 760 Td (' + HIDDEN_TEXT + ') Tj ET');
  const objects: Record<number, string> = {
    [OBJ.catalog]: `<< /Type /Catalog /Pages ${OBJ.pages} 0 R /OCProperties ${OBJ.ocProperties} 0 R >>`,
    [OBJ.pages]: `<< /Type /Pages /Kids [${OBJ.page} 0 R] /Count 1 >>`,
    [OBJ.page]:
      `<< /Type /Page /Parent ${OBJ.pages} 0 R /MediaBox [0 0 595 842] /Contents ${OBJ.contents} 0 R ` +
      `/Resources << /Font << /F1 ${OBJ.font} 0 R >> /XObject << /Cover ${OBJ.cover} 0 R >> /Properties << /OC1 ${OBJ.ocg} 0 R >> >> ` +
      `/Annots [${OBJ.annotation} 0 R] >>`,
    [OBJ.contents]: stream('', content),
    [OBJ.font]: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    [OBJ.cover]: cover,
    [OBJ.shadowContents]: shadow,
    [OBJ.ocg]: '<< /Type /OCG /Name (Layer) >>',
    [OBJ.annotation]: `<< /Type /Annot /Subtype /Square /Rect [400 100 500 150] /F 4 /AP << /N ${OBJ.annotationAppearance} 0 R >> >>`,
    [OBJ.ocProperties]: `<< /OCGs [${OBJ.ocg} 0 R] /D << /Order [${OBJ.ocg} 0 R] /OFF [${OBJ.ocg} 0 R] >> >>`,
    [OBJ.annotationAppearance]: stream(
      '/Type /XObject /Subtype /Form /BBox [0 0 100 50]',
      '0 0 1 RG 2 w 1 1 98 48 re S',
    ),
  };
  const count = Object.keys(objects).length + 1;
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let n = 1; n < count; n++) {
    offsets[n] = Buffer.byteLength(out, 'latin1');
    out += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let n = 1; n < count; n++) out += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${count} /Root ${OBJ.catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export type IdentityId =
  | 'chairman-rsa2048'
  | 'deputy-p256'
  | 'agency-rsa3072'
  | 'clerk-p384'
  | 'expired-rsa2048'
  | 'notyet-rsa2048'
  | 'nosign-rsa2048'
  | 'revoked-rsa2048';

/** Signs `input` into `output` with a test identity's .p12. */
export async function signAs(
  id: IdentityId,
  input: string,
  output: string,
  options: PdfSignOptions = {},
): Promise<void> {
  const signer = await openP12(pkiFile(`${id}.p12`), 'kyso-p12');
  await signPdf({ input, output, signer, options });
}

/** The test PKI's root as the only trust anchor (the intermediate comes from the CMS). */
export function testTrust(): TrustStore {
  return TrustStore.fromCertificates([new Uint8Array(readFileSync(pkiFile('root-ca.der')))], 'test root');
}

/** Appends an incremental update made by `build` to `file` (written to `output`). */
export async function appendUpdate(
  file: string,
  output: string,
  build: (reader: PdfReader, update: IncrementalUpdate) => Promise<void>,
): Promise<void> {
  const reader = await PdfReader.open(file);
  try {
    const update = new IncrementalUpdate(reader);
    await build(reader, update);
    writeFileSync(output, Buffer.concat([readFileSync(file), update.serialize().bytes]));
  } finally {
    await reader.close();
  }
}

/** The signed file's /ByteRange and the offsets of its /Contents gap. */
export function lastByteRange(bytes: Buffer): [number, number, number, number] {
  const all = [
    ...bytes.toString('latin1').matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g),
  ];
  const m = all.at(-1);
  if (!m) throw new Error('no /ByteRange');
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
}

/** A copy of `file` with one byte changed at `offset` (written to `output`). */
export function flipByte(file: string, output: string, offset: number): void {
  const bytes = readFileSync(file);
  bytes[offset] = bytes[offset]! ^ 0x01;
  writeFileSync(output, bytes);
}

/** A copy of `file` with the hexadecimal digit at `offset` replaced by another one. */
export function changeHexDigit(file: string, output: string, offset: number): void {
  const bytes = readFileSync(file);
  const c = String.fromCharCode(bytes[offset]!);
  if (!/[0-9a-fA-F]/.test(c)) throw new Error(`no hex digit at ${offset}`);
  bytes[offset] = (c === '7' ? '8' : '7').charCodeAt(0);
  writeFileSync(output, bytes);
}
