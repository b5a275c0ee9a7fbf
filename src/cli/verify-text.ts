// The plain-text report of `kyso verify`: one block per signature, every check with its result,
// every change after signing, then the document's warnings. What a clerk reads in a terminal.
import { formatVietnamTime, type SignatureReport, type VerificationReport } from '../signing/index.js';
import type { Lang } from '../shared/messages.js';
import { verifyLabels, type VerifyLabels } from './verify-labels.js';

const MARK = { passed: '✓', failed: '✗', warning: '!', 'not-checked': '–' } as const;

function signingTime(s: SignatureReport, l: VerifyLabels): string {
  if (s.signingTime === null) return '—';
  const how = s.signingTimeSource === 'timestamp' ? l.timestamped : l.claimed;
  return `${formatVietnamTime(new Date(s.signingTime))} (${how})`;
}

function signatureBlock(s: SignatureReport, l: VerifyLabels): string[] {
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
    l.levelName(s.level),
    s.certification ? l.certification(s.certification) : undefined,
  ];
  add(l.format, format.filter(Boolean).join(', '));
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
  for (const s of report.signatures) lines.push('', ...signatureBlock(s, l));
  if (report.warnings.length > 0) {
    lines.push('', `${l.warnings}:`);
    for (const w of report.warnings) lines.push(`  ! ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
