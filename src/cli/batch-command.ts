// `kyso batch (--in DIR | FILE...) --out DIR …`: signs many documents with one login, records each
// outcome in a journal (resumable with --resume) and writes a JSON and a CSV report. Exit code 0
// when every document is signed, 1 when some failed or were not done, 2 for usage errors.
import path from 'node:path';
import { runBatch, writeBatchReport } from '../signing/batch-api.js';
import { isKysoError, KysoError } from '../shared/errors.js';
import { loadTrustStore } from '../signing/verify-api.js';
import type { Lang } from '../shared/messages.js';
import { batchSigningOptions } from './batch-options.js';
import { BatchProgressView, summaryLine } from './batch-progress.js';
import { batchSignerFrom } from './batch-signer.js';
import { errorLine, EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';
import { APPEARANCE_OPTIONS, SIGNATURE_OPTIONS } from './sign-command.js';
import { SIGNER_OPTIONS } from './signer-options.js';

/** Failures that say the command cannot run as given: exit code 2, like other usage errors. */
const USAGE_LIKE: ReadonlySet<string> = new Set([
  'USAGE',
  'SETTINGS_INVALID',
  'OUTPUT_SAME_AS_INPUT',
  'BATCH_JOURNAL_EXISTS',
  'BATCH_RESUME_MISMATCH',
]);

export async function batchCommand(argv: string[], lang: Lang): Promise<number> {
  try {
    return await runBatchCommand(argv, lang);
  } catch (err) {
    if (!isKysoError(err) || !USAGE_LIKE.has(err.code)) throw err;
    process.stderr.write(`${errorLine(err, lang)}\n`);
    return EXIT.USAGE;
  }
}

async function runBatchCommand(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...SIGNER_OPTIONS,
      ...SIGNATURE_OPTIONS,
      ...APPEARANCE_OPTIONS,
      in: { type: 'string', multiple: true },
      out: { type: 'string' },
      suffix: { type: 'string' },
      recursive: { type: 'boolean' },
      profile: { type: 'string' },
      resume: { type: 'boolean' },
      'retry-failed': { type: 'boolean' },
      report: { type: 'string' },
      concurrency: { type: 'string' },
      'tsa-concurrency': { type: 'string' },
      lang: { type: 'string' },
    },
    true,
  );
  const inputs = [...(values.in ?? []), ...positionals];
  if (inputs.length === 0) throw usageError('give the documents: --in DIR or FILE.pdf…');
  if (!values.out) throw usageError('the output folder is missing: --out DIR');
  if (values['retry-failed'] && !values.resume) throw usageError('--retry-failed goes with --resume');
  const report = values.report;
  if (report !== undefined && !['.json', '.csv'].includes(path.extname(report).toLowerCase())) {
    throw usageError('--report takes a file ending in .json or .csv');
  }
  const batch = await batchSigningOptions(values, values.profile);
  // Decree 30 art. 32: a seal goes only on documents a competent person validly signed, as the
  // verifier (with the trust store) judges each one.
  const sealing =
    batch.appearance?.template === 'seal' && batch.appearance.allowSealWithoutSignature !== true;
  const trust = sealing ? await loadTrustStore() : undefined;
  const signer = await batchSignerFrom(values, lang);

  const view = new BatchProgressView(process.stderr, lang);
  const stop = new AbortController();
  const abort = new AbortController();
  const onSignal = (): void => {
    if (!stop.signal.aborted) stop.abort();
    else abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runBatch({
      inputs,
      outDir: values.out,
      suffix: batch.suffix,
      recursive: values.recursive ?? false,
      signer: signer.source,
      options: batch.options,
      ...(batch.appearance ? { appearance: batch.appearance } : {}),
      ...(trust ? { trust } : {}),
      overwrite: batch.overwrite,
      resume: values.resume ?? false,
      retryFailed: values['retry-failed'] ?? false,
      ...(batch.concurrency !== undefined ? { concurrency: batch.concurrency } : {}),
      ...(batch.tsaConcurrency !== undefined ? { tsaConcurrency: batch.tsaConcurrency } : {}),
      signal: stop.signal,
      abortSignal: abort.signal,
      onEvent: (event) => view.handle(event),
      lang,
    });
    view.finish();
    if (report !== undefined) await writeBatchReport(result, path.resolve(report), lang);
    if (result.stopped) {
      const { code, message, details } = result.stopped;
      process.stderr.write(`${errorLine(new KysoError(code, message, { details }), lang)}\n`);
    }
    process.stdout.write(
      `${summaryLine(result, lang, report !== undefined ? path.resolve(report) : undefined)}\n`,
    );
    return result.failed === 0 && result.pending === 0 && !result.stopped ? EXIT.OK : EXIT.FAILED;
  } finally {
    view.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    signer.close();
  }
}
