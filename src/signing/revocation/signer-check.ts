// The check before signing (Circular 15/2025/TT-BKHCN; Decree 23/2025): is the signer's certificate
// revoked now? A revoked certificate is refused with the date of its revocation; a status that cannot
// be checked is refused or accepted with a warning, as the policy says.
import { KysoError } from '../../shared/errors.js';
import { readRevocationCertificate, type RevocationCertificate } from './revocation-certificate.js';
import type { RevocationClient, RevocationProblem, RevocationStatus } from './revocation-client.js';
import { completeChain } from './validation-data.js';

export type UnavailablePolicy = 'warn' | 'refuse';

export interface SignerRevocationResult {
  readonly status: 'good' | 'unknown';
  /** The evidence when the status is known (reused after signing, for B-LT). */
  readonly evidence: RevocationStatus | undefined;
  /** What could not be fetched, when the status is unknown. */
  readonly problems: readonly RevocationProblem[];
}

const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  '7',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

/** dd.MM.yyyy HH:mm:ss +07:00: how Vietnamese documents write a time (Vietnam has no summer time). */
export function formatVietnamTime(date: Date): string {
  const t = new Date(date.getTime() + 7 * 60 * 60 * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(t.getUTCDate())}.${p(t.getUTCMonth() + 1)}.${t.getUTCFullYear()} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +07:00`;
}

export function crlReasonName(reason: number | undefined): string | undefined {
  return reason === undefined ? undefined : (CRL_REASONS[reason] ?? String(reason));
}

/** One line naming what could not be fetched, for messages and warnings. */
export function describeProblems(problems: readonly RevocationProblem[]): string {
  return problems
    .map(
      (p) => `${p.source.toUpperCase()} ${p.url ?? '(no URL)'}: ${p.reason}${p.detail ? ` ${p.detail}` : ''}`,
    )
    .join('; ');
}

/**
 * Checks the signer's certificate (DER) against its issuer, found in `chain` or by AIA. Throws
 * CERT_REVOKED (details: revokedAt, reason, subject) for a revoked certificate, and
 * REVOCATION_UNAVAILABLE when the status is unknown and `whenUnavailable` is 'refuse'.
 */
export async function checkSignerRevocation(
  client: RevocationClient,
  certificate: Uint8Array,
  chain: readonly Uint8Array[],
  whenUnavailable: UnavailablePolicy,
): Promise<SignerRevocationResult> {
  const leaf = readRevocationCertificate(certificate);
  if (leaf === undefined) throw new KysoError('CERT_INVALID', 'The signing certificate cannot be parsed.');
  const pool = chain
    .map((der) => readRevocationCertificate(der))
    .filter((c): c is RevocationCertificate => c !== undefined);
  const before = client.problems.length;
  const { chain: path } = await completeChain(client, leaf, pool);
  const issuer = path[1];
  let evidence: RevocationStatus | undefined;
  if (issuer !== undefined) evidence = await client.status(leaf, issuer);
  if (evidence?.status === 'revoked') {
    const revokedAt = evidence.revokedAt ?? new Date(0);
    const reason = crlReasonName(evidence.reason);
    throw new KysoError(
      'CERT_REVOKED',
      `The certificate of ${leaf.name} was revoked on ${revokedAt.toISOString()}${reason ? ` (${reason})` : ''}.`,
      {
        details: {
          revokedAt: formatVietnamTime(revokedAt),
          revokedAtIso: revokedAt.toISOString(),
          subject: leaf.name,
          ...(reason ? { reason } : {}),
          source: evidence.source,
        },
      },
    );
  }
  if (evidence?.status === 'good') return { status: 'good', evidence, problems: [] };
  const problems = client.problems.slice(before);
  if (whenUnavailable === 'refuse') {
    const reason =
      issuer === undefined ? 'issuer certificate not found' : describeProblems(problems) || 'no answer';
    throw new KysoError(
      'REVOCATION_UNAVAILABLE',
      `The revocation status of ${leaf.name} cannot be checked: ${reason}.`,
      {
        details: { subject: leaf.name, reason },
      },
    );
  }
  return { status: 'unknown', evidence, problems };
}
