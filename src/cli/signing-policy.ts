// The signing side of the long-term settings, shared by `kyso sign` and `kyso batch`: the
// revocation policy of the settings file, and the warnings printed after signing. Only the policy's
// plain options are built here; the OCSP/CRL client loads when a signature needs it.
import {
  signingRevocationPolicyFromSettings,
  type SignerRevocationSummary,
  type SigningRevocationPolicy,
} from '../signing/sign-api.js';
import type { LongTermResult, RevocationProblem } from '../signing/long-term-api.js';
import type { Lang } from '../shared/messages.js';
import { commandSettings, configuredIntermediates } from './command-settings.js';

/** The revocation policy of the settings file, with the configured intermediates. */
export async function signingRevocationPolicy(): Promise<SigningRevocationPolicy> {
  return signingRevocationPolicyFromSettings(await commandSettings(), await configuredIntermediates());
}

function problemLines(problems: readonly RevocationProblem[], lang: Lang): string[] {
  return problems.map((p) =>
    lang === 'vi'
      ? `  - ${p.subject}: ${p.source.toUpperCase()} ${p.url ?? '(chứng thư không ghi địa chỉ)'} — ${p.reason}${p.detail ? ` (${p.detail})` : ''}`
      : `  - ${p.subject}: ${p.source.toUpperCase()} ${p.url ?? '(no address in the certificate)'} — ${p.reason}${p.detail ? ` (${p.detail})` : ''}`,
  );
}

/** Warnings after signing: an unchecked revocation status, missing long-term evidence. */
export function longTermWarnings(
  result: { readonly revocation?: SignerRevocationSummary; readonly longTerm?: LongTermResult },
  lang: Lang,
): string[] {
  const lines: string[] = [];
  if (result.revocation?.status === 'unknown') {
    lines.push(
      lang === 'vi'
        ? 'Cảnh báo: không kiểm tra được tình trạng thu hồi của chứng thư ký; văn bản vẫn được ký theo chính sách. Không lấy được:'
        : 'Warning: the revocation status of the signing certificate could not be checked; signed as the policy allows. Could not fetch:',
      ...problemLines(result.revocation.problems, lang),
    );
  }
  const missing = result.longTerm?.problems ?? [];
  const incomplete = result.longTerm?.signatures.some((s) => !s.complete) === true;
  if (missing.length > 0 && incomplete) {
    lines.push(
      lang === 'vi'
        ? 'Cảnh báo: dữ liệu kiểm tra dài hạn chưa đầy đủ (chưa đạt B-LT). Không lấy được:'
        : 'Warning: the long-term validation data is incomplete (B-LT not reached). Could not fetch:',
      ...problemLines(missing, lang),
    );
  }
  return lines;
}
