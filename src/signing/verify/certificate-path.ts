// Builds and checks the certification path of a signer (RFC 5280 §6, as far as signatures need it):
// issuers are found among the certificates the CMS, the DSS and the trust store carry, each link
// confirmed by verifying the child's signature with the candidate's key (two CAs can share a name),
// up to a trust anchor of the store. Then: every certificate inside its validity period at the
// validation time, CA certificates marked as CAs and allowed to sign certificates, path lengths.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { PoolCertificate } from './certificate-pool.js';
import type { TrustStore } from './trust-store.js';

const MAX_PATH = 12;

function issuedBy(child: PoolCertificate, candidate: PoolCertificate): boolean {
  try {
    return child.x509.checkIssued(candidate.x509) && child.x509.verify(candidate.x509.publicKey);
  } catch {
    return false;
  }
}

export type PathBuild =
  | { readonly found: true; readonly path: readonly PoolCertificate[] }
  | { readonly found: false; readonly partial: readonly PoolCertificate[] };

/**
 * A path from `leaf` to an anchor of `trust` (leaf first, anchor last), trying every candidate
 * issuer in turn; or the longest partial path when none reaches an anchor.
 */
export function buildCertificatePath(
  leaf: PoolCertificate,
  pool: readonly PoolCertificate[],
  trust: TrustStore,
): PathBuild {
  const anchors = trust.anchors;
  const anchorSet = new Set(anchors.map((a) => a.fingerprint));
  const candidates = [...anchors, ...trust.intermediates, ...pool];
  let longest: PoolCertificate[] = [leaf];

  const extend = (path: PoolCertificate[]): PoolCertificate[] | null => {
    const current = path[path.length - 1]!;
    if (anchorSet.has(current.fingerprint)) return path;
    if (path.length > longest.length) longest = path;
    if (path.length >= MAX_PATH) return null;
    const seen = new Set(path.map((c) => c.fingerprint));
    // Anchors first: the shortest trusted path wins over a detour through cross-certificates.
    for (const candidate of candidates) {
      if (seen.has(candidate.fingerprint) || !issuedBy(current, candidate)) continue;
      const found = extend([...path, candidate]);
      if (found !== null) return found;
    }
    return null;
  };
  const found = extend([leaf]);
  return found !== null ? { found: true, path: found } : { found: false, partial: longest };
}

export type PathProblem =
  | { readonly kind: 'expired'; readonly cert: PoolCertificate; readonly notAfter: Date }
  | { readonly kind: 'not-yet-valid'; readonly cert: PoolCertificate; readonly notBefore: Date }
  | { readonly kind: 'not-a-ca'; readonly cert: PoolCertificate }
  | { readonly kind: 'path-length'; readonly cert: PoolCertificate };

export function validityOf(c: PoolCertificate): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: c.info?.notBefore ?? c.cert.notBefore.value,
    notAfter: c.info?.notAfter ?? c.cert.notAfter.value,
  };
}

/** Whether `c` is inside its validity period at `time`. */
export function validityAt(c: PoolCertificate, time: Date): PathProblem | null {
  const { notBefore, notAfter } = validityOf(c);
  if (time.getTime() > notAfter.getTime()) return { kind: 'expired', cert: c, notAfter };
  if (time.getTime() < notBefore.getTime()) return { kind: 'not-yet-valid', cert: c, notBefore };
  return null;
}

function basicConstraints(c: PoolCertificate): { ca: boolean; pathLen: number | undefined } | undefined {
  const ext = c.cert.extensions?.find((e) => e.extnID === '2.5.29.19');
  if (ext === undefined) return undefined;
  const parsed: unknown = ext.parsedValue;
  if (parsed instanceof pkijs.BasicConstraints) {
    const len: unknown = parsed.pathLenConstraint;
    return {
      ca: parsed.cA,
      pathLen:
        typeof len === 'number' ? len : len instanceof asn1js.Integer ? len.valueBlock.valueDec : undefined,
    };
  }
  return { ca: false, pathLen: undefined };
}

function mayIssueCertificates(c: PoolCertificate): boolean {
  const usage = c.info?.keyUsage;
  return usage === undefined || usage.includes('keyCertSign');
}

/**
 * The problems of a built path at `time`: validity of every certificate but the anchor (an anchor is
 * trusted as configured), CA flags and key usage of every issuer, pathLenConstraint.
 */
export function checkCertificatePath(path: readonly PoolCertificate[], time: Date): PathProblem[] {
  const problems: PathProblem[] = [];
  path.forEach((c, i) => {
    const isAnchor = i === path.length - 1 && path.length > 1;
    if (!isAnchor) {
      const v = validityAt(c, time);
      if (v !== null) problems.push(v);
    }
    if (i === 0) return;
    // Issuers: certificates below this one that are not self-issued count against pathLen.
    const bc = basicConstraints(c);
    const selfSignedV1Anchor = isAnchor && bc === undefined;
    if (!selfSignedV1Anchor && (bc?.ca !== true || !mayIssueCertificates(c)))
      problems.push({ kind: 'not-a-ca', cert: c });
    if (bc?.pathLen !== undefined && i - 1 > bc.pathLen) problems.push({ kind: 'path-length', cert: c });
  });
  return problems;
}
