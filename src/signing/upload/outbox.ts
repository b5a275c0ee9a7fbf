// The durable outbox in <KYSO_HOME>/outbox: one SQLite database (better-sqlite3, WAL, synchronous
// FULL: a committed change survives a crash or a power cut) and the copies of the files to send.
// A document is recorded before any network call; states move queued → sending → delivered or
// failed (cancelled by hand). A sender claims a document in one IMMEDIATE transaction, so two
// processes flushing at once never take the same one; a claim whose process died (same machine)
// or whose lease ran out goes back to the queue, and its retry carries the same idempotency key.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { KysoError, type ErrorCode } from '../../shared/errors.js';
import { kysoHome } from '../home.js';
import type { UploadDestination, UploadMetadata } from './upload-types.js';

export const OUTBOX_STATES = ['queued', 'sending', 'delivered', 'failed', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly status: number | null;
}

export interface OutboxItem {
  readonly id: number;
  readonly state: OutboxState;
  readonly idempotencyKey: string;
  readonly destination: UploadDestination;
  readonly dossierCode: string;
  readonly fileName: string;
  readonly documentNumber: string | null;
  readonly documentType: string | null;
  readonly signerName: string | null;
  readonly signerOrganization: string | null;
  readonly signingTime: string | null;
  readonly sha256: string;
  readonly size: number;
  /** The file that is sent: the outbox's copy, or the original when it was not copied. */
  readonly file: string;
  readonly copied: boolean;
  readonly sourcePath: string;
  /** What verification on queueing warned about (untrusted chain, revocation not checked…). */
  readonly warnings: readonly string[];
  readonly attempts: number;
  /** ISO time of the next attempt (queued items). */
  readonly nextAttemptAt: string | null;
  readonly lastError: OutboxError | null;
  /** The server's answer on delivery (or the path written by the folder adapter). */
  readonly receipt: string | null;
  /** Delivered by an earlier attempt whose answer was lost (the server said "already delivered"). */
  readonly alreadyDelivered: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deliveredAt: string | null;
}

export interface NewOutboxItem {
  readonly idempotencyKey: string;
  readonly destination: UploadDestination;
  readonly dossierCode: string;
  readonly fileName: string;
  readonly documentNumber: string | null;
  readonly documentType: string | null;
  readonly signerName: string | null;
  readonly signerOrganization: string | null;
  readonly signingTime: string | null;
  readonly sha256: string;
  readonly size: number;
  readonly file: string;
  readonly copied: boolean;
  readonly sourcePath: string;
  readonly warnings: readonly string[];
}

/** Who holds a claim: a token per flush, and the process, to tell a dead holder on this machine. */
export interface ClaimOwner {
  readonly token: string;
  readonly pid: number;
  readonly host: string;
}

interface Row {
  id: number;
  state: OutboxState;
  idempotency_key: string;
  destination: string;
  dossier_code: string;
  file_name: string;
  document_number: string | null;
  document_type: string | null;
  signer_name: string | null;
  signer_organization: string | null;
  signing_time: string | null;
  sha256: string;
  size: number;
  file: string;
  copied: number;
  source_path: string;
  warnings: string;
  attempts: number;
  next_attempt_at: number | null;
  claim_token: string | null;
  claim_pid: number | null;
  claim_host: string | null;
  claim_until: number | null;
  error_code: string | null;
  error_message: string | null;
  error_status: number | null;
  receipt: string | null;
  already_delivered: number;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  state TEXT NOT NULL CHECK (state IN ('queued','sending','delivered','failed','cancelled')),
  idempotency_key TEXT NOT NULL UNIQUE,
  destination TEXT NOT NULL,
  dossier_code TEXT NOT NULL,
  file_name TEXT NOT NULL,
  document_number TEXT,
  document_type TEXT,
  signer_name TEXT,
  signer_organization TEXT,
  signing_time TEXT,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  file TEXT NOT NULL,
  copied INTEGER NOT NULL,
  source_path TEXT NOT NULL,
  warnings TEXT NOT NULL DEFAULT '[]',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  claim_token TEXT,
  claim_pid INTEGER,
  claim_host TEXT,
  claim_until INTEGER,
  error_code TEXT,
  error_message TEXT,
  error_status INTEGER,
  receipt TEXT,
  already_delivered INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS items_due ON items (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  item_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX IF NOT EXISTS events_item ON events (item_id);
`;

type DatabaseConstructor = typeof BetterSqlite3;

let sqlite: DatabaseConstructor | undefined;

/** better-sqlite3 is native and loaded on first use: commands without an outbox never pay for it. */
function loadSqlite(file: string): DatabaseConstructor {
  if (sqlite !== undefined) return sqlite;
  try {
    const require = createRequire(import.meta.url);
    sqlite = require('better-sqlite3') as DatabaseConstructor;
    return sqlite;
  } catch (cause) {
    throw new KysoError('UPLOAD_OUTBOX_UNAVAILABLE', 'better-sqlite3 cannot be loaded', {
      details: { path: file, reason: 'better-sqlite3' },
      cause,
    });
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function toItem(row: Row): OutboxItem {
  return {
    id: row.id,
    state: row.state,
    idempotencyKey: row.idempotency_key,
    destination: JSON.parse(row.destination) as UploadDestination,
    dossierCode: row.dossier_code,
    fileName: row.file_name,
    documentNumber: row.document_number,
    documentType: row.document_type,
    signerName: row.signer_name,
    signerOrganization: row.signer_organization,
    signingTime: row.signing_time,
    sha256: row.sha256,
    size: row.size,
    file: row.file,
    copied: row.copied === 1,
    sourcePath: row.source_path,
    warnings: JSON.parse(row.warnings) as string[],
    attempts: row.attempts,
    nextAttemptAt: row.state === 'queued' ? iso(row.next_attempt_at) : null,
    lastError:
      row.error_code === null
        ? null
        : { code: row.error_code as ErrorCode, message: row.error_message ?? '', status: row.error_status },
    receipt: row.receipt,
    alreadyDelivered: row.already_delivered === 1,
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
    deliveredAt: iso(row.delivered_at),
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function outboxDir(home: string = kysoHome()): string {
  return path.join(home, 'outbox');
}

export class Outbox {
  readonly dir: string;
  readonly filesDir: string;
  readonly #db: BetterSqlite3.Database;

  private constructor(dir: string, db: BetterSqlite3.Database) {
    this.dir = dir;
    this.filesDir = path.join(dir, 'files');
    this.#db = db;
  }

  /** Opens (creating it on first use) the outbox of a data folder. */
  static open(options: { home?: string; dir?: string } = {}): Outbox {
    const dir = options.dir ?? outboxDir(options.home);
    const file = path.join(dir, 'outbox.sqlite');
    const Database = loadSqlite(file);
    try {
      mkdirSync(path.join(dir, 'files'), { recursive: true, mode: 0o700 });
      const db = new Database(file, { timeout: 15_000 });
      db.pragma('journal_mode = WAL');
      // Claims, retries and deliveries commit without waiting for the disk (WAL, synchronous
      // NORMAL): a process crash or SIGKILL loses none of them, and the few a power cut could undo
      // are harmless, since a retry carries the same idempotency key. What a person was told
      // ("queued", "cancelled", "queued again") is committed with FULL: on disk before the answer.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.exec(SCHEMA);
      const outbox = new Outbox(dir, db);
      outbox.#sweep();
      return outbox;
    } catch (cause) {
      const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message ?? 'open';
      throw new KysoError('UPLOAD_OUTBOX_UNAVAILABLE', `cannot open ${file}`, {
        details: { path: file, reason: String(reason).slice(0, 120) },
        cause,
      });
    }
  }

  /**
   * Copies a killed process left behind: half-made ones (.incoming-*) and whole ones whose item was
   * never recorded. Only files older than an hour, so a queueing in progress elsewhere is spared.
   */
  #sweep(now = Date.now()): void {
    let names: string[];
    try {
      names = readdirSync(this.filesDir);
    } catch {
      return;
    }
    const used = new Set(
      (this.#db.prepare('SELECT file FROM items WHERE copied = 1').all() as { file: string }[]).map(
        (r) => r.file,
      ),
    );
    for (const name of names) {
      const file = path.join(this.filesDir, name);
      if (used.has(file)) continue;
      try {
        if (now - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true });
      } catch {
        // gone meanwhile
      }
    }
  }

  close(): void {
    this.#db.close();
  }

  /** Runs `work` as one IMMEDIATE transaction that is on disk when it returns. */
  #durably<T>(work: () => T): T {
    this.#db.pragma('synchronous = FULL');
    try {
      return this.#db.transaction(work).immediate();
    } finally {
      this.#db.pragma('synchronous = NORMAL');
    }
  }

  /** Is `file` still to be sent by an unfinished item other than `exceptId`? */
  fileInUse(file: string, exceptId: number): boolean {
    const row = this.#db
      .prepare(
        "SELECT 1 FROM items WHERE file = ? AND id != ? AND state IN ('queued', 'sending', 'failed') LIMIT 1",
      )
      .get(file, exceptId);
    return row !== undefined;
  }

  #event(id: number, kind: string, detail: string | null, now: number): void {
    this.#db
      .prepare('INSERT INTO events (item_id, at, kind, detail) VALUES (?, ?, ?, ?)')
      .run(id, now, kind, detail);
  }

  byKey(key: string): OutboxItem | undefined {
    const row = this.#db.prepare('SELECT * FROM items WHERE idempotency_key = ?').get(key) as Row | undefined;
    return row ? toItem(row) : undefined;
  }

  /** Records a document (queued, due now). An item with the same key already there is returned instead. */
  add(entry: NewOutboxItem, now = Date.now()): { item: OutboxItem; existing: boolean } {
    const { id, existing } = this.#durably((): { id: number; existing: boolean } => {
      const found = this.#db
        .prepare('SELECT id FROM items WHERE idempotency_key = ?')
        .get(entry.idempotencyKey) as { id: number } | undefined;
      if (found) return { id: found.id, existing: true };
      const result = this.#db
        .prepare(
          `INSERT INTO items (state, idempotency_key, destination, dossier_code, file_name, document_number,
             document_type, signer_name, signer_organization, signing_time, sha256, size, file, copied,
             source_path, warnings, attempts, next_attempt_at, created_at, updated_at)
           VALUES ('queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
        )
        .run(
          entry.idempotencyKey,
          JSON.stringify(entry.destination),
          entry.dossierCode,
          entry.fileName,
          entry.documentNumber,
          entry.documentType,
          entry.signerName,
          entry.signerOrganization,
          entry.signingTime,
          entry.sha256,
          entry.size,
          entry.file,
          entry.copied ? 1 : 0,
          entry.sourcePath,
          JSON.stringify(entry.warnings),
          now,
          now,
          now,
        );
      const id = Number(result.lastInsertRowid);
      this.#event(id, 'queued', null, now);
      return { id, existing: false };
    });
    return { item: this.get(id) as OutboxItem, existing };
  }

  get(id: number): OutboxItem | undefined {
    const row = this.#db.prepare('SELECT * FROM items WHERE id = ?').get(id) as Row | undefined;
    return row ? toItem(row) : undefined;
  }

  list(filter: { states?: readonly OutboxState[]; ids?: readonly number[] } = {}): OutboxItem[] {
    const rows = this.#db.prepare('SELECT * FROM items ORDER BY id').all() as Row[];
    return rows
      .filter((r) => filter.states === undefined || filter.states.includes(r.state))
      .filter((r) => filter.ids === undefined || filter.ids.includes(r.id))
      .map(toItem);
  }

  counts(ids?: readonly number[]): Record<OutboxState, number> {
    const counts = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
    for (const item of this.list(ids ? { ids } : {})) counts[item.state]++;
    return counts;
  }

  /** The history of one item: queued, attempts, retries, delivery, by hand. */
  events(id: number): { at: string; kind: string; detail: string | null }[] {
    const rows = this.#db
      .prepare('SELECT at, kind, detail FROM events WHERE item_id = ? ORDER BY id')
      .all(id) as {
      at: number;
      kind: string;
      detail: string | null;
    }[];
    return rows.map((r) => ({ at: iso(r.at) as string, kind: r.kind, detail: r.detail }));
  }

  #require(id: number): Row {
    const row = this.#db.prepare('SELECT * FROM items WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new KysoError('UPLOAD_ITEM_NOT_FOUND', `no outbox item ${id}`, { details: { id } });
    return row;
  }

  /** A failed item goes back to the queue, due now, with a fresh count of attempts. */
  retry(id: number, now = Date.now()): OutboxItem {
    this.#durably(() => {
      const row = this.#require(id);
      if (row.state !== 'failed') {
        throw new KysoError('UPLOAD_ITEM_STATE', `item ${id} is ${row.state}`, {
          details: { id, state: row.state, action: 'retry' },
        });
      }
      this.#db
        .prepare(
          "UPDATE items SET state = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE id = ?",
        )
        .run(now, now, id);
      this.#event(id, 'retry-by-hand', null, now);
    });
    return this.get(id) as OutboxItem;
  }

  retryAllFailed(now = Date.now()): number {
    return this.#durably(() => {
      const ids = (
        this.#db.prepare("SELECT id FROM items WHERE state = 'failed'").all() as { id: number }[]
      ).map((r) => r.id);
      for (const id of ids) {
        this.#db
          .prepare(
            "UPDATE items SET state = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE id = ?",
          )
          .run(now, now, id);
        this.#event(id, 'retry-by-hand', null, now);
      }
      return ids.length;
    });
  }

  /** A queued or failed item is withdrawn; one being sent or delivered cannot be. */
  cancel(id: number, now = Date.now()): OutboxItem {
    this.#durably(() => {
      const row = this.#require(id);
      if (row.state !== 'queued' && row.state !== 'failed') {
        throw new KysoError('UPLOAD_ITEM_STATE', `item ${id} is ${row.state}`, {
          details: { id, state: row.state, action: 'cancel' },
        });
      }
      this.#db.prepare("UPDATE items SET state = 'cancelled', updated_at = ? WHERE id = ?").run(now, id);
      this.#event(id, 'cancelled', null, now);
    });
    return this.get(id) as OutboxItem;
  }

  /** Claims whose holder is gone (dead process here, or lease over) return to the queue, due now. */
  #reclaim(now: number): void {
    const host = os.hostname();
    const rows = this.#db
      .prepare("SELECT id, claim_pid, claim_host, claim_until FROM items WHERE state = 'sending'")
      .all() as Pick<Row, 'id' | 'claim_pid' | 'claim_host' | 'claim_until'>[];
    for (const r of rows) {
      const expired = r.claim_until === null || r.claim_until < now;
      const dead =
        r.claim_host === host &&
        r.claim_pid !== null &&
        r.claim_pid !== process.pid &&
        !pidAlive(r.claim_pid);
      if (!expired && !dead) continue;
      this.#db
        .prepare(
          "UPDATE items SET state = 'queued', next_attempt_at = ?, claim_token = NULL, claim_pid = NULL, claim_host = NULL, claim_until = NULL, updated_at = ? WHERE id = ?",
        )
        .run(now, now, r.id);
      this.#event(r.id, 'reclaimed', dead ? 'sender died' : 'claim expired', now);
    }
  }

  /** Takes the next due item for `owner` (state sending, one more attempt), or none. */
  claimNext(
    owner: ClaimOwner,
    leaseMs: number,
    only?: readonly number[],
    now = Date.now(),
  ): OutboxItem | undefined {
    const claim = this.#db.transaction((): number | undefined => {
      this.#reclaim(now);
      const candidates = this.#db
        .prepare(
          "SELECT id FROM items WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id",
        )
        .all(now) as { id: number }[];
      const pick = candidates.find((c) => only === undefined || only.includes(c.id));
      if (!pick) return undefined;
      this.#db
        .prepare(
          `UPDATE items SET state = 'sending', attempts = attempts + 1, claim_token = ?, claim_pid = ?,
             claim_host = ?, claim_until = ?, updated_at = ? WHERE id = ?`,
        )
        .run(owner.token, owner.pid, owner.host, now + leaseMs, now, pick.id);
      this.#event(pick.id, 'sending', owner.host, now);
      return pick.id;
    });
    const id = claim.immediate();
    return id === undefined ? undefined : this.get(id);
  }

  /** Keeps a long upload's claim alive; false: the claim was lost. */
  renewClaim(id: number, owner: ClaimOwner, leaseMs: number, now = Date.now()): boolean {
    const r = this.#db
      .prepare("UPDATE items SET claim_until = ? WHERE id = ? AND state = 'sending' AND claim_token = ?")
      .run(now + leaseMs, id, owner.token);
    return r.changes === 1;
  }

  /**
   * The server has it. Delivered wins over any other state but cancelled-after-delivery cannot
   * happen: an item is only cancellable while nobody sends it.
   */
  delivered(
    id: number,
    outcome: { already: boolean; status: number | null; receipt: string | null },
    now = Date.now(),
  ): void {
    this.#db
      .transaction(() => {
        const r = this.#db
          .prepare(
            `UPDATE items SET state = 'delivered', delivered_at = ?, updated_at = ?, receipt = ?,
               already_delivered = ?, error_code = NULL, error_message = NULL, error_status = NULL,
               claim_token = NULL, claim_pid = NULL, claim_host = NULL, claim_until = NULL, next_attempt_at = NULL
             WHERE id = ? AND state IN ('queued', 'sending', 'failed')`,
          )
          .run(now, now, outcome.receipt, outcome.already ? 1 : 0, id);
        if (r.changes === 1) {
          this.#event(
            id,
            'delivered',
            `${outcome.status ?? ''}${outcome.already ? ' already' : ''}`.trim(),
            now,
          );
        }
      })
      .immediate();
  }

  /** A retryable failure: back to the queue for `at`, or failed once attempts are spent. Only the claim's holder. */
  retryLater(
    id: number,
    owner: ClaimOwner,
    error: OutboxError,
    at: number | 'give-up',
    now = Date.now(),
  ): void {
    this.#db
      .transaction(() => {
        const state = at === 'give-up' ? 'failed' : 'queued';
        const r = this.#db
          .prepare(
            `UPDATE items SET state = ?, next_attempt_at = ?, error_code = ?, error_message = ?, error_status = ?,
               claim_token = NULL, claim_pid = NULL, claim_host = NULL, claim_until = NULL, updated_at = ?
             WHERE id = ? AND state = 'sending' AND claim_token = ?`,
          )
          .run(
            state,
            at === 'give-up' ? null : at,
            error.code,
            error.message,
            error.status,
            now,
            id,
            owner.token,
          );
        if (r.changes === 1)
          this.#event(
            id,
            state === 'failed' ? 'failed' : 'retry-scheduled',
            `${error.code} ${error.message}`,
            now,
          );
      })
      .immediate();
  }

  /** A permanent failure (refused by the server): kept, with the reason, for a retry by hand. */
  failed(id: number, owner: ClaimOwner, error: OutboxError, now = Date.now()): void {
    this.retryLater(id, owner, error, 'give-up', now);
  }

  /** Gives a claim back untouched (a missing credential or cancellation: the attempt did not count). */
  release(id: number, owner: ClaimOwner, now = Date.now()): void {
    this.#db
      .prepare(
        `UPDATE items SET state = 'queued', attempts = MAX(attempts - 1, 0), next_attempt_at = ?,
           claim_token = NULL, claim_pid = NULL, claim_host = NULL, claim_until = NULL, updated_at = ?
         WHERE id = ? AND state = 'sending' AND claim_token = ?`,
      )
      .run(now, now, id, owner.token);
  }

  /** When the next queued item falls due (ms), or undefined when nothing is queued or being sent. */
  nextDue(only?: readonly number[]): { at: number | undefined; pending: number } {
    const rows = this.#db
      .prepare(
        "SELECT id, state, next_attempt_at, claim_until FROM items WHERE state IN ('queued', 'sending')",
      )
      .all() as Pick<Row, 'id' | 'state' | 'next_attempt_at' | 'claim_until'>[];
    let at: number | undefined;
    let pending = 0;
    for (const r of rows) {
      if (only !== undefined && !only.includes(r.id)) continue;
      pending++;
      const t = r.state === 'queued' ? r.next_attempt_at : r.claim_until;
      if (t !== null && (at === undefined || t < at)) at = t;
    }
    return { at, pending };
  }

  /** Metadata as sent (README "One-stop REST contract"). */
  static metadataOf(item: OutboxItem): UploadMetadata {
    return {
      dossierCode: item.dossierCode,
      fileName: item.fileName,
      documentNumber: item.documentNumber,
      documentType: item.documentType,
      signer:
        item.signerName === null && item.signerOrganization === null
          ? null
          : { name: item.signerName, organization: item.signerOrganization },
      signingTime: item.signingTime,
      sha256: item.sha256,
      size: item.size,
      idempotencyKey: item.idempotencyKey,
    };
  }
}
