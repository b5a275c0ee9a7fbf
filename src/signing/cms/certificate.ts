// The few facts the CMS builder needs from an X.509 certificate, read from its DER without
// re-encoding anything: the issuer Name and serialNumber exactly as the CA wrote them.
import { KysoError } from '../../shared/errors.js';
import {
  DerError,
  Tag,
  assertWellFormed,
  children,
  encodedOf,
  isContext,
  isUniversal,
  readDerExactly,
  type DerNode,
} from '../asn1/der-reader.js';

export interface CertificateIdentity {
  /** DER of the issuer Name. */
  readonly issuer: Uint8Array;
  /** DER of the serialNumber INTEGER (tag and length included). */
  readonly serialNumber: Uint8Array;
}

function isSequence(element: DerNode | undefined): element is DerNode {
  return isUniversal(element, Tag.sequence) && element.constructed;
}

/** Decoded once per certificate object: a batch signs hundreds of documents with one certificate. */
const known = new WeakMap<Uint8Array, CertificateIdentity>();

/** Issuer and serial of a certificate; CERT_INVALID if `der` is not an X.509 certificate. */
export function certificateIdentity(der: Uint8Array): CertificateIdentity {
  const cached = known.get(der);
  if (cached !== undefined) return cached;
  const identity = readIdentity(der);
  known.set(der, identity);
  return identity;
}

function readIdentity(der: Uint8Array): CertificateIdentity {
  const invalid = (cause?: unknown): KysoError =>
    new KysoError('CERT_INVALID', 'the signing certificate is not valid DER', { cause });
  let fields: DerNode[];
  try {
    // the whole of `der`, well formed all the way down: it is embedded in the CMS as it is
    const cert = readDerExactly(der);
    assertWellFormed(cert);
    const tbs = isSequence(cert) ? children(cert)[0] : undefined;
    if (!isSequence(tbs)) throw invalid();
    fields = children(tbs);
  } catch (error) {
    if (error instanceof DerError) throw invalid(error);
    throw error;
  }
  // TBSCertificate ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, serialNumber, signature, issuer, ... }
  const offset = isContext(fields[0], 0) ? 1 : 0;
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  if (!isUniversal(serial, Tag.integer) || serial.constructed || !isSequence(issuer)) throw invalid();
  // copies: the identity outlives the caller's buffer, which it must not see change
  return { issuer: new Uint8Array(encodedOf(issuer)), serialNumber: new Uint8Array(encodedOf(serial)) };
}
