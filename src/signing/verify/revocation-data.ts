// OCSP responses (RFC 6960) and CRLs (RFC 5280 §5) as a verifier meets them: parsed with pkijs,
// their signatures checked with the issuing CA's key (or a delegated OCSP responder the CA
// certified for OCSPSigning), and the status they state for one certificate at one time.
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  bytesEqual,
  readCertificate,
  subjectKeyIdentifier,
  subjectNameDer,
  type PoolCertificate,
} from './certificate-pool.js';
import { BER_OPTIONS, decodePadded } from './cms-signature.js';
import { verifySignatureValue } from './public-key-signature.js';
import { hashFromOid, signatureMethod } from './signature-algorithms.js';
import { readOcspCertStatus } from '../revocation/index.js';

const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

/** What one piece of revocation data says about one certificate. */
export type RevocationStatement =
  | { readonly status: 'good'; readonly issuedAt: Date; readonly nextUpdate: Date | undefined }
  | {
      readonly status: 'revoked';
      readonly issuedAt: Date;
      readonly revokedAt: Date;
      readonly reason: number | undefined;
    }
  | { readonly status: 'unknown'; readonly issuedAt: Date };

export interface ParsedOcsp {
  readonly basic: pkijs.BasicOCSPResponse;
  /** DER of the certificates the response carries (a delegated responder's, usually). */
  readonly certificates: readonly Uint8Array[];
}

/** An OCSPResponse (or a bare BasicOCSPResponse, as some tools embed) → its basic response. */
export function parseOcsp(der: Uint8Array): ParsedOcsp | undefined {
  const schema = decodePadded(der);
  if (schema === undefined) return undefined;
  try {
    let basicSchema: asn1js.AsnType = schema;
    const first = schema instanceof asn1js.Sequence ? schema.valueBlock.value[0] : undefined;
    if (first instanceof asn1js.Enumerated) {
      const response = new pkijs.OCSPResponse({ schema });
      if (response.responseStatus.valueBlock.valueDec !== 0 || response.responseBytes === undefined)
        return undefined;
      if (response.responseBytes.responseType !== OCSP_BASIC) return undefined;
      const inner = asn1js.fromBER(response.responseBytes.response.valueBlock.valueHexView, BER_OPTIONS);
      if (inner.offset === -1) return undefined;
      basicSchema = inner.result;
    }
    const basic = new pkijs.BasicOCSPResponse({ schema: basicSchema });
    const certificates = (basic.certs ?? []).map((c) => new Uint8Array(c.toSchema().toBER(false)));
    return { basic, certificates };
  } catch {
    return undefined;
  }
}

export function parseCrl(der: Uint8Array): pkijs.CertificateRevocationList | undefined {
  const schema = decodePadded(der);
  if (schema === undefined) return undefined;
  try {
    return new pkijs.CertificateRevocationList({ schema });
  } catch {
    return undefined;
  }
}

function verifyWith(
  spki: Uint8Array,
  algorithm: pkijs.AlgorithmIdentifier,
  tbs: Uint8Array,
  signature: Uint8Array,
): boolean {
  const method = signatureMethod(algorithm, undefined);
  return method.ok && verifySignatureValue(spki, method.method, tbs, signature);
}

function issuedBy(child: PoolCertificate, issuer: PoolCertificate): boolean {
  try {
    return child.x509.checkIssued(issuer.x509) && child.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

function responderMatches(responderID: unknown, c: PoolCertificate): boolean {
  if (responderID instanceof pkijs.RelativeDistinguishedNames) return c.cert.subject.isEqual(responderID);
  if (responderID instanceof asn1js.OctetString) {
    const keyHash = createHash('sha1')
      .update(c.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
      .digest();
    const id = new Uint8Array(responderID.valueBlock.valueHexView);
    const ski = subjectKeyIdentifier(c.cert);
    return bytesEqual(keyHash, id) || (ski !== undefined && bytesEqual(ski, id));
  }
  return true; // an unusual encoding: let the signature decide
}

function hasOcspSigning(c: PoolCertificate): boolean {
  return c.info?.extendedKeyUsage?.includes(KP_OCSP_SIGNING) === true;
}

/**
 * Whether the response was signed by `issuer` itself or by a responder `issuer` certified for
 * OCSP signing (RFC 6960 §4.2.2.2).
 */
export function ocspSignedFor(ocsp: ParsedOcsp, issuer: PoolCertificate): boolean {
  const tbs = ocsp.basic.tbsResponseData.tbsView;
  const signature = new Uint8Array(ocsp.basic.signature.valueBlock.valueHexView);
  const algorithm = ocsp.basic.signatureAlgorithm;
  const responderID: unknown = ocsp.basic.tbsResponseData.responderID;
  if (responderMatches(responderID, issuer) && verifyWith(issuer.spki, algorithm, tbs, signature))
    return true;
  for (const der of ocsp.certificates) {
    const responder = readCertificate(der);
    if (responder === undefined || !responderMatches(responderID, responder)) continue;
    if (!hasOcspSigning(responder) || !issuedBy(responder, issuer)) continue;
    if (verifyWith(responder.spki, algorithm, tbs, signature)) return true;
  }
  return false;
}

function certIdMatches(id: pkijs.CertID, cert: PoolCertificate, issuer: PoolCertificate): boolean {
  if (!id.serialNumber.isEqual(cert.cert.serialNumber)) return false;
  const hash = hashFromOid(id.hashAlgorithm.algorithmId);
  if (hash === undefined) return false;
  const nameHash = createHash(hash).update(subjectNameDer(issuer)).digest();
  const keyHash = createHash(hash)
    .update(issuer.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .digest();
  return (
    bytesEqual(nameHash, new Uint8Array(id.issuerNameHash.valueBlock.valueHexView)) &&
    bytesEqual(keyHash, new Uint8Array(id.issuerKeyHash.valueBlock.valueHexView))
  );
}

/** The OCSP statement about `cert` (issued by `issuer`), if the response speaks of it. */
export function ocspStatement(
  ocsp: ParsedOcsp,
  cert: PoolCertificate,
  issuer: PoolCertificate,
): RevocationStatement | undefined {
  for (const single of ocsp.basic.tbsResponseData.responses) {
    if (!certIdMatches(single.certID, cert, issuer)) continue;
    const issuedAt = single.thisUpdate;
    const certStatus = readOcspCertStatus(single.certStatus, issuedAt);
    if (certStatus.status === 'good') return { status: 'good', issuedAt, nextUpdate: single.nextUpdate };
    if (certStatus.status === 'revoked') {
      return { status: 'revoked', issuedAt, revokedAt: certStatus.revokedAt, reason: certStatus.reason };
    }
    return { status: 'unknown', issuedAt };
  }
  return undefined;
}

/** Whether the CRL was issued and signed by `issuer` (indirect CRLs are not supported). */
export function crlSignedBy(crl: pkijs.CertificateRevocationList, issuer: PoolCertificate): boolean {
  if (!crl.issuer.isEqual(issuer.cert.subject)) return false;
  const signature = new Uint8Array(crl.signatureValue.valueBlock.valueHexView);
  return verifyWith(issuer.spki, crl.signature, crl.tbsView, signature);
}

const CRL_REASON = '2.5.29.21';

/** The CRL's statement about `cert`: revoked (when listed) or good until its next update. */
export function crlStatement(
  crl: pkijs.CertificateRevocationList,
  cert: PoolCertificate,
): RevocationStatement {
  const issuedAt = crl.thisUpdate.value;
  for (const entry of crl.revokedCertificates ?? []) {
    if (!entry.userCertificate.isEqual(cert.cert.serialNumber)) continue;
    const reasonExt = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === CRL_REASON);
    const reasonValue: unknown = reasonExt?.parsedValue;
    const reason = reasonValue instanceof asn1js.Enumerated ? reasonValue.valueBlock.valueDec : undefined;
    // removeFromCRL (8) un-revokes a certificate that was on hold
    if (reason === 8) continue;
    return { status: 'revoked', issuedAt, revokedAt: entry.revocationDate.value, reason };
  }
  return { status: 'good', issuedAt, nextUpdate: crl.nextUpdate?.value };
}
