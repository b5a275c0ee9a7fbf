// What signPdf does for revocation and long-term levels, kept here so that the signing orchestration
// only calls in: the signer's revocation check before signing (Circular 15/2025: refuse a revoked
// certificate, sign an unchecked one only as the policy allows and say so), and after the signature
// the B-LT/B-LTA updates on the same temporary file, so that the output appears complete or not at all.
import { signatureTimestampOf, type DigestAlgorithm, type Signer } from '../cms/index.js';
import { checkSignerRevocation, RevocationClient } from '../revocation/index.js';
import type { PendingOutput } from '../sign/output-file.js';
import {
  appendLongTermData,
  type LongTermProgress,
  type LongTermResult,
  type ReachedLevel,
} from './long-term.js';
import { recordTimestampToken, timestampSizeHint, type TimestampServer } from './timestamp-size.js';
import type { SignerRevocationSummary, SigningRevocationPolicy } from './signing-policy.js';

export type { SignerRevocationSummary, SigningRevocationPolicy } from './signing-policy.js';

export function isLongTermLevel(level: string): level is 'B-LT' | 'B-LTA' {
  return level === 'B-LT' || level === 'B-LTA';
}

function clientOf(
  policy: SigningRevocationPolicy | undefined,
  signal: AbortSignal | undefined,
): RevocationClient {
  const c = policy?.client;
  if (c instanceof RevocationClient) return c;
  return new RevocationClient({ ...(c ?? {}), ...(signal && c?.signal === undefined ? { signal } : {}) });
}

/**
 * The check before signing. Throws CERT_REVOKED for a revoked certificate, REVOCATION_UNAVAILABLE
 * when it cannot be checked and the policy refuses; returns the client for the work after signing.
 */
export async function checkRevocationBeforeSigning(
  signer: Signer,
  level: string,
  policy: SigningRevocationPolicy | undefined,
  signal: AbortSignal | undefined,
): Promise<{ client: RevocationClient | undefined; summary: SignerRevocationSummary }> {
  const when = policy?.checkBeforeSigning ?? 'long-term';
  const wanted = when === 'always' || (when === 'long-term' && isLongTermLevel(level));
  const client = wanted || isLongTermLevel(level) ? clientOf(policy, signal) : undefined;
  if (!wanted || client === undefined)
    return { client, summary: { status: 'not-checked', source: null, problems: [] } };
  const result = await checkSignerRevocation(
    client,
    signer.certificate,
    signer.chain,
    policy?.whenUnavailable ?? 'warn',
  );
  const source =
    result.evidence?.source === 'ocsp' || result.evidence?.source === 'crl' ? result.evidence.source : null;
  return { client, summary: { status: result.status, source, problems: result.problems } };
}

/** After the signature: the DSS (and for B-LTA the archive timestamp) on the same temporary file. */
export async function appendLongTermAfterSigning(
  pending: PendingOutput,
  request: {
    readonly level: 'B-LT' | 'B-LTA';
    readonly client: RevocationClient;
    readonly tsa: TimestampServer | undefined;
    readonly digest: DigestAlgorithm;
    readonly policy: SigningRevocationPolicy | undefined;
    readonly fieldName: string;
    readonly signal: AbortSignal | undefined;
    readonly onProgress: (progress: LongTermProgress) => void;
  },
): Promise<{ result: LongTermResult; level: ReachedLevel }> {
  const result = await appendLongTermData(pending, {
    level: request.level,
    revocation: request.client,
    digest: request.digest,
    onProgress: request.onProgress,
    timestampUntimestamped: false,
    ...(request.tsa ? { tsa: request.tsa } : {}),
    ...(request.policy?.extraCertificates ? { extraCertificates: request.policy.extraCertificates } : {}),
    ...(request.policy?.renewBeforeDays !== undefined
      ? { renewBeforeDays: request.policy.renewBeforeDays }
      : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const own = result.signatures.find((s) => s.type === 'signature' && s.field === request.fieldName);
  return { result, level: own?.level ?? result.level };
}

/**
 * Bytes to reserve for the signature timestamp of `tsa`: what its tokens were seen to take, else
 * (long-term levels only, which talk to the TSA anyway) one probe request, else a default.
 */
export async function signatureTimestampSizeHint(
  tsa: TimestampServer,
  digest: DigestAlgorithm,
  level: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  const hint = await timestampSizeHint({
    tsa,
    digest,
    probe: isLongTermLevel(level),
    ...(signal ? { signal } : {}),
  });
  return hint.size;
}

/** Learns the size of the timestamp token a signature received (best effort, never throws). */
export async function rememberSignatureTimestamp(tsaUrl: string, cms: Uint8Array): Promise<void> {
  try {
    const { token } = signatureTimestampOf(cms);
    if (token !== undefined) await recordTimestampToken(tsaUrl, token);
  } catch {
    // knowledge only: a CMS we cannot read back changes nothing here
  }
}
