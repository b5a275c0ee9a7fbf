// `kyso doctor`: the diagnostic report for IT staff, printed and written to a file they can share.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { kysoHome } from '../signing/home.js';
import { diagnose, diagnosticReportFileName, diagnosticReportText } from '../signing/tokens-api.js';
import type { Lang } from '../shared/messages.js';
import { EXIT } from './cli-io.js';
import { MODULE_OPTIONS, parseCommandArgs } from './command-args.js';

export async function doctorCommand(argv: string[], lang: Lang): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    ...MODULE_OPTIONS,
    json: { type: 'boolean' },
    out: { type: 'string' },
  });
  const report = await diagnose(values.module ? { modules: values.module } : {});
  const text = values.json ? `${JSON.stringify(report, null, 2)}\n` : diagnosticReportText(report, lang);
  const out =
    values.out ??
    path.join(kysoHome(), 'reports', diagnosticReportFileName(report, values.json ? 'json' : 'text'));
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, out);
  process.stdout.write(text);
  process.stderr.write(`${lang === 'vi' ? 'Đã ghi báo cáo' : 'Report written to'}: ${out}\n`);
  return EXIT.OK;
}
