// `kyso doctor`: the diagnostic report for IT staff, printed and written to a file they can share.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diagnose, type DiagnosticReport, type DiagnosticWarning } from '../signing/diagnostics.js';
import { kysoHome } from '../signing/home.js';
import { messageFor, type Lang } from '../shared/messages.js';
import { EXIT } from './cli-io.js';
import { MODULE_OPTIONS, parseCommandArgs } from './command-args.js';
import { formatInventory } from './inventory-text.js';

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

function formatReport(r: DiagnosticReport, lang: Lang): string {
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

export async function doctorCommand(argv: string[], lang: Lang): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    ...MODULE_OPTIONS,
    json: { type: 'boolean' },
    out: { type: 'string' },
  });
  const report = await diagnose(values.module ? { modules: values.module } : {});
  const text = values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, lang);
  const stamp = report.generatedAt.replace(/[-:]/g, '').replace(/\..*$/, '');
  const out =
    values.out ?? path.join(kysoHome(), 'reports', `kyso-doctor-${stamp}.${values.json ? 'json' : 'txt'}`);
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, out);
  process.stdout.write(text);
  process.stderr.write(`${lang === 'vi' ? 'Đã ghi báo cáo' : 'Report written to'}: ${out}\n`);
  return EXIT.OK;
}
