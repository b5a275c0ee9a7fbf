// Checks an RFC 3161 timestamp token: a signature timestamp (its imprint is the hash of the
// signature value, ETSI EN 319 122-1 §5.3) or a document timestamp (the hash of the byte ranges,
// ETSI EN 319 142-1 §5.4). The token's CMS signature, its ESS binding to the TSA certificate, the
// timeStamping usage, and the TSA's path to a trusted root at the time it asserts.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual, CertificatePool, displayName, type PoolCertificate } from './certificate-pool.js';
import {
  buildCertificatePath,
  checkCertificatePath,
  validityOf,
  type PathProblem,
} from './certificate-path.js';
import { CMS_OID, parseCmsSignature, type CmsSignature } from './cms-signature.js';
import {
  checkCmsSignature,
  checkSigningCertificateBinding,
  findSignerCertificate,
  inMemoryContent,
  type SignedContent,
} from './cms-signature-check.js';
import { checkRevocation, RevocationData, type RevocationResult } from './revocation-check.js';
import { hashFromOid, type HashName } from './signature-algorithms.js';
import type { TrustStore } from './trust-store.js';
import type { RevocationClient } from '../revocation/index.js';

const KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

export type TimestampFailure =
  | 'malformed'
  | 'imprint-mismatch'
  | 'unsupported-hash'
  | 'no-tsa-certificate'
  | 'bad-signature'
  | 'ess-mismatch'
  | 'not-a-tsa'
  | 'tsa-revoked';

export interface TimestampCheck {
  /** valid: genuine and chained to a trusted root; untrusted: genuine but unknown TSA; invalid: broken. */
  readonly result: 'valid' | 'untrusted' | 'invalid';
  readonly failure?: TimestampFailure;
  readonly genTime?: Date;
  readonly serial?: string;
  readonly hash?: HashName;
  readonly tsa?: PoolCertificate;
  readonly tsaName?: string;
  readonly pathProblems?: readonly PathProblem[];
  readonly revocation?: RevocationResult;
  /**
   * Until when the TSA's path stays trusted: the earliest notAfter of the path, or the earliest
   * revocation after genTime. A later proof of existence must come before it (archive timestamps).
   */
  readonly trustedUntil?: Date;
  /** The certificate that sets `trustedUntil`. */
  readonly limitedBy?: PoolCertificate;
  /** The token's CMS, for the certificates and revocation data it carries. */
  readonly cms?: CmsSignature;
}

export interface TimestampRequest {
  readonly token: Uint8Array;
  /** The time-stamped data: the signature value, or the document's byte ranges. */
  readonly stamped: SignedContent;
  readonly trust: TrustStore;
  /** Certificates found elsewhere in the document (DSS) that may complete the TSA's path. */
  readonly pool: readonly PoolCertificate[];
  readonly revocation: RevocationData;
  readonly online: boolean;
  readonly client?: RevocationClient;
  readonly signal?: AbortSignal;
}

function hasTimeStampingUsage(c: PoolCertificate): boolean {
  const eku = c.cert.extensions?.find((e) => e.extnID === '2.5.29.37');
  return (
    eku?.parsedValue instanceof pkijs.ExtKeyUsage && eku.parsedValue.keyPurposes.includes(KP_TIME_STAMPING)
  );
}

export async function checkTimestampToken(request: TimestampRequest): Promise<TimestampCheck> {
  const parsed = parseCmsSignature(request.token);
  if (!parsed.ok) return { result: 'invalid', failure: 'malformed' };
  const cms = parsed.cms;
  if (cms.eContentType !== CMS_OID.tstInfo || cms.eContent === undefined) {
    return { result: 'invalid', failure: 'malformed', cms };
  }
  let tst: pkijs.TSTInfo;
  try {
    const schema = asn1js.fromBER(new Uint8Array(cms.eContent));
    if (schema.offset === -1) return { result: 'invalid', failure: 'malformed', cms };
    tst = new pkijs.TSTInfo({ schema: schema.result });
  } catch {
    return { result: 'invalid', failure: 'malformed', cms };
  }
  const base = {
    genTime: tst.genTime,
    serial: tst.serialNumber.toBigInt().toString(16),
    cms,
  };
  const hash = hashFromOid(tst.messageImprint.hashAlgorithm.algorithmId);
  if (hash === undefined) return { ...base, result: 'invalid', failure: 'unsupported-hash' };
  const imprint = new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView);
  const withHash = { ...base, hash };
  if (!bytesEqual(await request.stamped.digest(hash), imprint)) {
    return { ...withHash, result: 'invalid', failure: 'imprint-mismatch' };
  }

  const pool = new CertificatePool(cms.certificates);
  const tsa =
    findSignerCertificate(cms, pool) ??
    findSignerCertificate(cms, new CertificatePool(request.pool.map((c) => c.der)));
  if (tsa === undefined) return { ...withHash, result: 'invalid', failure: 'no-tsa-certificate' };
  const named = { ...withHash, tsa, tsaName: displayName(tsa) };
  const crypto = await checkCmsSignature(cms, tsa, inMemoryContent(cms.eContent));
  if (crypto.integrity.result !== 'passed' || crypto.signature.result !== 'passed') {
    return { ...named, result: 'invalid', failure: 'bad-signature' };
  }
  const binding = checkSigningCertificateBinding(cms, tsa);
  if (binding === 'mismatch') return { ...named, result: 'invalid', failure: 'ess-mismatch' };
  if (!hasTimeStampingUsage(tsa)) return { ...named, result: 'invalid', failure: 'not-a-tsa' };

  const built = buildCertificatePath(tsa, [...pool.all(), ...request.pool], request.trust);
  if (!built.found) return { ...named, result: 'untrusted' };
  const problems = checkCertificatePath(built.path, tst.genTime);
  if (problems.length > 0) return { ...named, result: 'untrusted', pathProblems: problems };
  const embedded = new RevocationData({ crls: cms.crls, ocsps: cms.ocsps });
  const revocation = await checkRevocation(
    {
      path: built.path,
      time: tst.genTime,
      sources: { crls: [], ocsps: [] },
      online: request.online,
      ...(request.client ? { client: request.client } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    },
    mergeData(request.revocation, embedded),
  );
  if (revocation.overall === 'revoked')
    return { ...named, result: 'invalid', failure: 'tsa-revoked', revocation };
  let limit: { at: Date; cert: PoolCertificate } | undefined;
  for (const c of built.path) {
    const { notAfter } = validityOf(c);
    if (limit === undefined || notAfter < limit.at) limit = { at: notAfter, cert: c };
  }
  const later = revocation.revokedLater;
  if (later !== undefined && (limit === undefined || later.revokedAt < limit.at))
    limit = { at: later.revokedAt, cert: later.cert };
  return {
    ...named,
    result: 'valid',
    revocation,
    ...(limit ? { trustedUntil: limit.at, limitedBy: limit.cert } : {}),
  };
}

function mergeData(a: RevocationData, b: RevocationData): RevocationData {
  const merged = new RevocationData({ crls: [], ocsps: [] });
  merged.ocsps.push(...a.ocsps, ...b.ocsps);
  merged.crls.push(...a.crls, ...b.crls);
  return merged;
}
