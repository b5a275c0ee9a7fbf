// The durable journal of a batch: an append-only JSON-lines file in the output folder, each record
// flushed to disk (fdatasync) before the step it records is taken, so that a batch killed at any
// moment can be resumed from it. Records that arrive while a flush is under way share the next one
// (group commit): the journal never holds up the token. A torn last line (a kill mid-write) is
// dropped when the journal is read again.
import { hostname } from 'node:os';
import path from 'node:path';
import { open, readFile, rm, truncate, type FileHandle } from 'node:fs/promises';
import { isErrorCode, KysoError, type ErrorCode } from '../../shared/errors.js';

export const JOURNAL_VERSION = 1;

export interface BatchHeaderRecord {
  readonly type: 'batch';
  readonly version: number;
  readonly batchId: string;
  readonly createdAt: string;
  /** sha256 of the options that shape every signature of the batch (see batchOptionsHash). */
  readonly optionsHash: string;
}

/** A run started (the first one, or a resume). */
export interface RunRecord {
  readonly type: 'run';
  readonly at: string;
  readonly pid: number;
  readonly resume: boolean;
}

export interface PendingRecord {
  readonly type: 'pending';
  readonly key: string;
  readonly input: string;
  readonly output: string;
}

export interface SignedRecord {
  readonly type: 'signed';
  readonly key: string;
  readonly output: string;
  /** sha256 of the complete output, hex. */
  readonly sha256: string;
  readonly size: number;
  /** Subject CN (or DN) of the signer's certificate. */
  readonly signer: string;
  readonly signedAt: string;
  readonly level: string;
}

export type FailureDetails = Readonly<Record<string, string | number | boolean>>;

export interface FailedRecord {
  readonly type: 'failed';
  readonly key: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: FailureDetails;
  readonly at: string;
}

/** A run ended without being killed (finished, cancelled or stopped). */
export interface EndRecord {
  readonly type: 'end';
  readonly at: string;
  readonly signed: number;
  readonly failed: number;
  readonly pending: number;
}

export type JournalRecord =
  BatchHeaderRecord | RunRecord | PendingRecord | SignedRecord | FailedRecord | EndRecord;

export type JournalStatus = 'pending' | 'signed' | 'failed';

export interface JournalDocument {
  readonly key: string;
  readonly input: string;
  readonly output: string;
  readonly status: JournalStatus;
  readonly signed?: SignedRecord;
  readonly failed?: FailedRecord;
}

export interface JournalState {
  readonly header: BatchHeaderRecord;
  /** The last known state of each document, in the order they were first recorded. */
  readonly documents: ReadonlyMap<string, JournalDocument>;
  /** Runs recorded so far. */
  readonly runs: number;
}

type Json = Record<string, unknown>;

const str = (o: Json, k: string): string | undefined => (typeof o[k] === 'string' ? o[k] : undefined);
const num = (o: Json, k: string): number | undefined =>
  typeof o[k] === 'number' && Number.isFinite(o[k]) ? o[k] : undefined;

function details(value: unknown): FailureDetails | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** One line of the journal as a record, or undefined when it is not one we wrote. */
export function parseJournalRecord(line: string): JournalRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Json;
  switch (o['type']) {
    case 'batch': {
      const version = num(o, 'version');
      const batchId = str(o, 'batchId');
      const createdAt = str(o, 'createdAt');
      const optionsHash = str(o, 'optionsHash');
      if (version === undefined || !batchId || !createdAt || !optionsHash) return undefined;
      return { type: 'batch', version, batchId, createdAt, optionsHash };
    }
    case 'run': {
      const at = str(o, 'at');
      const pid = num(o, 'pid');
      if (!at || pid === undefined || typeof o['resume'] !== 'boolean') return undefined;
      return { type: 'run', at, pid, resume: o['resume'] };
    }
    case 'pending': {
      const key = str(o, 'key');
      const input = str(o, 'input');
      const output = str(o, 'output');
      if (!key || !input || !output) return undefined;
      return { type: 'pending', key, input, output };
    }
    case 'signed': {
      const key = str(o, 'key');
      const output = str(o, 'output');
      const sha256 = str(o, 'sha256');
      const size = num(o, 'size');
      const signer = str(o, 'signer');
      const signedAt = str(o, 'signedAt');
      const level = str(o, 'level');
      if (!key || !output || !sha256 || !/^[0-9a-f]{64}$/.test(sha256) || size === undefined)
        return undefined;
      if (signer === undefined || !signedAt || !level) return undefined;
      return { type: 'signed', key, output, sha256, size, signer, signedAt, level };
    }
    case 'failed': {
      const key = str(o, 'key');
      const code = o['code'];
      const message = str(o, 'message');
      const at = str(o, 'at');
      const d = details(o['details']);
      if (!key || !isErrorCode(code) || message === undefined || !at || d === undefined) return undefined;
      return { type: 'failed', key, code, message, details: d, at };
    }
    case 'end': {
      const at = str(o, 'at');
      const signed = num(o, 'signed');
      const failed = num(o, 'failed');
      const pending = num(o, 'pending');
      if (!at || signed === undefined || failed === undefined || pending === undefined) return undefined;
      return { type: 'end', at, signed, failed, pending };
    }
    default:
      return undefined;
  }
}

function invalid(file: string, line?: number): KysoError {
  return new KysoError('BATCH_JOURNAL_INVALID', `The batch journal ${file} is damaged.`, {
    details: { path: file, ...(line !== undefined ? { line } : {}) },
  });
}

/**
 * Replays a journal's text. A last line without its newline is a write cut short by a kill: it is
 * ignored and `validBytes` says where the sound part ends. Any line that does not parse otherwise
 * means the file is not a journal we can trust.
 */
export function replayJournal(text: string, file: string): { state: JournalState; validBytes: number } {
  const lines = text.split('\n');
  let header: BatchHeaderRecord | undefined;
  const documents = new Map<string, JournalDocument>();
  let runs = 0;
  let offset = 0;
  let validBytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const complete = i < lines.length - 1; // followed by a newline
    const lineBytes = Buffer.byteLength(line, 'utf8') + (complete ? 1 : 0);
    if (line === '' && complete) {
      offset += lineBytes;
      validBytes = offset;
      continue;
    }
    // A write cut short by a kill never ends with its newline: only such a last line is dropped.
    if (!complete) break;
    const record = parseJournalRecord(line);
    if (record === undefined) throw invalid(file, i + 1);
    if (header === undefined) {
      if (record.type !== 'batch') throw invalid(file, i + 1);
      if (record.version > JOURNAL_VERSION) throw invalid(file, i + 1);
      header = record;
    } else {
      switch (record.type) {
        case 'batch':
          throw invalid(file, i + 1);
        case 'run':
          runs++;
          break;
        case 'end':
          break;
        case 'pending': {
          const known = documents.get(record.key);
          documents.set(record.key, {
            key: record.key,
            input: record.input,
            output: record.output,
            status: known?.status ?? 'pending',
            ...(known?.signed ? { signed: known.signed } : {}),
            ...(known?.failed ? { failed: known.failed } : {}),
          });
          break;
        }
        case 'signed': {
          const known = documents.get(record.key);
          if (!known) throw invalid(file, i + 1);
          documents.set(record.key, {
            key: known.key,
            input: known.input,
            output: record.output,
            status: 'signed',
            signed: record,
          });
          break;
        }
        case 'failed': {
          const known = documents.get(record.key);
          if (!known) throw invalid(file, i + 1);
          documents.set(record.key, {
            key: known.key,
            input: known.input,
            output: known.output,
            status: 'failed',
            failed: record,
          });
          break;
        }
      }
    }
    offset += lineBytes;
    validBytes = offset;
  }
  if (header === undefined) throw invalid(file, 1);
  return { state: { header, documents, runs }, validBytes };
}

interface Waiting {
  readonly bytes: Buffer;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

async function syncFolder(dir: string): Promise<void> {
  // Makes a new entry of the folder durable; not possible (nor needed) on every platform.
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a folder this way
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export class BatchJournal {
  readonly path: string;
  #handle: FileHandle | undefined;
  #queue: Waiting[] = [];
  #flushing = false;
  #broken: unknown;

  private constructor(file: string, handle: FileHandle) {
    this.path = file;
    this.#handle = handle;
  }

  /** Starts a new journal; fails if one exists. */
  static async create(file: string, header: BatchHeaderRecord): Promise<BatchJournal> {
    const handle = await open(file, 'wx');
    const journal = new BatchJournal(file, handle);
    await journal.append(header);
    await syncFolder(path.dirname(file));
    return journal;
  }

  /** Opens an existing journal for appending, after replaying it (and dropping a torn last line). */
  static async open(file: string): Promise<{ journal: BatchJournal; state: JournalState }> {
    const text = await readFile(file, 'utf8');
    const { state, validBytes } = replayJournal(text, file);
    if (validBytes < Buffer.byteLength(text, 'utf8')) await truncate(file, validBytes);
    const handle = await open(file, 'a');
    return { journal: new BatchJournal(file, handle), state };
  }

  /** Appends records; resolves once they are on disk. */
  append(...records: JournalRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    const bytes = Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ bytes, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue;
        this.#queue = [];
        try {
          const handle = this.#handle;
          if (!handle) throw new KysoError('INTERNAL', 'the batch journal is closed');
          const bytes = Buffer.concat(group.map((w) => w.bytes));
          let done = 0;
          while (done < bytes.length) {
            const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, null);
            done += bytesWritten;
          }
          await handle.datasync();
          for (const w of group) w.resolve();
        } catch (err) {
          // A journal that could not be written cannot be trusted for the rest of the run.
          this.#broken = err;
          for (const w of [...group, ...this.#queue]) w.reject(err);
          this.#queue = [];
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}

/**
 * One batch at a time per output folder: a lock file holding the owner's process id and host. A
 * lock left by a process that no longer runs (a kill, a crash) is taken over.
 */
export async function lockBatchFolder(lockFile: string, folder: string): Promise<() => Promise<void>> {
  const me = { pid: process.pid, host: hostname(), at: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await rm(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner: { pid?: unknown; host?: unknown } = {};
    try {
      owner = JSON.parse(await readFile(lockFile, 'utf8')) as typeof owner;
    } catch {
      // an empty or torn lock file: its writer died before finishing it
    }
    const pid = typeof owner.pid === 'number' ? owner.pid : undefined;
    const host = typeof owner.host === 'string' ? owner.host : undefined;
    const sameHost = host === undefined || host === me.host;
    if (pid !== undefined && (!sameHost || pid === process.pid || processAlive(pid))) {
      throw new KysoError('BATCH_IN_PROGRESS', `Another batch is running on ${folder}.`, {
        details: { path: folder, pid, lock: lockFile, ...(sameHost ? {} : { host: host ?? '' }) },
      });
    }
    await rm(lockFile, { force: true });
  }
  throw new KysoError('BATCH_IN_PROGRESS', `Another batch is running on ${folder}.`, {
    details: { path: folder, lock: lockFile },
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
