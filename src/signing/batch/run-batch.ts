// runBatch: many documents, one login, nothing lost. Documents flow through a pipeline: several are
// read, prepared and hashed while the token signs another (the token session serialises token
// calls, so the token is the only serial step) and while others wait for the TSA. Each signed
// document is written to a staging folder, recorded in the journal (durable), and only then moved
// to its final name, so a kill at any moment leaves either no output or a complete one that the
// journal knows; --resume finishes what is recorded and redoes what is not.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isKysoError, KysoError, type ErrorCode } from '../../shared/errors.js';
import type { Lang } from '../../shared/messages.js';
import { prepareAppearance, type AppearanceRequest } from '../appearance/index.js';
import type { Signer } from '../cms/index.js';
import { fileSystemFailure } from '../sign/output-file.js';
import { signPdf, type PdfSignOptions } from '../sign/sign-pdf.js';
import { verifyPdf, type TrustStore } from '../verify/index.js';
import {
  BatchJournal,
  JOURNAL_VERSION,
  lockBatchFolder,
  type FailedRecord,
  type FailureDetails,
  type JournalRecord,
  type JournalState,
  type SignedRecord,
} from './batch-journal.js';
import { BATCH_DIR_NAME, planBatch, type PlannedDocument } from './batch-plan.js';
import { writeBatchReport } from './batch-report.js';
import type {
  BatchDocumentReport,
  BatchEvent,
  BatchProgress,
  BatchResult,
  BatchStop,
} from './batch-result.js';
import type { SignerSource } from './signer-source.js';
import { TimestampLimiter } from './timestamp-limiter.js';

export interface BatchRequest {
  /** PDF files and folders. */
  readonly inputs: readonly string[];
  readonly recursive?: boolean;
  readonly outDir: string;
  /** Added to output names before the extension. */
  readonly suffix?: string;
  readonly signer: SignerSource;
  /** Options of every signature. `overwrite` and `timestamper` are the batch's own. */
  readonly options?: PdfSignOptions;
  /** A visible signature, placed on each document (anchor, field, page) when it is signed. */
  readonly appearance?: AppearanceRequest;
  /**
   * For the seal template: the trust store the verifier judges each document's earlier signatures
   * with (Decree 30 art. 32: the agency seals only what a competent person validly signed). Without
   * it the rule counts every signed field as valid.
   */
  readonly trust?: TrustStore;
  /** Replace outputs that exist (never the input). */
  readonly overwrite?: boolean;
  /** Continue the batch whose journal is in `outDir` (a new batch when there is none). */
  readonly resume?: boolean;
  /** With `resume`: try again the documents that failed. */
  readonly retryFailed?: boolean;
  /** Documents read and prepared ahead of the token (default 4). */
  readonly concurrency?: number;
  /** Requests to the TSA at once (default 2). */
  readonly tsaConcurrency?: number;
  /** Stops cleanly: no new document starts; the ones at the token finish; the rest stay to do. */
  readonly signal?: AbortSignal;
  /** Stops at once: documents in progress are abandoned (no output, nothing recorded for them). */
  readonly abortSignal?: AbortSignal;
  readonly onEvent?: (event: BatchEvent) => void;
  /** Language of the reports' messages (default Vietnamese). */
  readonly lang?: Lang;
  /** Token poll interval while waiting for a pulled-out token (tests). */
  readonly tokenPollMs?: number;
}

/** The batch's own files inside the output folder. */
export function batchFiles(outDir: string): {
  dir: string;
  journal: string;
  lock: string;
  staging: string;
  reportJson: string;
  reportCsv: string;
} {
  const dir = path.join(path.resolve(outDir), BATCH_DIR_NAME);
  return {
    dir,
    journal: path.join(dir, 'journal.jsonl'),
    lock: path.join(dir, 'lock'),
    staging: path.join(dir, 'staging'),
    reportJson: path.join(dir, 'report.json'),
    reportCsv: path.join(dir, 'report.csv'),
  };
}

/**
 * The options that shape every signature of a batch, hashed: a resume must sign the rest the same
 * way. Operational settings (timeouts, retries, credentials, overwrite) are left out.
 */
export function batchOptionsHash(
  options: PdfSignOptions,
  appearance: AppearanceRequest | undefined,
  suffix: string,
): string {
  const data = {
    suffix,
    reason: options.reason ?? null,
    location: options.location ?? null,
    contactInfo: options.contactInfo ?? null,
    fieldName: options.fieldName ?? null,
    page: options.page ?? null,
    level: options.level ?? (options.tsa ? 'B-T' : 'B-B'),
    tsa: options.tsa ? { url: options.tsa.url, policyOid: options.tsa.policyOid ?? null } : null,
    digest: options.digest ?? 'sha256',
    pss: options.pss ?? false,
    certify: options.certify ?? null,
    repair: options.repair ?? false,
    appearance: appearance ? { ...appearance, home: undefined } : null,
  };
  return createHash('sha256').update(canonicalJson(data)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** A seal's appearance request with the verifier's verdict on the document's earlier signatures. */
async function withSealEvidence(
  appearance: AppearanceRequest,
  input: string,
  trust: TrustStore | undefined,
  lang: Lang,
): Promise<AppearanceRequest> {
  if (appearance.template !== 'seal' || appearance.allowSealWithoutSignature === true || !trust) {
    return appearance;
  }
  const report = await verifyPdf({ input, trust, lang });
  const existingSignatures = report.signatures
    .filter((s) => s.type === 'signature')
    .map((s) => ({ fieldName: s.field, valid: s.status === 'valid' }));
  return { ...appearance, existingSignatures };
}

/** Failures that concern every document: the batch stops (resumable) instead of failing them all. */
const STOPS_BATCH: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'USAGE',
  'DISK_FULL',
  'PIN_NOT_PROVIDED',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_NO_SIGNING_USAGE',
  'CERT_REVOKED',
  'CERT_INVALID',
  'KEY_UNSUPPORTED',
  'TSA_AUTH_FAILED',
  'IMAGE_NOT_FOUND',
  'IMAGE_UNSUPPORTED',
  'IMAGE_UNREADABLE',
  'IMAGE_TOO_LARGE',
  'FONT_NO_VIETNAMESE',
  'FONT_UNREADABLE',
  'BATCH_JOURNAL_INVALID',
]);

function stopsBatch(err: KysoError): boolean {
  return STOPS_BATCH.has(err.code) || err.code.startsWith('PKCS11_');
}

function asKysoError(err: unknown): KysoError {
  if (isKysoError(err)) return err;
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === 'string') return fileSystemFailure(err, '');
  return new KysoError('INTERNAL', 'An unexpected error occurred.', { cause: err });
}

function plainDetails(err: KysoError): FailureDetails {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(err.details)) if (v !== undefined) out[k] = v;
  return out;
}

async function exists(p: string): Promise<boolean> {
  return await stat(p).then(
    () => true,
    () => false,
  );
}

/** Below this size a file is hashed in one synchronous read (from the page cache: microseconds). */
const SMALL_FILE = 512 * 1024;

async function sha256File(file: string, sizeHint = Infinity): Promise<{ sha256: string; size: number }> {
  if (sizeHint <= SMALL_FILE) {
    // One-page documents, the bulk of a batch: a handful of async round trips cost more than this.
    const bytes = readFileSync(file);
    return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  }
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

/**
 * Moves a complete staged output to its name; without `overwrite`, never replaces a file.
 * `folders` are the output folders made already (once per batch, not once per document).
 */
async function placeOutput(
  staged: string,
  output: string,
  overwrite: boolean,
  folders: Set<string> = new Set(),
): Promise<void> {
  try {
    const folder = path.dirname(output);
    if (!folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      folders.add(folder);
    }
    if (overwrite) {
      await rename(staged, output);
      return;
    }
    try {
      // link() fails on an existing name, where rename() would replace it.
      await link(staged, output);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw outputExists(output);
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV'].includes(code ?? '')) throw err;
      // A file system without hard links (FAT, some shares): check, then rename.
      if (await exists(output)) throw outputExists(output);
      await rename(staged, output);
      return;
    }
    await unlink(staged);
  } catch (err) {
    throw fileSystemFailure(err, output);
  }
}

function outputExists(output: string): KysoError {
  return new KysoError('OUTPUT_EXISTS', `${output} already exists.`, { details: { path: output } });
}

class RateMeter {
  readonly #times: number[] = [];
  record(now: number): void {
    this.#times.push(now);
    if (this.#times.length > 50) this.#times.shift();
  }
  rate(): number {
    const first = this.#times[0];
    const last = this.#times[this.#times.length - 1];
    if (first === undefined || last === undefined || this.#times.length < 2 || last <= first) return 0;
    return ((this.#times.length - 1) * 1000) / (last - first);
  }
}

/** One signer for all documents; after a pulled-out token, one recovery that every document awaits. */
class SignerSlot {
  readonly #source: SignerSource;
  readonly #emit: (event: BatchEvent) => void;
  readonly #signal: AbortSignal;
  #current: Promise<Signer> | undefined;
  #generation = 0;

  constructor(source: SignerSource, emit: (event: BatchEvent) => void, signal: AbortSignal) {
    this.#source = source;
    this.#emit = emit;
    this.#signal = signal;
  }

  async get(): Promise<{ signer: Signer; generation: number }> {
    this.#current ??= this.#source.open(this.#signal);
    const generation = this.#generation;
    return { signer: await this.#current, generation };
  }

  isTokenGone(err: unknown): boolean {
    return this.#source.isTokenGone(err);
  }

  /** Waits for the token, once for all the documents that found it gone with this generation. */
  async recover(generation: number): Promise<void> {
    if (generation === this.#generation) {
      this.#generation++;
      const token = this.#source.description;
      this.#current = (async () => {
        this.#emit({ kind: 'waiting-for-token', token });
        const signer = await this.#source.recover(this.#signal);
        this.#emit({ kind: 'token-back', token: this.#source.description });
        return signer;
      })();
      // Documents await it through get(); keep an unobserved rejection from being reported twice.
      this.#current.catch(() => undefined);
    }
    await this.#current;
  }
}

interface Task {
  readonly doc: PlannedDocument;
  readonly controller: AbortController;
  /** Reached the token (its signature is being made or was made). */
  atToken: boolean;
  /** Left the part of the pipeline that feeds the token (waits for the TSA, or writes). */
  pastToken: boolean;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TSA_CONCURRENCY = 2;
/** How many times one document waits for a pulled-out token before it counts as failed. */
const MAX_RECOVERIES = 3;

/**
 * Signs every document of the request. Resolves with the outcome of each (also when cancelled or
 * stopped by a failure that concerns all documents: see `stopped`); rejects only when the batch
 * cannot start (inputs, journal, lock, or the signer cannot be opened).
 */
export async function runBatch(request: BatchRequest): Promise<BatchResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const outDir = path.resolve(request.outDir);
  const files = batchFiles(outDir);
  const suffix = request.suffix ?? '';
  const lang = request.lang ?? 'vi';
  const overwrite = request.overwrite ?? false;
  const baseOptions = request.options ?? {};
  const concurrency = Math.max(1, Math.floor(request.concurrency ?? DEFAULT_CONCURRENCY));
  const emit = (event: BatchEvent): void => {
    try {
      request.onEvent?.(event);
    } catch {
      // a listener's failure must not break the batch
    }
  };

  const plan = await planBatch({
    inputs: request.inputs,
    outDir,
    suffix,
    ...(request.recursive !== undefined ? { recursive: request.recursive } : {}),
  });
  const optionsHash = batchOptionsHash(baseOptions, request.appearance, suffix);

  await mkdir(files.dir, { recursive: true }).catch((err: unknown) => {
    throw fileSystemFailure(err, files.journal);
  });
  const unlock = await lockBatchFolder(files.lock, outDir);
  let journal: BatchJournal | undefined;
  try {
    // Reports cut short by a kill leave their temporary files: the lock says no one else writes here.
    for (const name of await readdir(files.dir)) {
      if (name.startsWith('.') && name.endsWith('.tmp'))
        await rm(path.join(files.dir, name), { force: true });
    }
    // --- the journal: a new one, or the one to resume
    let state: JournalState | undefined;
    const journalExists = await exists(files.journal);
    if (journalExists && !request.resume) {
      throw new KysoError('BATCH_JOURNAL_EXISTS', `${outDir} holds the journal of another batch.`, {
        details: { path: outDir },
      });
    }
    let batchId: string;
    if (journalExists) {
      const opened = await BatchJournal.open(files.journal);
      journal = opened.journal;
      state = opened.state;
      if (state.header.optionsHash !== optionsHash) {
        throw new KysoError(
          'BATCH_RESUME_MISMATCH',
          'The options differ from those of the batch to resume.',
          {
            details: { path: outDir },
          },
        );
      }
      batchId = state.header.batchId;
    } else {
      // Created once the signer is open: a refused PIN leaves no batch behind to --resume.
      batchId = randomUUID();
    }
    const append = async (...records: JournalRecord[]): Promise<void> => {
      if (!journal) throw new KysoError('INTERNAL', 'the batch journal is not open');
      await journal.append(...records);
    };

    // --- what is done already, what is left; finish moves cut short by a kill
    const reports = new Map<string, BatchDocumentReport>();
    const base = (doc: PlannedDocument) => ({ input: doc.input, name: doc.name, output: doc.output });
    const toDo: PlannedDocument[] = [];
    const newRecords: JournalRecord[] = [
      { type: 'run', at: startedAt, pid: process.pid, resume: state !== undefined },
    ];
    const conflicts: { doc: PlannedDocument; error: KysoError }[] = [];
    let earlier = 0;
    for (const doc of plan) {
      const known = state?.documents.get(doc.key);
      if (!known) newRecords.push({ type: 'pending', key: doc.key, input: doc.input, output: doc.output });
      if (
        known?.status === 'signed' &&
        known.signed &&
        (await recordedOutputIsThere(doc, known.signed, files))
      ) {
        reports.set(doc.key, signedReport(doc, known.signed, true));
        earlier++;
        continue;
      }
      if (known?.status === 'failed' && known.failed && !request.retryFailed) {
        reports.set(doc.key, failedReport(doc, known.failed, true));
        earlier++;
        continue;
      }
      reports.set(doc.key, { ...base(doc), status: 'pending', earlier: false });
      if (doc.conflict) conflicts.push({ doc, error: doc.conflict });
      else toDo.push(doc);
    }
    const total = plan.length;
    let signed = [...reports.values()].filter((r) => r.status === 'signed').length;
    let failed = [...reports.values()].filter((r) => r.status === 'failed').length;
    let signedNow = 0;
    const meter = new RateMeter();
    let current: string | undefined;
    const progress = (): BatchProgress => {
      const rate = meter.rate();
      const left = total - signed - failed;
      return {
        total,
        done: signed + failed,
        signed,
        failed,
        ...(current !== undefined ? { current } : {}),
        ratePerSecond: rate,
        ...(rate > 0 ? { remainingMs: (left / rate) * 1000 } : {}),
        elapsedMs: performance.now() - started,
      };
    };
    emit({
      kind: 'planned',
      batchId,
      journal: files.journal,
      resumed: state !== undefined,
      total,
      earlier,
      toDo: toDo.length + conflicts.length,
    });

    const finish = (doc: PlannedDocument, report: BatchDocumentReport): void => {
      reports.set(doc.key, report);
      if (report.status === 'signed') {
        signed++;
        signedNow++;
      } else if (report.status === 'failed') failed++;
      meter.record(performance.now());
      emit({ kind: 'document', document: report, progress: progress() });
    };
    const recordFailure = async (doc: PlannedDocument, error: KysoError): Promise<void> => {
      const record: FailedRecord = {
        type: 'failed',
        key: doc.key,
        code: error.code,
        message: error.message,
        details: plainDetails(error),
        at: new Date().toISOString(),
      };
      await append(record);
      finish(doc, failedReport(doc, record, false));
    };
    // --- stop and cancel
    const stopController = new AbortController();
    let cancelled = false;
    let stopped: BatchStop | undefined;
    const tasks = new Set<Task>();
    const onStop = (): void => {
      if (!cancelled) {
        cancelled = true;
        emit({ kind: 'stopping' });
      }
      stopController.abort();
      // Documents not yet at the token are put back; the ones being signed finish.
      for (const t of tasks) if (!t.atToken) t.controller.abort();
    };
    const onAbort = (): void => {
      onStop();
      for (const t of tasks) t.controller.abort();
    };
    const stopFor = (error: KysoError): void => {
      if (stopped || cancelled) return;
      stopped = { code: error.code, message: error.message, details: plainDetails(error) };
      stopController.abort();
      for (const t of tasks) if (!t.atToken) t.controller.abort();
    };
    if (request.signal?.aborted || request.abortSignal?.aborted) onStop();
    request.signal?.addEventListener('abort', onStop, { once: true });
    request.abortSignal?.addEventListener('abort', onAbort, { once: true });

    try {
      // --- the signer: opened (PIN asked) only when there is something to sign
      const slot = new SignerSlot(request.signer, emit, stopController.signal);
      if (toDo.length > 0 && !stopController.signal.aborted) await slot.get();
      journal ??= await BatchJournal.create(files.journal, {
        type: 'batch',
        version: JOURNAL_VERSION,
        batchId,
        createdAt: startedAt,
        optionsHash,
      });
      // Nothing staged is needed any more: what was recorded has been moved into place above.
      await rm(files.staging, { recursive: true, force: true });
      await mkdir(files.staging, { recursive: true });
      await append(...newRecords);
      for (const { doc, error } of conflicts) await recordFailure(doc, error);
      if (toDo.length > 0) emit({ kind: 'started', progress: progress() });

      const limiter = new TimestampLimiter(
        Math.max(1, Math.floor(request.tsaConcurrency ?? DEFAULT_TSA_CONCURRENCY)),
      );
      const digest = baseOptions.digest ?? 'sha256';
      const outputFolders = new Set<string>();

      const signOne = async (task: Task): Promise<void> => {
        const { doc } = task;
        const staged = path.join(files.staging, `${doc.key}.pdf`);
        for (let recoveries = 0; ; recoveries++) {
          if (!overwrite && (await exists(doc.output))) {
            await recordFailure(doc, outputExists(doc.output));
            return;
          }
          let got: { signer: Signer; generation: number };
          try {
            got = await slot.get();
          } catch (err) {
            // No signer (a PIN refused after re-insertion, a wait cancelled): the document stays to do.
            const e = asKysoError(err);
            if (e.code === 'CANCELLED') onStop();
            else stopFor(e);
            return;
          }
          try {
            let options: PdfSignOptions = { ...baseOptions, overwrite: true };
            if (baseOptions.tsa) {
              // signPdf sizes /Contents from the tokens this TSA gave before (ltv/timestamp-size).
              options = {
                ...options,
                timestamper: limiter.timestamper(baseOptions.tsa, digest, {
                  onQueued: () => leaveTokenFeed(task),
                  onEvent: (event) => emit({ kind: 'timestamp', name: doc.name, event }),
                }),
              };
            }
            if (request.appearance) {
              const prepared = await prepareAppearance(
                doc.input,
                await withSealEvidence(request.appearance, doc.input, request.trust, lang),
                baseOptions.page,
              );
              for (const warning of prepared.warnings) emit({ kind: 'warning', name: doc.name, warning });
              options = { ...options, page: prepared.page, appearance: prepared.appearance };
            }
            if (task.controller.signal.aborted) throw new KysoError('CANCELLED', 'Cancelled.');
            const result = await signPdf({
              input: doc.input,
              output: staged,
              signer: got.signer,
              options,
              signal: task.controller.signal,
              onProgress: (p) => {
                if (p.stage === 'signing') {
                  task.atToken = true;
                  current = doc.name;
                  emit({ kind: 'progress', progress: progress() });
                } else if (p.stage === 'writing') leaveTokenFeed(task);
              },
            });
            leaveTokenFeed(task);
            const { sha256, size } = await sha256File(staged, result.byteRange[2] + result.byteRange[3]);
            const record: SignedRecord = {
              type: 'signed',
              key: doc.key,
              output: doc.output,
              sha256,
              size,
              signer: result.signer.subjectCN ?? result.signer.subjectDN,
              signedAt: result.signingTime.toISOString(),
              level: result.level,
            };
            // Durable before the output appears: an output on disk is always one the journal knows.
            await append(record);
            try {
              await placeOutput(staged, doc.output, overwrite, outputFolders);
            } catch (err) {
              await rm(staged, { force: true });
              await recordFailure(doc, asKysoError(err));
              return;
            }
            finish(doc, signedReport(doc, record, false));
            return;
          } catch (err) {
            await rm(staged, { force: true }).catch(() => undefined);
            const error = asKysoError(err);
            if (slot.isTokenGone(error) && recoveries < MAX_RECOVERIES && !stopController.signal.aborted) {
              task.atToken = false;
              try {
                await slot.recover(got.generation);
                continue;
              } catch (recoveryError) {
                const e = asKysoError(recoveryError);
                if (e.code !== 'CANCELLED') stopFor(e);
                return; // stays to do
              }
            }
            if (task.controller.signal.aborted || stopController.signal.aborted) {
              // Put back: a cancel or a stop, not a fault of this document (unless it failed first).
              if (error.code === 'CANCELLED' || !task.atToken) return;
            }
            if (stopsBatch(error)) {
              stopFor(error);
              return;
            }
            await recordFailure(doc, error);
            return;
          }
        }
      };

      // --- the pipeline: keep `concurrency` documents feeding the token; more may wait for the TSA
      const maxInFlight = concurrency + Math.max(8, limiter.maxConcurrent * 4);
      let next = 0;
      let feeding = 0;
      let resolveAll: () => void = () => undefined;
      const allDone = new Promise<void>((resolve) => (resolveAll = resolve));
      const leaveTokenFeed = (task: Task): void => {
        if (task.pastToken) return;
        task.pastToken = true;
        feeding--;
        pump();
      };
      const pump = (): void => {
        while (
          !stopController.signal.aborted &&
          next < toDo.length &&
          feeding < concurrency &&
          tasks.size < maxInFlight
        ) {
          const doc = toDo[next++] as PlannedDocument;
          const task: Task = { doc, controller: new AbortController(), atToken: false, pastToken: false };
          tasks.add(task);
          feeding++;
          void signOne(task)
            .catch((err: unknown) => stopFor(asKysoError(err)))
            .finally(() => {
              if (!task.pastToken) {
                task.pastToken = true;
                feeding--;
              }
              tasks.delete(task);
              pump();
            });
        }
        if (tasks.size === 0 && (stopController.signal.aborted || next >= toDo.length)) resolveAll();
      };
      if (!stopController.signal.aborted) pump();
      else resolveAll();
      await allDone;
    } catch (err) {
      // The signer could not be opened (PIN, token, certificate): nothing was signed in this run.
      throw asKysoError(err);
    } finally {
      request.signal?.removeEventListener('abort', onStop);
      request.abortSignal?.removeEventListener('abort', onAbort);
    }

    const documents = plan.map((doc) => reports.get(doc.key) as BatchDocumentReport);
    const pending = documents.filter((d) => d.status === 'pending').length;
    // A journal that can no longer be written (disk full) has already stopped the batch.
    await append({ type: 'end', at: new Date().toISOString(), signed, failed, pending }).catch(
      () => undefined,
    );
    await rmdir(files.staging).catch(() => undefined);
    const result: BatchResult = {
      batchId,
      outDir,
      journal: files.journal,
      reports: { json: files.reportJson, csv: files.reportCsv },
      total: plan.length,
      signed,
      failed,
      pending,
      signedNow,
      cancelled,
      ...(stopped ? { stopped } : {}),
      startedAt,
      elapsedMs: performance.now() - started,
      documents,
    };
    await writeBatchReport(result, files.reportJson, lang);
    await writeBatchReport(result, files.reportCsv, lang);
    return result;
  } finally {
    await journal?.close();
    await unlock();
    // A new batch that never started (its signer could not be opened) leaves nothing behind.
    if (!journal) await rmdir(files.dir).catch(() => undefined);
  }
}

function signedReport(doc: PlannedDocument, record: SignedRecord, earlier: boolean): BatchDocumentReport {
  return {
    input: doc.input,
    name: doc.name,
    output: record.output,
    status: 'signed',
    earlier,
    signer: record.signer,
    time: record.signedAt,
    sha256: record.sha256,
  };
}

function failedReport(doc: PlannedDocument, record: FailedRecord, earlier: boolean): BatchDocumentReport {
  return {
    input: doc.input,
    name: doc.name,
    output: doc.output,
    status: 'failed',
    earlier,
    time: record.at,
    code: record.code,
    message: record.message,
    details: record.details,
  };
}

/**
 * Is the output a signed record names still there, whole? If a kill came between the record and
 * the move, the staged file is moved into place now.
 */
async function recordedOutputIsThere(
  doc: PlannedDocument,
  record: SignedRecord,
  files: { staging: string },
): Promise<boolean> {
  const matches = async (file: string): Promise<boolean> => {
    try {
      return (await sha256File(file)).sha256 === record.sha256;
    } catch {
      return false;
    }
  };
  if (await matches(record.output)) return true;
  const staged = path.join(files.staging, `${doc.key}.pdf`);
  if (!(await exists(record.output)) && (await matches(staged))) {
    try {
      await placeOutput(staged, record.output, false);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}

/** Files a batch may leave in its staging folder (for tests and the cleanup check). */
export async function stagedFiles(outDir: string): Promise<string[]> {
  try {
    return await readdir(batchFiles(outDir).staging);
  } catch {
    return [];
  }
}
