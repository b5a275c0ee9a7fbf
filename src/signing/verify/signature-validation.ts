// Validates one signature dictionary (ETSI EN 319 102-1 §5.2 basic signature validation, §5.5 with
// timestamps): the byte range, integrity and cryptographic signature, the signer certificate and its
// path to a trusted root, validity at the signing time (timestamped, else claimed), key usage,
// revocation, the signature timestamp and the algorithms. Returns the checks; never throws for a
// bad signature (only for unreadable input or cancellation).
import type { PositionalFile } from '../pdf/index.js';
import { checkByteRange, type ByteRangeCheck } from './byte-range-check.js';
import { CertificatePool, displayName, type PoolCertificate } from './certificate-pool.js';
import { buildCertificatePath, checkCertificatePath, type PathProblem } from './certificate-path.js';
import { parseCmsSignature, type CmsSignature } from './cms-signature.js';
import {
  checkCmsSignature,
  checkSigningCertificateBinding,
  findSignerCertificate,
  inMemoryContent,
  type CmsCheck,
  type SignedContent,
} from './cms-signature-check.js';
import { checkRevocation, RevocationData, type RevocationResult } from './revocation-check.js';
import { digestRanges, feedRanges } from './signed-ranges.js';
import {
  hashDisplayName,
  isAcceptedScheme,
  isWeakHash,
  isWeakKey,
  signatureMethodName,
  type HashName,
} from './signature-algorithms.js';
import type { SignatureDictionary } from './signature-dictionaries.js';
import { checkTimestampToken, type TimestampCheck } from './timestamp-check.js';
import type { TrustStore } from './trust-store.js';
import type { RevocationClient } from '../revocation/index.js';
import type { TimeSource, VerificationTexts } from './verification-texts.js';
import {
  failed,
  notChecked,
  passed,
  undecided,
  warning,
  type CheckOutcome,
  type TimestampSummary,
  type TrustAnchorSummary,
} from './verification-report.js';

export interface ValidationContext {
  readonly file: PositionalFile;
  readonly fileSize: number;
  readonly trust: TrustStore;
  /** Certificates from the document's DSS. */
  readonly documentCertificates: readonly PoolCertificate[];
  /** OCSP responses and CRLs from the document's DSS. */
  readonly documentRevocation: RevocationData;
  readonly validationTime: Date;
  readonly online: boolean;
  readonly requireRevocation: boolean;
  /** Fetches OCSP/CRL when `online`. */
  readonly revocationClient?: RevocationClient;
  /**
   * Proof of existence from the document: the time of the earliest valid document timestamp of a
   * later revision (the signature, or the timestamp, existed then).
   */
  readonly poe?: Date;
  readonly signal?: AbortSignal;
  readonly texts: VerificationTexts;
}

/** The time the signature is proven (or claimed) to exist, for the report's evidence. */
export interface EvidenceTime {
  readonly source: 'signature-timestamp' | 'document-timestamp' | 'claimed' | 'validation-time';
  readonly at: Date | undefined;
}

export interface ValidatedSignature {
  readonly checks: CheckOutcome[];
  readonly byteRange: ByteRangeCheck;
  readonly signer: PoolCertificate | undefined;
  readonly signingTime: Date | undefined;
  readonly signingTimeSource: 'timestamp' | 'claimed';
  readonly timestamp: TimestampSummary | undefined;
  /** A genuine signature timestamp (trusted or not): B-T evidence. */
  readonly hasSignatureTimestamp: boolean;
  readonly digestAlgorithm: string | null;
  readonly signatureAlgorithm: string | null;
  readonly revocation: RevocationResult | undefined;
  /** For document timestamps: the time the timestamp asserts, when genuine. */
  readonly documentTimestampTime: Date | undefined;
  /** The time the certificates were judged at and what proves it. */
  readonly evidenceTime: EvidenceTime;
  /** The trusted root the path reached, and where it came from. */
  readonly trustAnchor?: TrustAnchorSummary;
}

/** The root that ends `path`, when the trust store holds it. */
function anchorOf(ctx: ValidationContext, path: readonly PoolCertificate[]): TrustAnchorSummary | undefined {
  const root = path.at(-1);
  const source = root === undefined ? undefined : ctx.trust.sourceOf(root.fingerprint);
  if (root === undefined || source === undefined) return undefined;
  return {
    subject: root.info?.subjectDN ?? displayName(root),
    sha256: root.fingerprint,
    source: source.kind,
    ...(source.file !== undefined ? { file: source.file } : {}),
  };
}

function rangesContent(
  ctx: ValidationContext,
  ranges: ReadonlyArray<readonly [number, number]>,
): SignedContent {
  const cache = new Map<HashName, Promise<Uint8Array>>();
  return {
    digest: (hash) => {
      let p = cache.get(hash);
      if (p === undefined) {
        p = digestRanges(ctx.file, ranges, [hash], ctx.signal).then((m) => new Uint8Array(m.get(hash)!));
        cache.set(hash, p);
      }
      return p;
    },
    feed: (onChunk) => feedRanges(ctx.file, ranges, onChunk, ctx.signal),
  };
}

function summariseTimestamp(t: TimestampCheck): TimestampSummary | undefined {
  if (t.genTime === undefined) return undefined;
  return {
    time: t.genTime.toISOString(),
    tsa: t.tsaName ?? null,
    serial: t.serial ?? '',
    digestAlgorithm: t.hash ? hashDisplayName(t.hash) : '',
    status: t.result,
  };
}

function pathNames(path: readonly PoolCertificate[]): string[] {
  return path.map(displayName);
}

/** The checks of the certificate path, validity and revocation of `leaf` at `time`. */
async function certificateChecks(
  ctx: ValidationContext,
  leaf: PoolCertificate,
  extraCertificates: readonly Uint8Array[],
  embedded: RevocationData,
  time: Date,
  source: TimeSource,
): Promise<{
  checks: CheckOutcome[];
  revocation: RevocationResult | undefined;
  anchor: TrustAnchorSummary | undefined;
}> {
  const t = ctx.texts;
  const checks: CheckOutcome[] = [];
  const pool = new CertificatePool(extraCertificates);
  const built = buildCertificatePath(leaf, [...pool.all(), ...ctx.documentCertificates], ctx.trust);
  if (!built.found) {
    const issuer = leaf.info?.issuerDN ?? leaf.x509.issuer.replace(/\n/g, ', ');
    const detail = ctx.trust.anchors.length === 0 ? t.chainNoAnchors() : t.chainNotFound(issuer);
    checks.push(undecided('certificate-chain', detail, 'NO_CERTIFICATE_CHAIN_FOUND'));
  }
  const path = built.found ? built.path : built.partial;
  const problems: PathProblem[] = checkCertificatePath(path, time);
  const constraint = problems.find((p) => p.kind === 'not-a-ca' || p.kind === 'path-length');
  if (built.found) {
    if (constraint !== undefined) {
      checks.push(
        failed(
          'certificate-chain',
          t.chainConstraints(displayName(constraint.cert)),
          'indeterminate',
          'CHAIN_CONSTRAINTS_FAILURE',
        ),
      );
    } else checks.push(passed('certificate-chain', t.chainOk(pathNames(path), anchorOf(ctx, path)?.source)));
  }
  const expiry = problems.find((p) => p.kind === 'expired' || p.kind === 'not-yet-valid');
  if (expiry?.kind === 'expired') {
    checks.push(
      failed(
        'certificate-validity',
        t.validityExpired(displayName(expiry.cert), expiry.notAfter, time, source),
        'invalid',
        'EXPIRED',
      ),
    );
  } else if (expiry?.kind === 'not-yet-valid') {
    checks.push(
      failed(
        'certificate-validity',
        t.validityNotYet(displayName(expiry.cert), expiry.notBefore, time, source),
        'invalid',
        'NOT_YET_VALID',
      ),
    );
  } else checks.push(passed('certificate-validity', t.validityOk(time, source)));

  if (!built.found) {
    checks.push(notChecked('revocation', t.revocationNotChecked()));
    return { checks, revocation: undefined, anchor: undefined };
  }
  const revocation = await checkRevocation(
    {
      path: built.path,
      time,
      sources: { crls: [], ocsps: [] },
      online: ctx.online,
      ...(ctx.revocationClient ? { client: ctx.revocationClient } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    },
    embedded,
  );
  // A revocation after the time counts only when something proves the signature existed before it:
  // a timestamp, or a document timestamp (POE) no later than the revocation.
  const proof =
    source === 'timestamp'
      ? ('timestamp' as const)
      : revocation.revokedLater !== undefined &&
          ctx.poe !== undefined &&
          ctx.poe.getTime() <= revocation.revokedLater.revokedAt.getTime()
        ? ('document-timestamp' as const)
        : undefined;
  if (revocation.overall === 'revoked' && revocation.revoked) {
    const name = displayName(revocation.revoked.cert);
    checks.push(
      failed('revocation', t.revocationRevoked(name, revocation.revoked.revokedAt), 'invalid', 'REVOKED'),
    );
  } else if (revocation.revokedLater && proof === undefined) {
    // Revoked after the claimed time: nothing proves the signature was made before the revocation.
    const name = displayName(revocation.revokedLater.cert);
    checks.push(
      failed(
        'revocation',
        t.revocationRevokedNoPoe(name, revocation.revokedLater.revokedAt),
        'indeterminate',
        'REVOKED_NO_POE',
      ),
    );
  } else if (revocation.overall === 'unknown') {
    const unknown = revocation.certificates.find((c) => c.revocation.status === 'unknown');
    const detail = t.revocationUnknown(unknown ? displayName(unknown.cert) : displayName(leaf), ctx.online);
    checks.push(
      ctx.requireRevocation
        ? failed('revocation', detail, 'indeterminate', 'TRY_LATER')
        : warning('revocation', detail),
    );
  } else if (revocation.revokedLater) {
    checks.push(
      passed(
        'revocation',
        t.revocationRevokedLater(
          displayName(revocation.revokedLater.cert),
          revocation.revokedLater.revokedAt,
          proof,
        ),
      ),
    );
  } else {
    const online = revocation.certificates.some(
      (c) => c.revocation.status === 'good' && c.revocation.source === 'online',
    );
    // The sentence names the data that decided for the signer's own certificate.
    const first = revocation.certificates[0]?.revocation;
    const evidence =
      first?.status === 'good' && first.evidence !== undefined
        ? { kind: first.kind, from: first.evidence.from, issuedAt: first.evidence.issuedAt }
        : first?.status === 'good' && first.kind === 'no-check'
          ? { kind: first.kind, from: 'cms' as const, issuedAt: time }
          : undefined;
    checks.push(passed('revocation', t.revocationGood(online ? 'online' : 'embedded', evidence)));
  }
  return { checks, revocation, anchor: built.found ? anchorOf(ctx, built.path) : undefined };
}

function cmsChecks(ctx: ValidationContext, result: CmsCheck, sha1Content: boolean): CheckOutcome[] {
  const t = ctx.texts;
  const out: CheckOutcome[] = [];
  const i = result.integrity;
  // adbe.pkcs7.sha1 signs the SHA-1 of the ranges as eContent: the document's integrity is reported
  // by the caller, and the messageDigest here only binds that eContent.
  if (i.result === 'passed') {
    if (!sha1Content) out.push(passed('integrity', t.integrityOk()));
  } else if (i.result === 'failed') {
    const detail =
      i.reason === 'mismatch'
        ? t.integrityMismatch()
        : i.reason === 'no-message-digest'
          ? t.integrityNoMessageDigest()
          : t.integrityContentType();
    out.push(
      failed('integrity', detail, 'invalid', i.reason === 'mismatch' ? 'HASH_FAILURE' : 'FORMAT_FAILURE'),
    );
  } else if (i.reason === 'unsupported-digest') {
    out.push(undecided('integrity', t.integrityUnsupportedDigest('?'), 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'));
  } else if (!sha1Content) out.push(notChecked('integrity', t.integrityNotChecked()));
  const s = result.signature;
  if (s.result === 'passed') out.push(passed('signature', t.signatureOk(signatureMethodName(s.method))));
  else if (s.result === 'failed')
    out.push(
      failed('signature', t.signatureFailed(signatureMethodName(s.method)), 'invalid', 'SIG_CRYPTO_FAILURE'),
    );
  else if (s.reason === 'unsupported-algorithm') {
    out.push(
      undecided('signature', t.signatureUnsupported(s.oid ?? '?'), 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'),
    );
  } else out.push(undecided('signature', t.signatureNoCertificate(), 'NO_SIGNING_CERTIFICATE_FOUND'));
  return out;
}

function algorithmCheck(
  ctx: ValidationContext,
  cms: CmsSignature,
  result: CmsCheck,
  signer: PoolCertificate | undefined,
  legacySha1: boolean,
): CheckOutcome {
  const t = ctx.texts;
  const method = result.signature.result !== 'not-checked' ? result.signature.method : undefined;
  const hash = legacySha1 ? 'sha1' : (cms.digest ?? method?.hash);
  if (hash !== undefined && isWeakHash(hash)) {
    return failed(
      'algorithms',
      t.algorithmsWeakHash(hashDisplayName(hash)),
      'indeterminate',
      'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    );
  }
  if (method !== undefined && isWeakHash(method.hash)) {
    return failed(
      'algorithms',
      t.algorithmsWeakHash(hashDisplayName(method.hash)),
      'indeterminate',
      'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    );
  }
  if (method !== undefined && !isAcceptedScheme(method)) {
    return failed(
      'algorithms',
      t.algorithmsScheme(signatureMethodName(method)),
      'indeterminate',
      'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    );
  }
  const key = signer?.info?.key;
  if (key !== undefined && isWeakKey(key)) {
    return failed(
      'algorithms',
      t.algorithmsWeakKey(key.kind.toUpperCase(), key.bits),
      'indeterminate',
      'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    );
  }
  const parts = [
    hash ? hashDisplayName(hash) : undefined,
    method ? signatureMethodName(method) : undefined,
    key ? `${key.kind.toUpperCase()} ${key.bits}` : undefined,
  ];
  return passed('algorithms', t.algorithmsOk(parts.filter((p) => p !== undefined).join(', ')));
}

/**
 * A timestamp's authority is trusted only until `until` (expiry or revocation of its path): when
 * that is before the validation time, a later document timestamp must prove the timestamp existed
 * before it (ETSI EN 319 102-1 §5.6.2.4, archive timestamp renewal).
 */
function beyondTrust(ctx: ValidationContext, until: Date): boolean {
  if (until.getTime() >= ctx.validationTime.getTime()) return false;
  return ctx.poe === undefined || ctx.poe.getTime() >= until.getTime();
}

/** Validates a (CMS) signature dictionary. */
export async function validateSignature(
  ctx: ValidationContext,
  sig: SignatureDictionary,
  objectOffset: number | undefined,
): Promise<ValidatedSignature> {
  const t = ctx.texts;
  const checks: CheckOutcome[] = [];
  const byteRange = await checkByteRange({
    byteRange: sig.byteRange,
    contents: sig.contents,
    fileSize: ctx.fileSize,
    objectOffset,
    file: ctx.file,
  });
  const empty: ValidatedSignature = {
    checks,
    byteRange,
    signer: undefined,
    signingTime: sig.claimedTime,
    signingTimeSource: 'claimed',
    timestamp: undefined,
    hasSignatureTimestamp: false,
    digestAlgorithm: null,
    signatureAlgorithm: null,
    revocation: undefined,
    documentTimestampTime: undefined,
    evidenceTime:
      ctx.poe !== undefined
        ? { source: 'document-timestamp', at: ctx.poe }
        : sig.claimedTime !== undefined
          ? { source: 'claimed', at: sig.claimedTime }
          : { source: 'validation-time', at: ctx.validationTime },
  };
  if (!byteRange.ok)
    checks.push(failed('byte-range', t.byteRangeProblem(byteRange.problem), 'invalid', 'FORMAT_FAILURE'));
  else checks.push(passed('byte-range', '')); // the orchestrator words it once it knows the revision

  if (sig.subFilter === 'adbe.x509.rsa_sha1') {
    // A bare PKCS#1 signature with /Cert, from before CMS: not supported (and SHA-1 anyway).
    checks.push(undecided('signature', t.unsupportedSubFilter(sig.subFilter), 'FORMAT_FAILURE'));
    return empty;
  }
  const parsed = sig.contents === null ? null : parseCmsSignature(sig.contents);
  if (parsed === null || !parsed.ok) {
    checks.push(failed('signature', t.cmsMalformed(), 'invalid', 'FORMAT_FAILURE'));
    return empty;
  }
  if (sig.type === 'document-timestamp') return validateDocumentTimestamp(ctx, sig, byteRange, checks, empty);

  const cms = parsed.cms;
  const subFilter = sig.subFilter ?? '';
  const legacySha1 = subFilter === 'adbe.pkcs7.sha1';
  // An empty eContent (some tools write `[0] { OCTET STRING '' }`) is a detached signature still.
  if (!legacySha1 && cms.eContent !== undefined && cms.eContent.length > 0) {
    checks.push(failed('signature', t.cmsNotDetached(), 'invalid', 'FORMAT_FAILURE'));
    return empty;
  }
  const pool = new CertificatePool(cms.certificates);
  pool.addAll(ctx.documentCertificates.map((c) => c.der));
  const signer = findSignerCertificate(cms, pool);

  // What the SignerInfo signs: the byte ranges, or (adbe.pkcs7.sha1) their SHA-1 as eContent.
  let content: SignedContent;
  if (byteRange.ok && !legacySha1) content = rangesContent(ctx, byteRange.ranges);
  else if (legacySha1 && cms.eContent !== undefined) content = inMemoryContent(cms.eContent);
  else content = inMemoryContent(new Uint8Array(0));
  if (legacySha1) {
    if (byteRange.ok && cms.eContent !== undefined) {
      const actual = await rangesContent(ctx, byteRange.ranges).digest('sha1');
      if (Buffer.from(actual).equals(Buffer.from(cms.eContent)))
        checks.push(passed('integrity', t.integrityOk()));
      else checks.push(failed('integrity', t.integrityMismatch(), 'invalid', 'HASH_FAILURE'));
    } else checks.push(failed('integrity', t.integrityMismatch(), 'invalid', 'FORMAT_FAILURE'));
  }
  const result: CmsCheck =
    byteRange.ok || legacySha1
      ? await checkCmsSignature(cms, signer, content)
      : {
          integrity: { result: 'not-checked', reason: 'no-signed-attributes' },
          signature: { result: 'not-checked', reason: 'no-certificate' },
        };
  if (byteRange.ok || legacySha1) checks.push(...cmsChecks(ctx, result, legacySha1));

  const method = result.signature.result !== 'not-checked' ? result.signature.method : undefined;
  const base = {
    ...empty,
    signer,
    digestAlgorithm: cms.digest ? hashDisplayName(cms.digest) : null,
    signatureAlgorithm: method ? signatureMethodName(method) : null,
  };
  if (signer === undefined) {
    checks.push(undecided('signing-certificate', t.signerNotFound(), 'NO_SIGNING_CERTIFICATE_FOUND'));
    return base;
  }
  const binding = checkSigningCertificateBinding(cms, signer);
  if (binding === 'passed') checks.push(passed('signing-certificate', t.signingCertificateOk()));
  else if (binding === 'mismatch') {
    checks.push(
      failed(
        'signing-certificate',
        t.signingCertificateMismatch(),
        'indeterminate',
        'NO_SIGNING_CERTIFICATE_FOUND',
      ),
    );
  } else if (subFilter === 'ETSI.CAdES.detached')
    checks.push(warning('signing-certificate', t.signingCertificateMissing()));
  else checks.push(notChecked('signing-certificate', t.signingCertificateNotUsed()));

  // The signature timestamp: the proof of existence that fixes the signing time.
  let timestamp: TimestampCheck | undefined;
  for (const token of cms.signatureTimestamps) {
    timestamp = await checkTimestampToken({
      token,
      stamped: inMemoryContent(cms.signatureValue),
      trust: ctx.trust,
      pool: [...pool.all()],
      revocation: ctx.documentRevocation,
      online: ctx.online,
      ...(ctx.revocationClient ? { client: ctx.revocationClient } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (timestamp.result === 'valid') break;
  }
  // A timestamp whose authority is no longer trusted now needs a later proof of existence
  // (an archive timestamp) from before that; without it, it proves nothing.
  const outOfBounds =
    timestamp?.result === 'valid' && timestamp.trustedUntil !== undefined
      ? beyondTrust(ctx, timestamp.trustedUntil)
      : false;
  let signingTime = sig.claimedTime;
  let source: 'timestamp' | 'claimed' = 'claimed';
  if (timestamp === undefined) checks.push(notChecked('timestamp', t.timestampNone()));
  else if (outOfBounds && timestamp.genTime) {
    checks.push(
      warning(
        'timestamp',
        t.timestampTsaOutOfBounds(
          timestamp.limitedBy ? displayName(timestamp.limitedBy) : (timestamp.tsaName ?? '?'),
          timestamp.trustedUntil ?? ctx.validationTime,
        ),
      ),
    );
  } else if (timestamp.result === 'valid' && timestamp.genTime) {
    signingTime = timestamp.genTime;
    source = 'timestamp';
    checks.push(passed('timestamp', t.timestampValid(timestamp.genTime, timestamp.tsaName ?? '?')));
  } else if (timestamp.result === 'untrusted' && timestamp.genTime) {
    checks.push(warning('timestamp', t.timestampUntrusted(timestamp.genTime, timestamp.tsaName ?? '?')));
  } else {
    checks.push(
      failed(
        'timestamp',
        t.timestampInvalid(timestamp.failure ?? 'malformed'),
        'invalid',
        'SIG_CRYPTO_FAILURE',
      ),
    );
  }

  // The time the certificates are judged at: the timestamp's; else the claimed time, unless a
  // document timestamp proves the signature existed earlier; else that proof; else now.
  const poe = ctx.poe;
  let time: Date;
  let timeSource: TimeSource;
  let evidenceTime: EvidenceTime;
  if (source === 'timestamp' && signingTime !== undefined) {
    time = signingTime;
    timeSource = 'timestamp';
    evidenceTime = { source: 'signature-timestamp', at: signingTime };
  } else if (poe !== undefined && (signingTime === undefined || signingTime.getTime() > poe.getTime())) {
    time = poe;
    timeSource = 'document-timestamp';
    evidenceTime = { source: 'document-timestamp', at: poe };
  } else if (signingTime !== undefined) {
    time = signingTime;
    timeSource = 'claimed';
    evidenceTime =
      poe !== undefined ? { source: 'document-timestamp', at: poe } : { source: 'claimed', at: signingTime };
  } else {
    time = ctx.validationTime;
    timeSource = 'validation';
    evidenceTime = { source: 'validation-time', at: ctx.validationTime };
  }
  const embedded = new RevocationData({ crls: cms.crls, ocsps: cms.ocsps });
  embedded.crls.push(...ctx.documentRevocation.crls);
  embedded.ocsps.push(...ctx.documentRevocation.ocsps);
  const certs = await certificateChecks(ctx, signer, cms.certificates, embedded, time, timeSource);
  checks.push(...certs.checks);
  if (signingTime !== undefined && signingTime.getTime() > ctx.validationTime.getTime() + 5 * 60_000) {
    checks.push(
      failed(
        'certificate-validity',
        t.signedAfterValidationTime(signingTime, ctx.validationTime),
        'indeterminate',
        'OUT_OF_BOUNDS_NO_POE',
      ),
    );
  }
  const usage = signer.info?.keyUsage;
  if (usage !== undefined && !usage.includes('digitalSignature') && !usage.includes('nonRepudiation')) {
    checks.push(failed('key-usage', t.keyUsageMissing(), 'invalid', 'SIG_CONSTRAINTS_FAILURE'));
  } else checks.push(passed('key-usage', t.keyUsageOk()));
  checks.push(algorithmCheck(ctx, cms, result, signer, legacySha1));

  return {
    ...base,
    signingTime,
    signingTimeSource: source,
    timestamp: timestamp === undefined ? undefined : summariseTimestamp(timestamp),
    hasSignatureTimestamp: timestamp !== undefined && timestamp.result !== 'invalid',
    revocation: certs.revocation,
    evidenceTime,
    ...(certs.anchor ? { trustAnchor: certs.anchor } : {}),
  };
}

async function validateDocumentTimestamp(
  ctx: ValidationContext,
  sig: SignatureDictionary,
  byteRange: ByteRangeCheck,
  checks: CheckOutcome[],
  empty: ValidatedSignature,
): Promise<ValidatedSignature> {
  const t = ctx.texts;
  if (!byteRange.ok || sig.contents === null) return empty;
  const ts = await checkTimestampToken({
    token: sig.contents,
    stamped: rangesContent(ctx, byteRange.ranges),
    trust: ctx.trust,
    pool: ctx.documentCertificates,
    revocation: ctx.documentRevocation,
    online: ctx.online,
    ...(ctx.revocationClient ? { client: ctx.revocationClient } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const summary = summariseTimestamp(ts);
  const base: ValidatedSignature = {
    ...empty,
    signer: ts.tsa,
    signingTime: ts.genTime,
    signingTimeSource: 'timestamp',
    timestamp: summary,
    digestAlgorithm: ts.hash ? hashDisplayName(ts.hash) : null,
    documentTimestampTime: ts.result !== 'invalid' ? ts.genTime : undefined,
    evidenceTime: { source: 'document-timestamp', at: ts.genTime },
  };
  switch (ts.failure) {
    case 'imprint-mismatch':
      checks.push(failed('integrity', t.imprintMismatch(), 'invalid', 'HASH_FAILURE'));
      return base;
    case 'malformed':
    case 'unsupported-hash':
      checks.push(failed('signature', t.timestampInvalid(ts.failure), 'invalid', 'FORMAT_FAILURE'));
      return base;
    case 'no-tsa-certificate':
      checks.push(passed('integrity', t.integrityOk()));
      checks.push(
        undecided('signing-certificate', t.timestampInvalid(ts.failure), 'NO_SIGNING_CERTIFICATE_FOUND'),
      );
      return base;
    case 'bad-signature':
      checks.push(passed('integrity', t.integrityOk()));
      checks.push(failed('signature', t.timestampInvalid(ts.failure), 'invalid', 'SIG_CRYPTO_FAILURE'));
      return base;
    default:
      break;
  }
  checks.push(passed('integrity', t.integrityOk()));
  checks.push(passed('signature', t.timestampValid(ts.genTime ?? ctx.validationTime, ts.tsaName ?? '?')));
  if (ts.failure === 'ess-mismatch') {
    checks.push(
      failed(
        'signing-certificate',
        t.timestampInvalid(ts.failure),
        'indeterminate',
        'NO_SIGNING_CERTIFICATE_FOUND',
      ),
    );
  } else checks.push(passed('signing-certificate', t.signingCertificateOk()));
  if (ts.failure === 'not-a-tsa')
    checks.push(failed('key-usage', t.keyUsageTsaMissing(), 'invalid', 'SIG_CONSTRAINTS_FAILURE'));
  else checks.push(passed('key-usage', t.keyUsageTsaOk()));
  if (ts.tsa !== undefined && ts.genTime !== undefined) {
    const embedded = new RevocationData({ crls: ts.cms?.crls ?? [], ocsps: ts.cms?.ocsps ?? [] });
    embedded.crls.push(...ctx.documentRevocation.crls);
    embedded.ocsps.push(...ctx.documentRevocation.ocsps);
    const certs = await certificateChecks(
      ctx,
      ts.tsa,
      ts.cms?.certificates ?? [],
      embedded,
      ts.genTime,
      'timestamp',
    );
    checks.push(...certs.checks);
    if (ts.result === 'valid' && ts.trustedUntil !== undefined && beyondTrust(ctx, ts.trustedUntil)) {
      checks.push(
        failed(
          'certificate-validity',
          t.timestampTsaOutOfBounds(
            ts.limitedBy ? displayName(ts.limitedBy) : (ts.tsaName ?? '?'),
            ts.trustedUntil,
          ),
          'indeterminate',
          'OUT_OF_BOUNDS_NO_POE',
        ),
      );
    }
    const hash = ts.hash;
    if (hash !== undefined && isWeakHash(hash)) {
      checks.push(
        failed(
          'algorithms',
          t.algorithmsWeakHash(hashDisplayName(hash)),
          'indeterminate',
          'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
        ),
      );
    } else checks.push(passed('algorithms', t.algorithmsOk(hash ? hashDisplayName(hash) : '?')));
    return { ...base, revocation: certs.revocation, ...(certs.anchor ? { trustAnchor: certs.anchor } : {}) };
  }
  return base;
}
