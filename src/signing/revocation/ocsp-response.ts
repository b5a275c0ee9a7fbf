// OCSP (RFC 6960): the request for one certificate (CertID with SHA-1, as RFC 5019 responders expect,
// and a nonce, RFC 8954) and the checks of the answer: successful status, a SingleResponse for our
// CertID, a signature by the CA itself or by a responder the CA certified for OCSPSigning (§4.2.2.2),
// our nonce echoed when the responder echoes one, and thisUpdate/nextUpdate around "now".
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  hasOcspSigningUsage,
  isIssuedBy,
  publicKeyBits,
  readRevocationCertificate,
  subjectNameDer,
  type RevocationCertificate,
} from './revocation-certificate.js';
import { readOcspCertStatus } from './ocsp-cert-status.js';
import { isSignedBy } from './signature-check.js';

const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
const SHA1 = '1.3.14.3.2.26';
const HASHES: Readonly<Record<string, string>> = {
  [SHA1]: 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** How far a responder's clock may be ahead of or behind ours. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

const RESPONSE_STATUS = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  '4',
  'sigRequired',
  'unauthorized',
];

export type OcspFailure =
  | 'not-ocsp'
  | 'responder-error'
  | 'no-answer-for-certificate'
  | 'unauthorized-responder'
  | 'bad-signature'
  | 'nonce-mismatch'
  | 'not-yet-valid'
  | 'stale';

export interface OcspAnswer {
  /** The OCSPResponse DER as the responder sent it (what the DSS stores). */
  readonly der: Uint8Array;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly producedAt: Date;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly revokedAt?: Date;
  /** CRLReason (RFC 5280 §5.3.1), when stated. */
  readonly reason?: number;
  /** The responder's certificate when it is not the CA itself (a delegated responder). */
  readonly delegatedResponder: RevocationCertificate | undefined;
}

export type OcspCheck =
  | { readonly ok: true; readonly answer: OcspAnswer }
  | { readonly ok: false; readonly failure: OcspFailure; readonly detail: string };

/** 16 random bytes. */
export function newOcspNonce(): Uint8Array {
  return new Uint8Array(randomBytes(16));
}

/** The DER OCSPRequest for `cert` (issued by `issuer`), with `nonce` when given. */
export function buildOcspRequest(
  cert: RevocationCertificate,
  issuer: RevocationCertificate,
  nonce: Uint8Array | undefined,
): Uint8Array {
  const certId = new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({
      valueHex: createHash('sha1').update(subjectNameDer(issuer)).digest(),
    }),
    issuerKeyHash: new asn1js.OctetString({
      valueHex: createHash('sha1').update(publicKeyBits(issuer)).digest(),
    }),
    serialNumber: cert.cert.serialNumber,
  });
  const tbsRequest = new pkijs.TBSRequest({ requestList: [new pkijs.Request({ reqCert: certId })] });
  if (nonce !== undefined) {
    tbsRequest.requestExtensions = [
      new pkijs.Extension({
        extnID: OCSP_NONCE,
        extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false),
      }),
    ];
  }
  return new Uint8Array(new pkijs.OCSPRequest({ tbsRequest }).toSchema(true).toBER(false));
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/** Whether `id` names `cert` issued by `issuer`, whatever hash the responder used. */
export function certIdMatches(
  id: pkijs.CertID,
  cert: RevocationCertificate,
  issuer: RevocationCertificate,
): boolean {
  if (!id.serialNumber.isEqual(cert.cert.serialNumber)) return false;
  const hash = HASHES[id.hashAlgorithm.algorithmId];
  if (hash === undefined) return false;
  const nameHash = createHash(hash).update(subjectNameDer(issuer)).digest();
  const keyHash = createHash(hash).update(publicKeyBits(issuer)).digest();
  return (
    bytesEqual(nameHash, new Uint8Array(id.issuerNameHash.valueBlock.valueHexView)) &&
    bytesEqual(keyHash, new Uint8Array(id.issuerKeyHash.valueBlock.valueHexView))
  );
}

function responderIs(responderID: unknown, c: RevocationCertificate): boolean {
  if (responderID instanceof pkijs.RelativeDistinguishedNames) return c.cert.subject.isEqual(responderID);
  if (responderID instanceof asn1js.OctetString) {
    const keyHash = createHash('sha1').update(publicKeyBits(c)).digest();
    return bytesEqual(keyHash, new Uint8Array(responderID.valueBlock.valueHexView));
  }
  return false;
}

function nonceOf(extensions: readonly pkijs.Extension[] | undefined): Uint8Array | undefined {
  const ext = extensions?.find((e) => e.extnID === OCSP_NONCE);
  if (ext === undefined) return undefined;
  const inner = new Uint8Array(ext.extnValue.valueBlock.valueHexView);
  // extnValue holds OCTET STRING { nonce }; some responders put the nonce bare.
  const parsed = asn1js.fromBER(inner);
  if (parsed.offset === inner.length && parsed.result instanceof asn1js.OctetString) {
    return new Uint8Array(parsed.result.valueBlock.valueHexView);
  }
  return inner;
}

export interface OcspCheckOptions {
  /** The nonce we sent; undefined for a cached answer. */
  readonly nonce?: Uint8Array;
  readonly now: Date;
  /** Largest age of an answer without nextUpdate (RFC 5019 responders usually give one). */
  readonly maxAgeWithoutNextUpdateMs?: number;
}

/**
 * Checks an OCSPResponse for `cert` (issued by `issuer`). The CA certificate (`issuer`) must
 * already be known to be the right one; trust in it is the caller's business.
 */
export async function checkOcspResponse(
  der: Uint8Array,
  cert: RevocationCertificate,
  issuer: RevocationCertificate,
  options: OcspCheckOptions,
): Promise<OcspCheck> {
  const fail = (failure: OcspFailure, detail: string): OcspCheck => ({ ok: false, failure, detail });
  let response: pkijs.OCSPResponse;
  let basic: pkijs.BasicOCSPResponse;
  try {
    response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
  } catch {
    return fail('not-ocsp', 'not an OCSPResponse');
  }
  const status = response.responseStatus.valueBlock.valueDec;
  if (status !== 0) return fail('responder-error', RESPONSE_STATUS[status] ?? String(status));
  if (response.responseBytes?.responseType !== OCSP_BASIC)
    return fail('not-ocsp', 'not a basic OCSP response');
  try {
    basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
  } catch {
    return fail('not-ocsp', 'malformed BasicOCSPResponse');
  }
  const tbs = basic.tbsResponseData;
  const single = tbs.responses.find((r) => certIdMatches(r.certID, cert, issuer));
  if (single === undefined)
    return fail('no-answer-for-certificate', 'the response names another certificate');

  // The signer: the CA itself, or a delegated responder certified by the CA for OCSPSigning.
  const responderID: unknown = tbs.responderID;
  const tbsBytes = new Uint8Array(tbs.tbsView);
  let delegated: RevocationCertificate | undefined;
  let signed = false;
  if (responderIs(responderID, issuer)) {
    signed = await isSignedBy(tbsBytes, basic.signature, basic.signatureAlgorithm, issuer);
  } else {
    const candidates = (basic.certs ?? [])
      .map((c) => readRevocationCertificate(new Uint8Array(c.toSchema().toBER(false))))
      .filter((c): c is RevocationCertificate => c !== undefined && responderIs(responderID, c));
    if (candidates.length === 0) {
      return fail('unauthorized-responder', 'the responder certificate is missing from the response');
    }
    for (const c of candidates) {
      if (!hasOcspSigningUsage(c) || !isIssuedBy(c, issuer)) continue;
      const at = tbs.producedAt.getTime();
      if (at < c.cert.notBefore.value.getTime() || at > c.cert.notAfter.value.getTime()) continue;
      if (await isSignedBy(tbsBytes, basic.signature, basic.signatureAlgorithm, c)) {
        delegated = c;
        signed = true;
        break;
      }
    }
    if (!signed) {
      return fail(
        'unauthorized-responder',
        'the responder is not the CA nor certified by it for OCSP signing',
      );
    }
  }
  if (!signed) return fail('bad-signature', 'the response signature does not verify');

  if (options.nonce !== undefined) {
    const echoed = nonceOf(tbs.responseExtensions);
    if (echoed !== undefined && !bytesEqual(echoed, options.nonce)) {
      return fail('nonce-mismatch', 'the response answers another request');
    }
  }
  const now = options.now.getTime();
  const thisUpdate = single.thisUpdate;
  const nextUpdate = single.nextUpdate;
  if (thisUpdate.getTime() > now + CLOCK_SKEW_MS) return fail('not-yet-valid', thisUpdate.toISOString());
  if (nextUpdate !== undefined && nextUpdate.getTime() < now - CLOCK_SKEW_MS) {
    return fail('stale', `nextUpdate ${nextUpdate.toISOString()}`);
  }
  const maxAge = options.maxAgeWithoutNextUpdateMs;
  if (nextUpdate === undefined && maxAge !== undefined && thisUpdate.getTime() < now - maxAge) {
    return fail('stale', `thisUpdate ${thisUpdate.toISOString()}`);
  }

  const base = {
    der: new Uint8Array(der),
    producedAt: tbs.producedAt,
    thisUpdate,
    nextUpdate,
    delegatedResponder: delegated,
  };
  return { ok: true, answer: { ...base, ...readOcspCertStatus(single.certStatus, thisUpdate) } };
}
