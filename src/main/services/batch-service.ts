// The "Ký hàng loạt" screen's services over the engine's batch (kyso/batch): batch.run signs with one
// PIN and the journal in the output folder; batch.unfinished offers a batch that was stopped or
// interrupted (the app closed, the engine crashed) for a resume; batch.forget drops that offer;
// batch.exportReport copies the engine's report where the user chose. The request that started the
// batch is kept (without the PIN) in <KYSO_HOME>/batch-unfinished.json until the batch is done.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  BatchDocumentView,
  BatchProgressView,
  BatchRunResult,
  ParsedRequestOf,
  UnfinishedBatchView,
} from '../../shared/contract/index.js';
import { isPinError } from '../../shared/contract/index.js';
import { KysoError } from '../../shared/errors.js';
import { messageFor, type Lang } from '../../shared/messages.js';
import { Secret } from '../../shared/secret.js';
import {
  batchFiles,
  profileOptions,
  replayJournal,
  runBatch,
  tokenSignerSource,
  type BatchDocumentReport,
  type BatchProfile,
  type BatchProgress,
} from '../../signing/batch-api.js';
import { readCertificateFiles } from '../../signing/certificates-api.js';
import { kysoHome, loadSettings } from '../../signing/settings.js';
import { loadTrustStore } from '../../signing/verify-api.js';
import { writeFileAtomic } from './atomic-write.js';
import { ProgressCoalescer } from './batch-progress-coalescer.js';
import type { Handlers } from './service-types.js';
import { openModule } from './token-access.js';

type RunRequest = ParsedRequestOf<'batch.run'>;

/** What is kept of a running batch's request to offer its resume later: never the PIN. */
interface UnfinishedRecord {
  readonly outDir: string;
  readonly inputs: readonly string[];
  readonly recursive: boolean;
  readonly suffix: string;
  readonly template: RunRequest['template'];
  readonly anchor: string;
  readonly reason: string;
  readonly updatedAt: string;
}

export interface BatchServiceOptions {
  readonly home?: string;
  /** The least time between two progress events (default 250 ms). */
  readonly progressIntervalMs?: number;
}

export function batchHandlers(
  options: BatchServiceOptions = {},
): Handlers<'batch.run' | 'batch.unfinished' | 'batch.forget' | 'batch.exportReport'> {
  const recordFile = (): string => path.join(options.home ?? kysoHome(), 'batch-unfinished.json');
  return {
    'batch.run': (request, ctx) => runBatchRequest(request, ctx, recordFile(), options.progressIntervalMs),
    'batch.unfinished': async () => ({ batch: await unfinished(recordFile()) }),
    'batch.forget': async (request) => {
      const record = await readRecord(recordFile());
      if (record !== null && path.resolve(record.outDir) === path.resolve(request.outDir)) {
        await rm(recordFile(), { force: true });
      }
      return {};
    },
    'batch.exportReport': async (request) => {
      const files = batchFiles(request.outDir);
      const source = request.format === 'csv' ? files.reportCsv : files.reportJson;
      let bytes: Buffer;
      try {
        bytes = await readFile(source);
      } catch (err) {
        throw new KysoError('INPUT_NOT_FOUND', 'The batch has no report yet.', {
          details: { path: source },
          cause: err,
        });
      }
      const output = path.resolve(request.output);
      await writeFileAtomic(output, bytes);
      return { output };
    },
  };
}

async function runBatchRequest(
  request: RunRequest,
  ctx: Parameters<Handlers<'batch.run'>['batch.run']>[1],
  recordFile: string,
  intervalMs: number | undefined,
): Promise<BatchRunResult> {
  const language = ctx.language;
  const coalescer = new ProgressCoalescer((p) => ctx.progress(p), intervalMs);
  coalescer.flush();
  const settings = await loadSettings();
  const { loadAppearanceSettings } = await import('../../signing/appearance-api.js');
  const batch = profileOptions(batchProfile(request, settings), await loadAppearanceSettings());
  const sealing = batch.appearance?.template === 'seal';
  const trust = sealing ? await loadTrustStore() : undefined;
  const intermediates = await readCertificateFiles(settings.intermediates);
  const pin = request.pin === null ? null : new Secret(request.pin);
  const manager = await openModule(request.certificate.modulePath, settings);
  const source = tokenSignerSource({
    manager,
    selector: {
      token: request.certificate.tokenSerial,
      slot: request.certificate.slotId,
      keyId: request.certificate.keyId,
    },
    allowFinalTry: request.allowFinalTry,
    intermediates,
    getPin: async () => {
      if (pin === null) throw new KysoError('PIN_NOT_PROVIDED', 'no PIN for a token without a PIN pad');
      return pin;
    },
  });
  // Kept before the first document is signed: a crash from here on leaves a batch to resume.
  await writeRecord(recordFile, request);
  try {
    const result = await runBatch({
      inputs: request.inputs,
      recursive: request.recursive,
      outDir: request.outDir,
      suffix: request.suffix,
      signer: source,
      options: batch.options,
      ...(batch.appearance ? { appearance: batch.appearance } : {}),
      ...(trust ? { trust } : {}),
      resume: request.resume,
      retryFailed: request.retryFailed,
      signal: ctx.signal,
      lang: language,
      onEvent: (event) => {
        switch (event.kind) {
          case 'started':
          case 'progress':
            coalescer.progress(progressView(event.progress));
            break;
          case 'document':
            coalescer.progress(progressView(event.progress), documentView(event.document, language));
            break;
          case 'stopping':
            coalescer.stage('stopping');
            break;
          case 'waiting-for-token':
            coalescer.stage('waiting-for-token');
            break;
          default:
            break;
        }
      },
    });
    coalescer.flush();
    if (result.stopped && result.signedNow === 0 && isPinError(result.stopped.code)) {
      // Nothing was signed and the PIN is the reason: the PIN dialog says it, as on the sign screen.
      throw new KysoError(result.stopped.code, result.stopped.message, { details: result.stopped.details });
    }
    if (result.pending === 0 && !result.stopped) await rm(recordFile, { force: true });
    return {
      outDir: result.outDir,
      total: result.total,
      signed: result.signed,
      failed: result.failed,
      pending: result.pending,
      signedNow: result.signedNow,
      cancelled: result.cancelled,
      stopped: result.stopped
        ? {
            code: result.stopped.code,
            message: messageFor(result.stopped.code, result.stopped.details, language),
          }
        : null,
      elapsedMs: result.elapsedMs,
      documents: result.documents.map((d) => documentView(d, language)),
    };
  } finally {
    coalescer.close();
    source.close();
    setImmediate(() => manager.close());
  }
}

/** The batch profile of a request: the template under the anchor text, the settings' TSA. */
function batchProfile(request: RunRequest, settings: Awaited<ReturnType<typeof loadSettings>>): BatchProfile {
  const url = settings.tsa.url;
  return {
    version: 1,
    suffix: request.suffix,
    ...(request.reason !== '' ? { reason: request.reason } : {}),
    level: url ? 'B-T' : 'B-B',
    ...(url
      ? {
          tsa: {
            url,
            ...(settings.tsa.timeoutMs !== undefined
              ? { timeoutSeconds: settings.tsa.timeoutMs / 1000 }
              : {}),
            ...(settings.tsa.retries !== undefined ? { retries: settings.tsa.retries } : {}),
            ...(settings.tsa.policyOid !== undefined ? { policyOid: settings.tsa.policyOid } : {}),
          },
        }
      : {}),
    ...(request.template === 'invisible'
      ? {}
      : {
          appearance: {
            template: request.template,
            ...(request.anchor !== '' ? { anchor: request.anchor } : {}),
          },
        }),
  };
}

function progressView(p: BatchProgress): BatchProgressView {
  return {
    total: p.total,
    done: p.done,
    signed: p.signed,
    failed: p.failed,
    current: p.current ?? null,
    ratePerSecond: p.ratePerSecond,
    remainingMs: p.remainingMs ?? null,
    elapsedMs: p.elapsedMs,
  };
}

function documentView(d: BatchDocumentReport, language: Lang): BatchDocumentView {
  return {
    name: d.name,
    input: d.input,
    output: d.output,
    status: d.status,
    earlier: d.earlier,
    code: d.code ?? null,
    message: d.code ? messageFor(d.code, d.details ?? {}, language) : null,
  };
}

async function writeRecord(file: string, request: RunRequest): Promise<void> {
  const record: UnfinishedRecord = {
    outDir: path.resolve(request.outDir),
    inputs: request.inputs.map((i) => path.resolve(i)),
    recursive: request.recursive,
    suffix: request.suffix,
    template: request.template,
    anchor: request.anchor,
    reason: request.reason,
    updatedAt: new Date().toISOString(),
  };
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}

async function readRecord(file: string): Promise<UnfinishedRecord | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as Partial<UnfinishedRecord>;
    if (typeof value.outDir !== 'string' || !Array.isArray(value.inputs)) return null;
    return value as UnfinishedRecord;
  } catch {
    // A damaged record offers nothing; the journal in the output folder is still there.
    return null;
  }
}

async function unfinished(file: string): Promise<UnfinishedBatchView | null> {
  const record = await readRecord(file);
  if (record === null) return null;
  const journal = batchFiles(record.outDir).journal;
  let text: string;
  try {
    text = await readFile(journal, 'utf8');
  } catch {
    return null; // stopped before the first document: nothing to resume
  }
  const { state } = replayJournal(text, journal);
  const counts = { signed: 0, failed: 0, pending: 0 };
  for (const d of state.documents.values()) counts[d.status]++;
  if (counts.pending === 0) return null;
  return {
    outDir: record.outDir,
    inputs: record.inputs,
    recursive: record.recursive,
    suffix: record.suffix,
    template: record.template,
    anchor: record.anchor,
    reason: record.reason,
    total: state.documents.size,
    ...counts,
    updatedAt: record.updatedAt,
  };
}
