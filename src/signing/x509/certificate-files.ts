// Reads certificates from files as IT staff hand them over: PEM (one or many), DER, or a PKCS#7
// (.p7b/.p7c) bundle in DER or PEM.
import { readFile } from 'node:fs/promises';
import * as pkijs from 'pkijs';
import { KysoError } from '../../shared/errors.js';

function fromPkcs7(der: Uint8Array): Uint8Array[] | undefined {
  try {
    const info = pkijs.ContentInfo.fromBER(der);
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) return undefined;
    const signed = new pkijs.SignedData({ schema: info.content });
    return (signed.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => new Uint8Array(c.toSchema().toBER(false)));
  } catch {
    return undefined;
  }
}

function isCertificate(der: Uint8Array): boolean {
  try {
    pkijs.Certificate.fromBER(der);
    return true;
  } catch {
    return false;
  }
}

/** Every certificate in the bytes of one file, as DER. */
export function parseCertificateBundle(bytes: Uint8Array, name = 'certificate file'): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  const pem = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  const blocks = pem.length > 0 ? pem.map((m) => new Uint8Array(Buffer.from(m[2] ?? '', 'base64'))) : [bytes];
  const out: Uint8Array[] = [];
  for (const der of blocks) {
    if (isCertificate(der)) out.push(der);
    else out.push(...(fromPkcs7(der) ?? []));
  }
  if (out.length === 0) {
    throw new KysoError('CERT_INVALID', `${name} holds no certificate (PEM, DER or PKCS#7 expected).`, {
      details: { path: name },
    });
  }
  return out;
}

export async function readCertificateFiles(paths: readonly string[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const p of paths) {
    let bytes: Buffer;
    try {
      bytes = await readFile(p);
    } catch (cause) {
      throw new KysoError('INPUT_NOT_FOUND', `Cannot read ${p}.`, { details: { path: p }, cause });
    }
    out.push(...parseCertificateBundle(bytes, p));
  }
  return out;
}
