// The plain-text report of `kyso verify`: one block per signature, every check with its result,
// every change after signing, then the document's warnings. What a clerk reads in a terminal.
import { formatVietnamTime } from '../verification-texts.js';
import type { SignatureReport, VerificationReport } from '../verification-report.js';
import type { Lang } from '../../../shared/messages.js';
import { verifyLabels, type VerifyLabels } from './verification-labels.js';

const EVIDENCE_LABELS = {
  vi: {
    time: 'Bằng chứng thời điểm',
    revocation: 'Bằng chứng thu hồi',
    longTerm: 'Dữ liệu lưu trữ dài hạn',
    source: {
      'signature-timestamp': 'dấu thời gian của chữ ký',
      'document-timestamp': 'dấu thời gian văn bản (chứng minh tồn tại)',
      claimed: 'thời điểm do người ký khai',
      'validation-time': 'thời điểm kiểm tra',
    },
    from: { dss: 'DSS của văn bản', cms: 'kèm trong chữ ký', online: 'tra cứu trực tuyến' },
    status: { good: 'chưa thu hồi', revoked: 'đã thu hồi', unknown: 'không rõ' },
    issued: 'phát hành',
    noData: 'không có dữ liệu',
    dss: (n: number) => `DSS ở phiên bản ${n}`,
    archive: (list: readonly number[]) => `dấu thời gian lưu trữ số ${list.join(', ')}`,
  },
  en: {
    time: 'Time evidence',
    revocation: 'Revocation evidence',
    longTerm: 'Long-term evidence',
    source: {
      'signature-timestamp': 'signature timestamp',
      'document-timestamp': 'document timestamp (proof of existence)',
      claimed: 'claimed by the signer',
      'validation-time': 'validation time',
    },
    from: { dss: "document's DSS", cms: 'embedded in the signature', online: 'fetched online' },
    status: { good: 'good', revoked: 'revoked', unknown: 'unknown' },
    issued: 'issued',
    noData: 'no data',
    dss: (n: number) => `DSS in revision ${n}`,
    archive: (list: readonly number[]) => `archive timestamp ${list.map((i) => `#${i}`).join(', ')}`,
  },
} as const;

/** The evidence of one signature as label/value pairs (shared with the HTML report). */
export function evidenceRows(s: SignatureReport, lang: Lang): Array<readonly [string, string]> {
  const e = s.evidence;
  if (e === undefined) return [];
  const l = EVIDENCE_LABELS[lang === 'en' ? 'en' : 'vi'];
  const rows: Array<readonly [string, string]> = [];
  const at = e.time.at === null ? '' : `${formatVietnamTime(new Date(e.time.at))} — `;
  rows.push([l.time, `${at}${l.source[e.time.source]}`]);
  if (e.revocation.length > 0) {
    const items = e.revocation.map((r) => {
      const what =
        r.kind === null
          ? r.status === 'unknown'
            ? l.noData
            : 'ocsp-nocheck'
          : `${r.kind.toUpperCase()}${r.issuedAt ? ` ${l.issued} ${formatVietnamTime(new Date(r.issuedAt))}` : ''}${r.from ? `, ${l.from[r.from]}` : ''}`;
      return `${r.subject}: ${l.status[r.status]} (${what})`;
    });
    rows.push([l.revocation, items.join('; ')]);
  }
  const longTerm = [
    e.dssRevision !== null ? l.dss(e.dssRevision) : undefined,
    e.archiveTimestamps.length > 0 ? l.archive(e.archiveTimestamps) : undefined,
  ].filter((x) => x !== undefined);
  if (longTerm.length > 0) rows.push([l.longTerm, longTerm.join(', ')]);
  return rows;
}

/** The PAdES level, and the LTV a non-ETSI signature reaches. */
export function formatLevel(s: SignatureReport, l: VerifyLabels): string {
  const ltv = s.level === 'none' && s.ltv ? ` (LTV ${s.ltv})` : '';
  return `${l.levelName(s.level)}${ltv}`;
}

const MARK = { passed: '✓', failed: '✗', warning: '!', 'not-checked': '–' } as const;

function signingTime(s: SignatureReport, l: VerifyLabels): string {
  if (s.signingTime === null) return '—';
  const how = s.signingTimeSource === 'timestamp' ? l.timestamped : l.claimed;
  return `${formatVietnamTime(new Date(s.signingTime))} (${how})`;
}

function signatureBlock(s: SignatureReport, l: VerifyLabels, lang: Lang): string[] {
  const title = s.type === 'document-timestamp' ? l.documentTimestamp : l.signature;
  const lines = [
    `${title} ${s.index} — ${l.field} ${s.field}: ${l.status[s.status]}${s.subIndication ? ` (${s.subIndication})` : ''}`,
  ];
  const add = (label: string, value: string | null | undefined): void => {
    if (value !== null && value !== undefined && value !== '') lines.push(`  ${label}: ${value}`);
  };
  add(l.reason, s.reason);
  add(l.signer, s.signer.name);
  add(l.organization, s.signer.organization);
  add(l.dn, s.signer.dn);
  add(l.issuer, s.issuer);
  add(l.serial, s.serial);
  add(l.signingTime, signingTime(s, l));
  if (s.timestamp) {
    add(
      l.timestamp,
      `${formatVietnamTime(new Date(s.timestamp.time))} — ${s.timestamp.tsa ?? '?'} (${s.timestamp.status})`,
    );
  }
  const format = [
    s.subFilter ?? '?',
    formatLevel(s, l),
    s.certification ? l.certification(s.certification) : undefined,
  ];
  add(l.format, format.filter(Boolean).join(', '));
  for (const [label, value] of evidenceRows(s, lang)) add(label, value);
  add(l.algorithms, [s.digestAlgorithm, s.signatureAlgorithm].filter(Boolean).join(', '));
  add(
    l.coverage,
    s.coverage.wholeDocument ? l.wholeDocument : l.revisionOf(s.coverage.revision, s.coverage.revisions),
  );
  lines.push(`  ${l.checks}:`);
  for (const c of s.checks) {
    lines.push(
      `    [${MARK[c.result]}] ${l.check[c.id]} (${l.result[c.result]})${c.detail ? `: ${c.detail}` : ''}`,
    );
  }
  if (s.changesAfter.length > 0) {
    lines.push(`  ${l.changesAfter}:`);
    for (const c of s.changesAfter)
      lines.push(`    [${c.allowed ? l.allowed : l.notAllowed}] ${c.description}`);
  }
  return lines;
}

export function formatVerificationText(report: VerificationReport, lang: Lang): string {
  const l = verifyLabels(lang);
  const lines = [
    `${l.title}`,
    `${l.file}: ${report.file}`,
    `${l.documentStatus}: ${l.status[report.status]}`,
    `${l.revisions}: ${report.revisions}`,
    `${l.validationTime}: ${formatVietnamTime(new Date(report.validationTime))}`,
  ];
  if (report.signatures.length === 0) lines.push('', l.noSignatures);
  for (const s of report.signatures) lines.push('', ...signatureBlock(s, l, lang));
  if (report.warnings.length > 0) {
    lines.push('', `${l.warnings}:`);
    for (const w of report.warnings) lines.push(`  ! ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
