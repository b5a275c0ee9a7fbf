// Revocation status of each certificate of a path at the signing time, from the data the document
// carries (the DSS /OCSPs and /CRLs, the CMS RevocationInfoChoices and Adobe's
// revocation-info-archival attribute), or fetched when the user allows it. Data counts only when its
// signature checks out with the issuing CA; "no usable data" is reported as unknown, never as good.
import { KysoError } from '../../shared/errors.js';
import type { PoolCertificate } from './certificate-pool.js';
import type { RevocationClient } from '../revocation/index.js';
import { fetchRevocation } from './online-revocation.js';
import {
  crlSignedBy,
  crlStatement,
  ocspSignedFor,
  ocspStatement,
  parseCrl,
  parseOcsp,
  type ParsedOcsp,
  type RevocationStatement,
} from './revocation-data.js';

/**
 * Revocation data issued up to this long before the signing time still speaks for it: a signer
 * fetches an OCSP response or CRL moments before signing (ETSI EN 319 102-1 leaves freshness to
 * the validation policy).
 */
export const REVOCATION_GRACE_MS = 24 * 60 * 60 * 1000;

const OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';

export interface RevocationSources {
  readonly crls: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
}

export type RevocationSource = 'embedded' | 'online';
/** Where a piece of revocation data was found: the DSS, the CMS (or timestamp token), or fetched. */
export type RevocationOrigin = 'dss' | 'cms' | 'online';

/** The data that decided a certificate's status: what it is, when it was issued, where it came from. */
export interface RevocationEvidence {
  readonly from: RevocationOrigin;
  readonly issuedAt: Date;
}

export type CertificateRevocation =
  | {
      readonly status: 'good';
      readonly source: RevocationSource;
      readonly kind: 'ocsp' | 'crl' | 'no-check';
      readonly evidence?: RevocationEvidence;
    }
  | {
      readonly status: 'revoked';
      readonly source: RevocationSource;
      readonly kind: 'ocsp' | 'crl';
      readonly evidence?: RevocationEvidence;
      readonly revokedAt: Date;
      readonly reason: number | undefined;
    }
  | { readonly status: 'unknown'; readonly why: 'no-data' | 'stale' | 'unknown-to-responder' };

export interface RevocationResult {
  readonly certificates: ReadonlyArray<{
    readonly cert: PoolCertificate;
    readonly revocation: CertificateRevocation;
  }>;
  /** good: every certificate good; revoked: one revoked at the time; unknown otherwise. */
  readonly overall: 'good' | 'revoked' | 'unknown';
  /** The first revoked certificate (revoked at or before the time). */
  readonly revoked?: {
    readonly cert: PoolCertificate;
    readonly revokedAt: Date;
    readonly reason: number | undefined;
  };
  /** The earliest revocation after the time (the certificate was good when used). */
  readonly revokedLater?: { readonly cert: PoolCertificate; readonly revokedAt: Date };
  /** Every "good" came from data embedded in the document (what B-LT requires). */
  readonly allEmbedded: boolean;
}

export interface RevocationRequest {
  /** Leaf first, anchor last (the anchor itself is not checked). */
  readonly path: readonly PoolCertificate[];
  readonly time: Date;
  readonly sources: RevocationSources;
  readonly online: boolean;
  /** The client that fetches when `online` (the settings' proxy, cache and retries). */
  readonly client?: RevocationClient;
  readonly signal?: AbortSignal;
}

/** The origin of each parsed item (items travel between RevocationData objects by reference). */
const ORIGIN = new WeakMap<object, RevocationOrigin>();

/** Parsed embedded data, shared by every signature of a document. */
export class RevocationData {
  readonly ocsps: ParsedOcsp[] = [];
  readonly crls: NonNullable<ReturnType<typeof parseCrl>>[] = [];
  private readonly seen = new Set<string>();

  constructor(
    sources: RevocationSources,
    private readonly origin: RevocationOrigin = 'cms',
  ) {
    this.add(sources);
  }

  add(sources: RevocationSources): void {
    const origin = this.origin;
    for (const der of sources.ocsps) {
      const key = `o${Buffer.from(der).toString('base64')}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const parsed = parseOcsp(der);
      if (parsed !== undefined) {
        ORIGIN.set(parsed, origin);
        this.ocsps.push(parsed);
      }
    }
    for (const der of sources.crls) {
      const key = `c${Buffer.from(der).toString('base64')}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const parsed = parseCrl(pemToDer(der));
      if (parsed !== undefined) {
        ORIGIN.set(parsed, origin);
        this.crls.push(parsed);
      }
    }
  }
}

/** CRLs served over HTTP are sometimes PEM. */
function pemToDer(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (!text.startsWith('-----BEGIN')) return bytes;
  const body = Buffer.from(bytes)
    .toString('latin1')
    .replace(/-----[^-]+-----/g, '')
    .replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

function speaksFor(s: RevocationStatement, time: Date): boolean {
  if (s.status === 'revoked') return true; // a revocation is final whenever it was published
  if (s.issuedAt.getTime() >= time.getTime() - REVOCATION_GRACE_MS) return true;
  return s.status === 'good' && s.nextUpdate !== undefined && s.nextUpdate.getTime() >= time.getTime();
}

interface Found {
  readonly statement: RevocationStatement;
  readonly kind: 'ocsp' | 'crl';
  readonly source: RevocationSource;
  readonly from: RevocationOrigin;
}

function statements(
  data: RevocationData,
  cert: PoolCertificate,
  issuer: PoolCertificate,
  source: RevocationSource,
): Found[] {
  const out: Found[] = [];
  for (const ocsp of data.ocsps) {
    const s = ocspStatement(ocsp, cert, issuer);
    if (s !== undefined && ocspSignedFor(ocsp, issuer))
      out.push({ statement: s, kind: 'ocsp', source, from: originOf(ocsp, source) });
  }
  for (const crl of data.crls) {
    if (crlSignedBy(crl, issuer))
      out.push({ statement: crlStatement(crl, cert), kind: 'crl', source, from: originOf(crl, source) });
  }
  return out;
}

function originOf(item: object, source: RevocationSource): RevocationOrigin {
  return source === 'online' ? 'online' : (ORIGIN.get(item) ?? 'cms');
}

const evidenceOf = (f: Found): RevocationEvidence => ({ from: f.from, issuedAt: f.statement.issuedAt });

function decide(found: readonly Found[], time: Date): CertificateRevocation | null {
  const revoked = found
    .filter((f) => f.statement.status === 'revoked')
    .sort((a, b) => revokedAt(a) - revokedAt(b))[0];
  if (
    revoked !== undefined &&
    revoked.statement.status === 'revoked' &&
    revokedAt(revoked) <= time.getTime()
  ) {
    return {
      status: 'revoked',
      source: revoked.source,
      kind: revoked.kind,
      evidence: evidenceOf(revoked),
      revokedAt: revoked.statement.revokedAt,
      reason: revoked.statement.reason,
    };
  }
  const good = found.find((f) => f.statement.status === 'good' && speaksFor(f.statement, time));
  if (good !== undefined)
    return { status: 'good', source: good.source, kind: good.kind, evidence: evidenceOf(good) };
  // A revocation after the time also says the certificate was good until then.
  if (revoked !== undefined)
    return { status: 'good', source: revoked.source, kind: revoked.kind, evidence: evidenceOf(revoked) };
  return null;
}

const revokedAt = (f: Found): number =>
  f.statement.status === 'revoked' ? f.statement.revokedAt.getTime() : Infinity;

async function online(
  client: RevocationClient | undefined,
  cert: PoolCertificate,
  issuer: PoolCertificate,
): Promise<RevocationData> {
  if (client === undefined) return new RevocationData({ ocsps: [], crls: [] }, 'online');
  return new RevocationData(await fetchRevocation(client, cert, issuer), 'online');
}

/** The revocation status of every certificate of `path` but its anchor, at `time`. */
export async function checkRevocation(
  request: RevocationRequest,
  embedded: RevocationData,
): Promise<RevocationResult> {
  const { path, time } = request;
  const results: Array<{ cert: PoolCertificate; revocation: CertificateRevocation }> = [];
  let revokedLater: RevocationResult['revokedLater'];
  for (let i = 0; i + 1 < path.length; i++) {
    if (request.signal?.aborted) throw new KysoError('CANCELLED', 'Verification was cancelled.');
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    if (cert.cert.extensions?.some((e) => e.extnID === OCSP_NOCHECK)) {
      results.push({ cert, revocation: { status: 'good', source: 'embedded', kind: 'no-check' } });
      continue;
    }
    let found = statements(embedded, cert, issuer, 'embedded');
    let decision = decide(found, time);
    if (decision === null && request.online) {
      found = [...found, ...statements(await online(request.client, cert, issuer), cert, issuer, 'online')];
      decision = decide(found, time);
    }
    for (const f of found) {
      if (f.statement.status === 'revoked' && f.statement.revokedAt.getTime() > time.getTime()) {
        if (revokedLater === undefined || f.statement.revokedAt < revokedLater.revokedAt) {
          revokedLater = { cert, revokedAt: f.statement.revokedAt };
        }
      }
    }
    if (decision === null) {
      const why = found.some((f) => f.statement.status === 'unknown')
        ? 'unknown-to-responder'
        : found.length > 0
          ? 'stale'
          : 'no-data';
      results.push({ cert, revocation: { status: 'unknown', why } });
    } else results.push({ cert, revocation: decision });
  }
  const revokedEntry = results.find((r) => r.revocation.status === 'revoked');
  const overall = revokedEntry
    ? 'revoked'
    : results.every((r) => r.revocation.status === 'good')
      ? 'good'
      : 'unknown';
  const allEmbedded = results.every(
    (r) => r.revocation.status === 'good' && r.revocation.source === 'embedded',
  );
  const out: RevocationResult = { certificates: results, overall, allEmbedded };
  if (revokedEntry !== undefined && revokedEntry.revocation.status === 'revoked') {
    return {
      ...out,
      revoked: {
        cert: revokedEntry.cert,
        revokedAt: revokedEntry.revocation.revokedAt,
        reason: revokedEntry.revocation.reason,
      },
      ...(revokedLater ? { revokedLater } : {}),
    };
  }
  return revokedLater ? { ...out, revokedLater } : out;
}
