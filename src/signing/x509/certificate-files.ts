// Reads certificates from files as IT staff hand them over: PEM (one or many), DER, or a PKCS#7
// (.p7b/.p7c) bundle in DER or PEM.
import { readFile } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';
import {
  DerError,
  Tag,
  assertWellFormed,
  children,
  encodedOf,
  isContext,
  isUniversal,
  oidOf,
  readDer,
  type DerNode,
} from '../asn1/der-reader.js';
import { readCertificateFields } from './certificate-info.js';

const SIGNED_DATA = '1.2.840.113549.1.7.2';

/** Runs `read`; malformed DER gives undefined instead of an exception. */
function tolerant<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

function isCertificate(node: DerNode): boolean {
  return tolerant(() => readCertificateFields(node)) !== undefined;
}

/**
 * ContentInfo ::= SEQUENCE { contentType (signedData), content [0] EXPLICIT SignedData }, and in
 * SignedData the `certificates [0] IMPLICIT SET OF CertificateChoices`: the choices that are
 * X.509 certificates, each as its own copy of the DER it was carried in (RFC 5652 §5.1).
 * Anything else holds none.
 */
function fromPkcs7(node: DerNode): Uint8Array[] {
  const found = tolerant(() => {
    if (!isUniversal(node, Tag.sequence) || !node.constructed) return [];
    const [contentType, content] = children(node);
    if (!isUniversal(contentType, Tag.objectIdentifier) || oidOf(contentType) !== SIGNED_DATA) return [];
    const signedData = isContext(content, 0) && content.constructed ? children(content)[0] : undefined;
    if (!isUniversal(signedData, Tag.sequence) || !signedData.constructed) return [];
    // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo, certificates [0]
    // IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos }
    const certificates = children(signedData).find((n) => isContext(n, 0) && n.constructed);
    if (certificates === undefined) return [];
    return children(certificates)
      .filter(isCertificate)
      .map((c) => new Uint8Array(encodedOf(c)));
  });
  return found ?? [];
}

/** The certificates of one DER (or BER) block: itself, or those of a PKCS#7 bundle. */
function certificatesOf(der: Uint8Array): Uint8Array[] {
  const node = tolerant(() => {
    const top = readDer(der); // bytes after the element are ignored, as pkijs ignored them
    assertWellFormed(top);
    return top;
  });
  if (node === undefined) return [];
  // a certificate followed by stray bytes is returned without them
  if (isCertificate(node)) return [node.end === der.length ? der : new Uint8Array(encodedOf(node))];
  return fromPkcs7(node);
}

/** Every certificate in the bytes of one file, as DER. */
export function parseCertificateBundle(bytes: Uint8Array, name = 'certificate file'): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  const pem = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  const blocks = pem.length > 0 ? pem.map((m) => new Uint8Array(Buffer.from(m[2] ?? '', 'base64'))) : [bytes];
  const out: Uint8Array[] = [];
  for (const der of blocks) out.push(...certificatesOf(der));
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
