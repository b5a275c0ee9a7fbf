// Verifies a CMS SignerInfo (RFC 5652 §5.4, §5.6): the messageDigest attribute against the hash of
// the signed content (for PDF signatures, the byte ranges streamed from the file), the signature
// value with the signer certificate's key (RSA PKCS#1 v1.5, RSA-PSS, ECDSA), and the ESS
// signing-certificate(-v2) binding that stops a signer certificate from being swapped.
import { constants, createHash, createPublicKey, publicDecrypt } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  bytesEqual,
  subjectKeyIdentifier,
  type CertificatePool,
  type PoolCertificate,
} from './certificate-pool.js';
import type { CmsSignature, SignerId } from './cms-signature.js';
import {
  children as derChildren,
  DerError,
  encodedOf,
  integerBytesOf,
  isContext,
  readDer,
} from '../asn1/der-reader.js';
import { verifySignatureOverChunks, verifySignatureValue } from './public-key-signature.js';
import { signatureMethod, type HashName, type SignatureMethod } from './signature-algorithms.js';

/** The content a SignerInfo signs: hashed on demand (each hash computed once). */
export interface SignedContent {
  digest(hash: HashName): Promise<Uint8Array>;
  feed(onChunk: (chunk: Uint8Array) => void): Promise<void>;
}

export function inMemoryContent(bytes: Uint8Array): SignedContent {
  return {
    digest: (hash) => Promise.resolve(new Uint8Array(createHash(hash).update(bytes).digest())),
    feed: (onChunk) => {
      onChunk(bytes);
      return Promise.resolve();
    },
  };
}

/** IssuerAndSerialNumber of a certificate: its tbsCertificate's issuer Name and serial, as encoded. */
function issuerAndSerial(der: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } | undefined {
  try {
    const [tbs] = derChildren(readDer(der));
    if (tbs === undefined) return undefined;
    const fields = derChildren(tbs);
    const at = isContext(fields[0], 0) ? 1 : 0; // version [0] EXPLICIT, absent for v1
    const serial = fields[at];
    const issuer = fields[at + 2];
    if (serial === undefined || issuer === undefined) return undefined;
    return { issuer: encodedOf(issuer), serial: integerBytesOf(serial) };
  } catch (err) {
    if (err instanceof DerError) return undefined;
    throw err;
  }
}

function sidMatches(sid: SignerId, c: PoolCertificate): boolean {
  if (sid.kind === 'issuer-serial') {
    const own = issuerAndSerial(c.der);
    if (own === undefined || !bytesEqual(own.serial, sid.serial)) return false;
    if (bytesEqual(own.issuer, sid.issuer)) return true;
    // The same name can be encoded differently (string types, as another tool re-encoded it):
    // compared as pkijs compares names, attribute by attribute.
    const named = pkijs.RelativeDistinguishedNames.fromBER(sid.issuer);
    return c.cert.issuer.isEqual(named);
  }
  if (sid.kind !== 'key-id') return false;
  const ski = subjectKeyIdentifier(c.cert);
  if (ski !== undefined) return bytesEqual(ski, sid.keyId);
  const spkiHash = createHash('sha1')
    .update(c.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .digest();
  return bytesEqual(spkiHash, sid.keyId);
}

/** The certificate the SignerInfo names (sid), looked up in `pool`. */
export function findSignerCertificate(cms: CmsSignature, pool: CertificatePool): PoolCertificate | undefined {
  return pool.all().find((c) => sidMatches(cms.signerId, c));
}

export type CmsIntegrity =
  | { readonly result: 'passed' }
  | { readonly result: 'failed'; readonly reason: 'mismatch' | 'no-message-digest' | 'content-type' }
  | { readonly result: 'not-checked'; readonly reason: 'unsupported-digest' | 'no-signed-attributes' };

export type CmsCryptoResult =
  | { readonly result: 'passed'; readonly method: SignatureMethod }
  | { readonly result: 'failed'; readonly method: SignatureMethod }
  | {
      readonly result: 'not-checked';
      readonly reason: 'no-certificate' | 'unsupported-algorithm';
      readonly oid?: string;
    };

export interface CmsCheck {
  readonly integrity: CmsIntegrity;
  readonly signature: CmsCryptoResult;
}

/**
 * Without signed attributes an RSA PKCS#1 v1.5 signature is over the content itself; recovering
 * the DigestInfo tells a changed document (hash failure) from a forged signature (crypto failure).
 */
function recoveredDigest(spki: Uint8Array, signature: Uint8Array): Uint8Array | undefined {
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    const info = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    const parsed = asn1js.fromBER(new Uint8Array(info));
    const seq = parsed.result;
    const digest = seq instanceof asn1js.Sequence ? seq.valueBlock.value[1] : undefined;
    return digest instanceof asn1js.OctetString ? new Uint8Array(digest.valueBlock.valueHexView) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the SignerInfo over `content` with `signer`'s key; never throws for a bad signature. */
export async function checkCmsSignature(
  cms: CmsSignature,
  signer: PoolCertificate | undefined,
  content: SignedContent,
): Promise<CmsCheck> {
  let integrity: CmsIntegrity;
  if (cms.signedAttributes !== undefined) {
    if (cms.messageDigest === undefined) integrity = { result: 'failed', reason: 'no-message-digest' };
    else if (cms.digest === undefined) integrity = { result: 'not-checked', reason: 'unsupported-digest' };
    else if (cms.contentTypeAttribute !== undefined && cms.contentTypeAttribute !== cms.eContentType) {
      integrity = { result: 'failed', reason: 'content-type' };
    } else {
      const actual = await content.digest(cms.digest);
      integrity = bytesEqual(actual, cms.messageDigest)
        ? { result: 'passed' }
        : { result: 'failed', reason: 'mismatch' };
    }
  } else {
    integrity = { result: 'not-checked', reason: 'no-signed-attributes' };
  }

  if (signer === undefined)
    return { integrity, signature: { result: 'not-checked', reason: 'no-certificate' } };
  const resolved = signatureMethod(cms.signatureAlgorithm, cms.digest);
  if (!resolved.ok) {
    return {
      integrity,
      signature: { result: 'not-checked', reason: 'unsupported-algorithm', oid: resolved.oid },
    };
  }
  const method = resolved.method;
  if (cms.signedAttributes !== undefined) {
    const ok = verifySignatureValue(signer.spki, method, cms.signedAttributes, cms.signatureValue);
    return { integrity, signature: { result: ok ? 'passed' : 'failed', method } };
  }
  const ok = await verifySignatureOverChunks(
    signer.spki,
    method,
    (onChunk) => content.feed(onChunk),
    cms.signatureValue,
  );
  if (ok) return { integrity: { result: 'passed' }, signature: { result: 'passed', method } };
  if (method.kind === 'rsa-pkcs1') {
    const recovered = recoveredDigest(signer.spki, cms.signatureValue);
    if (recovered !== undefined) {
      const actual = await content.digest(method.hash);
      if (!bytesEqual(actual, recovered)) {
        return {
          integrity: { result: 'failed', reason: 'mismatch' },
          signature: { result: 'failed', method },
        };
      }
    }
  }
  return { integrity, signature: { result: 'failed', method } };
}

export type SigningCertificateBinding = 'passed' | 'missing' | 'mismatch' | 'unsupported';

/** ESS signing-certificate(-v2): the signed hash of the signer certificate must be this certificate's. */
export function checkSigningCertificateBinding(
  cms: CmsSignature,
  signer: PoolCertificate,
): SigningCertificateBinding {
  const ess = cms.essCertId;
  if (ess === undefined) return cms.essVersion === undefined ? 'missing' : 'mismatch';
  if (ess.hash === undefined) return 'unsupported';
  const hash = createHash(ess.hash).update(signer.der).digest();
  if (!bytesEqual(hash, ess.certHash)) return 'mismatch';
  if (
    ess.serial !== undefined &&
    !bytesEqual(ess.serial, new Uint8Array(signer.cert.serialNumber.valueBlock.valueHexView))
  ) {
    return 'mismatch';
  }
  return 'passed';
}
