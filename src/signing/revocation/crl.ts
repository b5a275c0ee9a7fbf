// Certificate revocation lists (RFC 5280 §5): parsed from DER or PEM, checked against the issuing CA
// (issuer name, cRLSign usage, signature), their thisUpdate/nextUpdate around "now", and read for one
// certificate. Delta CRLs (§5.2.4, deltaCRLIndicator) are recognised: a delta alone never proves a
// certificate good, and it is applied over the complete CRL it refers to.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CLOCK_SKEW_MS } from './ocsp-response.js';
import {
  allowsKeyUsage,
  deltaCrlUrlsOfExtensions,
  EXT,
  type RevocationCertificate,
} from './revocation-certificate.js';
import { isSignedBy } from './signature-check.js';

const CRL_SIGN = 6;
const REMOVE_FROM_CRL = 8;

export type CrlFailure =
  'not-crl' | 'wrong-issuer' | 'bad-signature' | 'not-yet-valid' | 'stale' | 'unsupported-scope';

export interface CheckedCrl {
  /** DER of the CRL (PEM input is converted). */
  readonly der: Uint8Array;
  readonly crl: pkijs.CertificateRevocationList;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly crlNumber: bigint | undefined;
  /** For a delta CRL: the number of the complete CRL it updates. */
  readonly deltaBase: bigint | undefined;
  /** Where the delta CRLs of this CRL are published (freshest CRL extension). */
  readonly deltaUrls: readonly string[];
}

export type CrlCheck =
  | { readonly ok: true; readonly crl: CheckedCrl }
  | { readonly ok: false; readonly failure: CrlFailure; readonly detail: string };

export type CrlEntryStatus =
  | { readonly status: 'good' }
  | { readonly status: 'revoked'; readonly revokedAt: Date; readonly reason: number | undefined }
  /** A delta CRL's removeFromCRL entry: the certificate is no longer on hold. */
  | { readonly status: 'removed' };

/** CRLs served over HTTP are sometimes PEM. */
export function crlDer(bytes: Uint8Array): Uint8Array {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (!head.includes('-----BEGIN')) return bytes;
  const text = Buffer.from(bytes).toString('latin1');
  const body = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text)?.[1] ?? '';
  return new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
}

function integerExtension(crl: pkijs.CertificateRevocationList, oid: string): bigint | undefined {
  const ext = crl.crlExtensions?.extensions.find((e) => e.extnID === oid);
  if (ext === undefined) return undefined;
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result;
  return parsed instanceof asn1js.Integer ? parsed.toBigInt() : undefined;
}

/** IssuingDistributionPoint flags Kyso cannot honour: an indirect CRL, or attribute certificates only. */
function unsupportedScope(crl: pkijs.CertificateRevocationList): string | undefined {
  const ext = crl.crlExtensions?.extensions.find((e) => e.extnID === EXT.issuingDistributionPoint);
  if (ext === undefined) return undefined;
  const parsed: unknown = ext.parsedValue;
  if (parsed instanceof pkijs.IssuingDistributionPoint) {
    if (parsed.indirectCRL) return 'indirect CRL';
    if (parsed.onlyContainsAttributeCerts) return 'attribute certificates only';
  }
  return undefined;
}

/** Parses and checks a CRL issued by `issuer`. */
export async function checkCrl(
  bytes: Uint8Array,
  issuer: RevocationCertificate,
  now: Date,
): Promise<CrlCheck> {
  const fail = (failure: CrlFailure, detail: string): CrlCheck => ({ ok: false, failure, detail });
  const der = crlDer(bytes);
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(der));
  } catch {
    return fail('not-crl', 'not a CertificateList');
  }
  if (!crl.issuer.isEqual(issuer.cert.subject))
    return fail('wrong-issuer', 'the CRL was issued by another CA');
  if (!allowsKeyUsage(issuer, CRL_SIGN)) return fail('wrong-issuer', 'the CA may not sign CRLs');
  const signed = await isSignedBy(
    new Uint8Array(crl.tbsView),
    crl.signatureValue,
    crl.signatureAlgorithm,
    issuer,
  );
  if (!signed) return fail('bad-signature', 'the CRL signature does not verify');
  const scope = unsupportedScope(crl);
  if (scope !== undefined) return fail('unsupported-scope', scope);
  const thisUpdate = crl.thisUpdate.value;
  const nextUpdate = crl.nextUpdate?.value;
  if (thisUpdate.getTime() > now.getTime() + CLOCK_SKEW_MS)
    return fail('not-yet-valid', thisUpdate.toISOString());
  if (nextUpdate !== undefined && nextUpdate.getTime() < now.getTime() - CLOCK_SKEW_MS) {
    return fail('stale', `nextUpdate ${nextUpdate.toISOString()}`);
  }
  return {
    ok: true,
    crl: {
      der: new Uint8Array(der),
      crl,
      thisUpdate,
      nextUpdate,
      crlNumber: integerExtension(crl, EXT.crlNumber),
      deltaBase: integerExtension(crl, EXT.deltaCrlIndicator),
      deltaUrls: deltaCrlUrlsOfExtensions(crl.crlExtensions?.extensions),
    },
  };
}

/** What one CRL says about the certificate with `serial`. */
export function crlEntryFor(crl: CheckedCrl, cert: RevocationCertificate): CrlEntryStatus {
  for (const entry of crl.crl.revokedCertificates ?? []) {
    if (!entry.userCertificate.isEqual(cert.cert.serialNumber)) continue;
    const reasonExt = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === EXT.crlReason);
    const reasonValue: unknown = reasonExt?.parsedValue;
    const reason = reasonValue instanceof asn1js.Enumerated ? reasonValue.valueBlock.valueDec : undefined;
    if (reason === REMOVE_FROM_CRL) return { status: 'removed' };
    return { status: 'revoked', revokedAt: entry.revocationDate.value, reason };
  }
  return { status: 'good' };
}

/**
 * The status from a complete CRL and, optionally, a delta that applies to it (its base number is at
 * most the complete CRL's number): the delta's entries override the complete list's.
 */
export function combinedStatus(
  complete: CheckedCrl,
  delta: CheckedCrl | undefined,
  cert: RevocationCertificate,
): CrlEntryStatus {
  const applies =
    delta !== undefined &&
    delta.deltaBase !== undefined &&
    complete.crlNumber !== undefined &&
    delta.deltaBase <= complete.crlNumber;
  if (applies) {
    const fromDelta = crlEntryFor(delta, cert);
    if (fromDelta.status === 'revoked') return fromDelta;
    if (fromDelta.status === 'removed') return { status: 'good' };
  }
  const fromComplete = crlEntryFor(complete, cert);
  return fromComplete.status === 'removed' ? { status: 'good' } : fromComplete;
}
