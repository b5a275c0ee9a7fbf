// `kyso verify FILE.pdf`: every signature of a document, what changed after each, in Vietnamese by
// default. Exit 0 when every signature is valid and nothing disallowed changed; 1 when anything is
// invalid or indeterminate (or the document is not signed); 2 for usage and input errors, with one
// line on standard error. `kyso verify FILE... | --in DIR [--recursive]` checks many documents in
// one process (trust loaded once, one document at a time so memory stays flat): one line per file
// and a total, or JSON Lines with --json; a broken file is reported in its line and the run goes on.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isKysoError, KysoError, type ErrorCode } from '../shared/errors.js';
import {
  extractRevision,
  formatVerificationText,
  loadTrustStore,
  renderVerificationHtml,
  verifyLabels,
  verifyDocuments,
  verifyPdf,
  type TrustStore,
  type VerificationReport,
  type VerifyPdfRequest,
} from '../signing/verify-api.js';
import type { Lang } from '../shared/messages.js';
import { messageFor } from '../shared/messages.js';
import { errorLine, EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';

/** Failures that mean "this input cannot be verified": exit 2, like a usage error. */
const INPUT_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'USAGE',
  'INPUT_NOT_FOUND',
  'INPUT_UNREADABLE',
  'PDF_EMPTY',
  'PDF_NOT_PDF',
  'PDF_TRUNCATED',
  'PDF_ENCRYPTED',
  'PDF_XREF_BROKEN',
  'PDF_HYBRID_XREF',
  'PDF_MALFORMED',
  'PDF_TOO_LARGE',
  'CERT_INVALID',
]);

const ENCRYPTED_LINE: Readonly<Record<Lang, string>> = {
  vi: 'kyso: Tệp PDF được mã hóa (có mật khẩu); Kyso chưa hỗ trợ kiểm tra chữ ký trên tệp mã hóa. [PDF_ENCRYPTED]',
  en: 'kyso: The PDF is encrypted (password protected); Kyso cannot verify signatures in encrypted files yet. [PDF_ENCRYPTED]',
};

function parseAt(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw usageError(`--at takes an ISO 8601 date and time (e.g. 2026-11-26T09:15:00+07:00), not "${value}"`);
  }
  return date;
}

function parseRevisionIndex(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw usageError(`--extract-revision takes a signature number (1, 2, …), not "${value}"`);
  return n;
}

async function writeReport(path: string, html: string, overwrite: boolean): Promise<void> {
  try {
    await writeFile(path, html, { encoding: 'utf8', flag: overwrite ? 'w' : 'wx' });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new KysoError('OUTPUT_EXISTS', `${path} exists.`, { details: { path }, cause });
    if (code === 'ENOSPC') throw new KysoError('DISK_FULL', 'The disk is full.', { cause });
    throw new KysoError('OUTPUT_NOT_WRITABLE', `Cannot write ${path}.`, { details: { path }, cause });
  }
}

export async function verifyCommand(argv: string[], lang: Lang): Promise<number> {
  try {
    return await run(argv, lang);
  } catch (err) {
    if (isKysoError(err) && INPUT_ERRORS.has(err.code)) {
      process.stderr.write(`${err.code === 'PDF_ENCRYPTED' ? ENCRYPTED_LINE[lang] : errorLine(err, lang)}\n`);
      return EXIT.USAGE;
    }
    throw err;
  }
}

async function run(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      trust: { type: 'string', multiple: true },
      'trust-dir': { type: 'string', multiple: true },
      'no-trust-store': { type: 'boolean' },
      'no-builtin-trust': { type: 'boolean' },
      in: { type: 'string' },
      recursive: { type: 'boolean' },
      online: { type: 'boolean' },
      json: { type: 'boolean' },
      report: { type: 'string' },
      at: { type: 'string' },
      'extract-revision': { type: 'string' },
      'require-revocation': { type: 'boolean' },
      overwrite: { type: 'boolean' },
      lang: { type: 'string' },
    },
    true,
  );
  const extract = parseRevisionIndex(values['extract-revision']);
  if (values.recursive === true && values.in === undefined)
    throw usageError('--recursive goes with --in DIR');
  if (extract === undefined && (values.in !== undefined || positionals.length > 1)) {
    return runMany(values, positionals, lang);
  }
  const expected = extract === undefined ? 1 : 2;
  if (positionals.length !== expected) {
    throw usageError(
      extract === undefined
        ? 'kyso verify takes one PDF: kyso verify FILE.pdf'
        : 'kyso verify FILE.pdf --extract-revision N OUT.pdf takes the document and the output file',
    );
  }
  const input = positionals[0] as string;
  const at = parseAt(values.at);
  const trust = await trustFrom(values);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  let report: VerificationReport;
  try {
    report = await verifyPdf({ input, ...checkOptions(values, trust, lang, controller.signal, at) });
  } finally {
    process.off('SIGINT', onSignal);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(formatVerificationText(report, lang));
  if (values.report !== undefined) {
    await writeReport(values.report, renderVerificationHtml(report, lang), values.overwrite === true);
  }
  if (extract !== undefined) {
    const result = await extractRevision({
      report,
      signature: extract,
      output: positionals[1] as string,
      overwrite: values.overwrite === true,
    });
    if (!values.json) {
      process.stdout.write(
        lang === 'vi'
          ? `Đã ghi văn bản tại thời điểm ký chữ ký ${extract} (phiên bản ${result.revision}) vào ${result.output}.\n`
          : `Wrote the document as signature ${extract} signed it (revision ${result.revision}) to ${result.output}.\n`,
      );
    }
  }
  return report.status === 'valid' ? EXIT.OK : EXIT.FAILED;
}

interface TrustOptions {
  trust?: string[] | undefined;
  'trust-dir'?: string[] | undefined;
  'no-trust-store'?: boolean | undefined;
  'no-builtin-trust'?: boolean | undefined;
}

/** How every document is checked, one file or many: the trust, the network, the time. */
function checkOptions(
  values: { online?: boolean | undefined; 'require-revocation'?: boolean | undefined },
  trust: TrustStore,
  lang: Lang,
  signal: AbortSignal,
  at: Date | undefined,
): Omit<VerifyPdfRequest, 'input'> {
  return {
    trust,
    online: values.online === true,
    requireRevocation: values['require-revocation'] === true,
    // A command-line run has no window to keep responsive: blocking reads of each document are
    // faster than round trips through the thread pool.
    blockingReads: true,
    lang,
    signal,
    ...(at ? { at } : {}),
  };
}

function trustFrom(values: TrustOptions): ReturnType<typeof loadTrustStore> {
  return loadTrustStore({
    files: values.trust ?? [],
    dirs: values['trust-dir'] ?? [],
    managed: values['no-trust-store'] !== true,
    builtin: values['no-builtin-trust'] !== true,
  });
}

/** The PDF files of `dir` (and its subfolders with `recursive`), sorted. */
async function pdfsIn(dir: string, recursive: boolean): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KysoError(code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE', `Cannot read ${dir}.`, {
      details: { path: dir },
      cause,
    });
  }
  const files: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && recursive) files.push(...(await pdfsIn(full, true)));
    else if (e.isFile() && e.name.toLowerCase().endsWith('.pdf')) files.push(full);
  }
  return files;
}

/** Where the HTML report of `file` goes inside the --report folder: its path under --in, flattened. */
function reportName(file: string, base: string | undefined, used: Set<string>): string {
  const rel = base !== undefined ? path.relative(base, file) : path.basename(file);
  const stem = rel.replace(/\.pdf$/i, '').replace(/[\\/]+/g, '__');
  let name = `${stem}.html`;
  for (let i = 2; used.has(name); i++) name = `${stem}-${i}.html`;
  used.add(name);
  return name;
}

interface ManyValues extends TrustOptions {
  in?: string | undefined;
  recursive?: boolean | undefined;
  json?: boolean | undefined;
  report?: string | undefined;
  at?: string | undefined;
  online?: boolean | undefined;
  'require-revocation'?: boolean | undefined;
  overwrite?: boolean | undefined;
}

/** Many documents in one process: one line each (text or JSON Lines), a total, exit 0 only when all are valid. */
async function runMany(values: ManyValues, positionals: readonly string[], lang: Lang): Promise<number> {
  const files = [...positionals];
  if (values.in !== undefined) files.push(...(await pdfsIn(values.in, values.recursive === true)));
  if (files.length === 0) throw usageError(`no PDF file in ${values.in ?? '(none given)'}`);
  const at = parseAt(values.at);
  const trust = await trustFrom(values);
  const reportDir = values.report;
  if (reportDir !== undefined) {
    const st = await stat(reportDir).catch(() => null);
    if (st !== null && !st.isDirectory()) {
      throw usageError(`--report with several files takes a folder, and ${reportDir} is a file`);
    }
    await mkdir(reportDir, { recursive: true });
  }
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  const labels = verifyLabels(lang);
  const counts = { valid: 0, invalid: 0, indeterminate: 0, unsigned: 0, error: 0 };
  const used = new Set<string>();
  try {
    const outcomes = verifyDocuments(files, checkOptions(values, trust, lang, controller.signal, at));
    for await (const outcome of outcomes) {
      const file = outcome.input;
      let line: string;
      if ('report' in outcome) {
        const report = outcome.report;
        counts[report.status]++;
        line = values.json ? JSON.stringify(report) : textLine(file, report, labels.status[report.status]);
        if (reportDir !== undefined) {
          const target = path.join(reportDir, reportName(file, values.in, used));
          await writeReport(target, renderVerificationHtml(report, lang), values.overwrite === true);
        }
      } else {
        // One file that cannot be verified (even through a bug: INTERNAL) does not stop the others.
        counts.error++;
        const { code, cause } = outcome.error;
        const message = messageFor(code, isKysoError(cause) ? cause.details : {}, lang);
        line = values.json
          ? JSON.stringify({ file, status: 'error', error: { code, message } })
          : `${lang === 'vi' ? 'LỖI' : 'ERROR'}  ${file} — ${message} [${code}]`;
      }
      process.stdout.write(`${line}\n`);
    }
  } finally {
    process.off('SIGINT', onSignal);
  }
  if (!values.json) process.stdout.write(totalLine(files.length, counts, lang));
  else process.stderr.write(totalLine(files.length, counts, lang));
  return counts.valid === files.length ? EXIT.OK : EXIT.FAILED;
}

/** One file's verdict and, when it is not valid, why (the first signature that is not). */
function textLine(file: string, report: VerificationReport, status: string): string {
  const bad = report.signatures.find((s) => s.status !== 'valid');
  const why = report.status === 'valid' ? '' : bad !== undefined ? ` — ${bad.reason}` : '';
  return `${status}  ${file}${why}`;
}

function totalLine(
  total: number,
  c: Record<'valid' | 'invalid' | 'indeterminate' | 'unsigned' | 'error', number>,
  lang: Lang,
): string {
  return lang === 'vi'
    ? `Tổng: ${total} tệp — ${c.valid} hợp lệ, ${c.invalid} không hợp lệ, ${c.indeterminate} chưa xác định được, ${c.unsigned} không có chữ ký, ${c.error} lỗi.\n`
    : `Total: ${total} files — ${c.valid} valid, ${c.invalid} invalid, ${c.indeterminate} indeterminate, ${c.unsigned} not signed, ${c.error} errors.\n`;
}
