// The doctor report as text for people (IT staff, a help desk), in Vietnamese or English: what
// `kyso doctor` prints and saves and what the app's "Báo cáo chẩn đoán" shows, saves and copies.
// Built here beside diagnose() so that the CLI and the app give the same report.
import { messageFor, type Lang } from '../shared/messages.js';
import type { DiagnosticReport, DiagnosticWarning } from './diagnostics.js';
import { formatInventory } from './pkcs11/inventory-text.js';

function policyLines(r: DiagnosticReport, lang: Lang): string[] {
  const t = (vi: string, en: string): string => (lang === 'vi' ? vi : en);
  const p = r.policy;
  const head = `${t('Chính sách của máy', 'Machine policy')}: ${p.file}`;
  if (p.status === 'absent') return [`${head} — ${t('không có', 'none')}`];
  const lines =
    p.status === 'invalid'
      ? [
          `${head} — ${messageFor('POLICY_INVALID', { file: p.file, reason: p.problem ?? '' }, lang)} [POLICY_INVALID]`,
        ]
      : [`${head} — ${t('đang áp dụng', 'applied')}`];
  for (const l of p.locked) {
    lines.push(`  ${t('khóa', 'locked')}: ${l.key}${l.reason ? ` (${l.reason})` : ''}`);
  }
  return lines;
}

/** A wrong-architecture library is told in the user's language, naming the Kyso build to install. */
function warningText(w: DiagnosticWarning, lang: Lang): string {
  if (w.kind !== 'module-wrong-architecture') return w.message;
  return messageFor(
    'PKCS11_MODULE_NOT_LOADABLE',
    { reason: 'wrong-architecture', path: w.path, arch: w.arch, processArch: w.processArch },
    lang,
  );
}

export function diagnosticReportText(r: DiagnosticReport, lang: Lang): string {
  const t = (vi: string, en: string): string => (lang === 'vi' ? vi : en);
  const lines = [
    `Kyso doctor — ${r.generatedAt}`,
    `${t('Hệ điều hành', 'OS')}: ${r.system.os} ${r.system.release} (${r.system.arch}), Node ${r.system.node}`,
    `${t('Thư mục dữ liệu', 'Data folder')}: ${r.system.kysoHome}`,
    `${t('Danh mục thư viện token', 'Token library catalogue')}: ${t('đã tìm', 'searched')} ${r.catalogueSearched} ${t('vị trí', 'paths')}, ${t('thấy', 'found')} ${r.catalogue.length}`,
    ...r.catalogue.map(
      (c) =>
        `  ${c.vendor} (${c.token}): ${c.probe.path} → ${c.probe.outcome}${c.probe.detail ? ` (${c.probe.detail})` : ''}`,
    ),
    ...policyLines(r, lang),
    '',
    formatInventory(r.modules, lang).trimEnd(),
    '',
    `${t('Cảnh báo', 'Warnings')}: ${r.warnings.length === 0 ? t('không có', 'none') : ''}`,
    ...r.warnings.map((w) => `  - [${w.kind}] ${warningText(w, lang)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The file name a saved report gets: kyso-doctor-<UTC time>.txt|json. */
export function diagnosticReportFileName(r: DiagnosticReport, format: 'text' | 'json'): string {
  const stamp = r.generatedAt.replace(/[-:]/g, '').replace(/\..*$/, '');
  return `kyso-doctor-${stamp}.${format === 'json' ? 'json' : 'txt'}`;
}
