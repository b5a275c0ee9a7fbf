// The few facts the CMS builder needs from an X.509 certificate, read from its DER without
// re-encoding anything: the issuer Name and serialNumber exactly as the CA wrote them.
import * as asn1js from 'asn1js';
import { KysoError } from '../../shared/errors.js';
import { decode } from './der.js';

export interface CertificateIdentity {
  /** DER of the issuer Name. */
  readonly issuer: Uint8Array;
  /** DER of the serialNumber INTEGER (tag and length included). */
  readonly serialNumber: Uint8Array;
}

function isSequence(element: asn1js.AsnType | undefined): element is asn1js.Sequence {
  return element instanceof asn1js.Sequence;
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
  const invalid = (): KysoError => new KysoError('CERT_INVALID', 'the signing certificate is not valid DER');
  const cert = decode(der);
  if (!isSequence(cert)) throw invalid();
  const tbs = cert.valueBlock.value[0];
  if (!isSequence(tbs)) throw invalid();
  const fields = tbs.valueBlock.value;
  // TBSCertificate ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, serialNumber, signature, issuer, ... }
  const first = fields[0];
  const offset = first !== undefined && first.idBlock.tagClass === 3 && first.idBlock.tagNumber === 0 ? 1 : 0;
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  if (!(serial instanceof asn1js.Integer) || !isSequence(issuer)) throw invalid();
  return {
    issuer: new Uint8Array(issuer.valueBeforeDecodeView),
    serialNumber: new Uint8Array(serial.valueBeforeDecodeView),
  };
}
