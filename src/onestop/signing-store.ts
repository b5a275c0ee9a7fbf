// The reference server's signing requests (README "The signing chain"): one SQLite database in the
// data folder (better-sqlite3, WAL) holding each request, its chain of steps, every version of its
// document (files beside it), the Idempotency-Keys of the signed files it stored, and the issue
// books (issue-book.ts). A restarted server knows everything; state changes are single
// transactions, so two clerks or two retries racing each other see one winner.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync, fsyncSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type StepKind = 'approve' | 'issue';
export type StepState = 'waiting' | 'pending' | 'done' | 'declined';
export type RequestState = 'pending' | 'done' | 'declined' | 'withdrawn';

export interface ChainStep {
  readonly kind: StepKind;
  /** SHA-256 (hex) of the certificates that may sign this step (one person, or the office's clerks). */
  readonly certificates: readonly string[];
  readonly state: StepState;
  readonly signedBy: string | null;
  readonly signedAt: string | null;
}

export interface SigningRequest {
  readonly id: string;
  readonly dossierCode: string;
  readonly documentType: string;
  readonly title: string | null;
  readonly fileName: string;
  readonly preparedBy: string;
  readonly createdAt: string;
  readonly dueAt: string | null;
  /** The issue book's symbol (e.g. QĐ-UBND): numbers read 0001/QĐ-UBND. */
  readonly book: string;
  readonly state: RequestState;
  /** Index of the current step (chain.length once done). */
  readonly step: number;
  readonly version: number;
  readonly sha256: string;
  readonly size: number;
  readonly chain: readonly ChainStep[];
  readonly declineReason: string | null;
  readonly declinedBy: string | null;
  readonly declinedAt: string | null;
  readonly withdrawnAt: string | null;
  /** The result's receipt in the dossier, once the chain ended. */
  readonly receiptId: string | null;
  readonly updatedAt: string;
}

export interface StoredCertificate {
  readonly sha256: string;
  readonly der: Buffer;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS requests (
  id TEXT PRIMARY KEY,
  dossier_code TEXT NOT NULL,
  document_type TEXT NOT NULL,
  title TEXT,
  file_name TEXT NOT NULL,
  prepared_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  due_at TEXT,
  book TEXT NOT NULL,
  state TEXT NOT NULL,
  step INTEGER NOT NULL,
  version INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  chain TEXT NOT NULL,
  decline_reason TEXT,
  declined_by TEXT,
  declined_at TEXT,
  withdrawn_at TEXT,
  receipt_id TEXT,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS signed_keys (
  idempotency_key TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  version INTEGER NOT NULL,
  stored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS certificates (
  sha256 TEXT PRIMARY KEY,
  der BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS books (
  book TEXT NOT NULL,
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (book, year)
);
CREATE TABLE IF NOT EXISTS issues (
  request_id TEXT PRIMARY KEY,
  book TEXT NOT NULL,
  year INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  number TEXT NOT NULL UNIQUE,
  issued_date TEXT NOT NULL,
  clerk TEXT NOT NULL,
  lease_until INTEGER NOT NULL,
  UNIQUE (book, year, seq)
);
`;

interface Row {
  id: string;
  dossier_code: string;
  document_type: string;
  title: string | null;
  file_name: string;
  prepared_by: string;
  created_at: string;
  due_at: string | null;
  book: string;
  state: RequestState;
  step: number;
  version: number;
  sha256: string;
  size: number;
  chain: string;
  decline_reason: string | null;
  declined_by: string | null;
  declined_at: string | null;
  withdrawn_at: string | null;
  receipt_id: string | null;
  updated_at: string;
}

function fromRow(row: Row): SigningRequest {
  return {
    id: row.id,
    dossierCode: row.dossier_code,
    documentType: row.document_type,
    title: row.title,
    fileName: row.file_name,
    preparedBy: row.prepared_by,
    createdAt: row.created_at,
    dueAt: row.due_at,
    book: row.book,
    state: row.state,
    step: row.step,
    version: row.version,
    sha256: row.sha256,
    size: row.size,
    chain: JSON.parse(row.chain) as ChainStep[],
    declineReason: row.decline_reason,
    declinedBy: row.declined_by,
    declinedAt: row.declined_at,
    withdrawnAt: row.withdrawn_at,
    receiptId: row.receipt_id,
    updatedAt: row.updated_at,
  };
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes a file under a temporary name, flushes it and renames it: whole or absent. */
export function writeFileDurably(file: string, data: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export class SigningStore {
  readonly dir: string;
  readonly db: Database.Database;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'signing');
    mkdirSync(this.dir, { recursive: true });
    this.db = new Database(path.join(this.dir, 'signing.sqlite'), { timeout: 15_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  newId(): string {
    return `sr-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  }

  documentPath(id: string, version: number): string {
    return path.join(this.dir, id, `v${version}.pdf`);
  }

  readDocument(request: SigningRequest): Buffer {
    return readFileSync(this.documentPath(request.id, request.version));
  }

  rememberCertificate(der: Uint8Array): string {
    const sha = sha256Hex(der);
    this.db
      .prepare('INSERT OR IGNORE INTO certificates (sha256, der) VALUES (?, ?)')
      .run(sha, Buffer.from(der));
    return sha;
  }

  certificate(sha256: string): StoredCertificate | undefined {
    const row = this.db.prepare('SELECT sha256, der FROM certificates WHERE sha256 = ?').get(sha256) as
      { sha256: string; der: Buffer } | undefined;
    return row;
  }

  get(id: string): SigningRequest | undefined {
    const row = this.db.prepare('SELECT * FROM requests WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  all(): SigningRequest[] {
    return (this.db.prepare('SELECT * FROM requests ORDER BY created_at, id').all() as Row[]).map(fromRow);
  }

  insert(request: SigningRequest, document: Uint8Array): void {
    writeFileDurably(this.documentPath(request.id, request.version), document);
    this.db
      .prepare(
        `INSERT INTO requests (id, dossier_code, document_type, title, file_name, prepared_by, created_at,
          due_at, book, state, step, version, sha256, size, chain, updated_at)
         VALUES (@id, @dossierCode, @documentType, @title, @fileName, @preparedBy, @createdAt, @dueAt, @book,
          @state, @step, @version, @sha256, @size, @chain, @updatedAt)`,
      )
      .run({ ...request, chain: JSON.stringify(request.chain) });
  }

  /** Writes the changed fields of a request (inside the caller's transaction). */
  update(
    id: string,
    change: Partial<
      Pick<
        SigningRequest,
        | 'state'
        | 'step'
        | 'version'
        | 'sha256'
        | 'size'
        | 'chain'
        | 'declineReason'
        | 'declinedBy'
        | 'declinedAt'
        | 'withdrawnAt'
        | 'receiptId'
      >
    >,
  ): void {
    const columns: Record<string, string> = {
      state: 'state',
      step: 'step',
      version: 'version',
      sha256: 'sha256',
      size: 'size',
      chain: 'chain',
      declineReason: 'decline_reason',
      declinedBy: 'declined_by',
      declinedAt: 'declined_at',
      withdrawnAt: 'withdrawn_at',
      receiptId: 'receipt_id',
    };
    const sets: string[] = ['updated_at = @updatedAt'];
    const values: Record<string, unknown> = { id, updatedAt: new Date().toISOString() };
    for (const [key, value] of Object.entries(change)) {
      const column = columns[key];
      if (column === undefined || value === undefined) continue;
      sets.push(`${column} = @${key}`);
      values[key] = key === 'chain' ? JSON.stringify(value) : value;
    }
    this.db.prepare(`UPDATE requests SET ${sets.join(', ')} WHERE id = @id`).run(values);
  }

  signedKey(key: string): { requestId: string; step: number; version: number; storedAt: string } | undefined {
    const row = this.db
      .prepare('SELECT request_id, step, version, stored_at FROM signed_keys WHERE idempotency_key = ?')
      .get(key) as { request_id: string; step: number; version: number; stored_at: string } | undefined;
    return row
      ? { requestId: row.request_id, step: row.step, version: row.version, storedAt: row.stored_at }
      : undefined;
  }

  addSignedKey(key: string, requestId: string, step: number, version: number): void {
    this.db
      .prepare(
        'INSERT INTO signed_keys (idempotency_key, request_id, step, version, stored_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(key, requestId, step, version, new Date().toISOString());
  }
}
