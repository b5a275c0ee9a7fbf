// `kyso verify FILE.pdf`: every signature of a document, what changed after each, in Vietnamese by
// default. Exit 0 when every signature is valid and nothing disallowed changed; 1 when anything is
// invalid or indeterminate (or the document is not signed); 2 for usage and input errors, with one
// line on standard error.
import { writeFile } from 'node:fs/promises';
import { isKysoError, KysoError, type ErrorCode } from '../shared/errors.js';
import {
  extractRevision,
  loadTrustStore,
  verifyPdf,
  type VerificationReport,
} from '../signing/verify-api.js';
import type { Lang } from '../shared/messages.js';
import { errorLine, EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';
import { renderVerificationHtml } from './verify-html.js';
import { formatVerificationText } from './verify-text.js';

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
  const trust = await loadTrustStore({
    files: values.trust ?? [],
    dirs: values['trust-dir'] ?? [],
    managed: values['no-trust-store'] !== true,
  });
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  let report: VerificationReport;
  try {
    report = await verifyPdf({
      input,
      trust,
      online: values.online === true,
      requireRevocation: values['require-revocation'] === true,
      lang,
      signal: controller.signal,
      ...(at ? { at } : {}),
    });
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
