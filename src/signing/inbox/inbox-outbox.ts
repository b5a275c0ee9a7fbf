// Signed returns waiting to reach the server (<inbox folder>/outbox/): each signed file is kept here
// before the first attempt, with its Idempotency-Key, so that with the network gone it is delivered
// later — and never twice: the key is the same for one request and step whoever sends it and however
// often, the server stores a key once (a repeat is INBOX_ALREADY_DELIVERED, counted as delivered),
// and a step with an entry here is not signed again.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { KysoError, type ErrorCode } from '../../shared/errors.js';
import { writeFileAtomic } from '../atomic-file.js';
import { retryDelay, type RetryPolicy } from '../upload/retry-backoff.js';
import { isTransient } from './inbox-answer.js';
import type { InboxClient } from './inbox-client.js';

export type InboxOutboxState = 'queued' | 'delivered' | 'failed';

export interface InboxOutboxEntry {
  readonly key: string;
  /** The signing request. */
  readonly id: string;
  readonly step: number;
  readonly stepKind: 'approve' | 'issue';
  readonly title: string | null;
  readonly dossierCode: string;
  readonly fileName: string;
  /** SHA-256 of the document that was signed, and of the signed file. */
  readonly baseSha256: string;
  readonly sha256: string;
  readonly documentNumber: string | null;
  readonly issuedDate: string | null;
  readonly state: InboxOutboxState;
  readonly attempts: number;
  readonly queuedAt: string;
  /** ISO 8601: not tried again before. */
  readonly nextAttemptAt: string;
  readonly deliveredAt: string | null;
  /** The last failure (the one that ended it, when failed). */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
  /** The request's state the server answered with (after delivery). */
  readonly serverState: string | null;
}

export const DEFAULT_INBOX_RETRY: RetryPolicy = { baseMs: 2_000, maxMs: 10 * 60_000, maxAttempts: 0 };

/** The Idempotency-Key of one step of one request, for one server and certificate. */
export function inboxDeliveryKey(server: string, assignee: string, id: string, step: number): string {
  const h = createHash('sha256')
    .update('kyso-inbox-v1\0')
    .update(server)
    .update('\0')
    .update(assignee)
    .update('\0')
    .update(id)
    .update('\0')
    .update(String(step))
    .digest('hex');
  return `kyso-inbox-${h.slice(0, 32)}`;
}

export type InboxDeliveryEvent =
  | { readonly kind: 'delivering'; readonly entry: InboxOutboxEntry }
  | { readonly kind: 'delivered'; readonly entry: InboxOutboxEntry; readonly already: boolean }
  | { readonly kind: 'kept'; readonly entry: InboxOutboxEntry; readonly code: ErrorCode }
  | { readonly kind: 'refused'; readonly entry: InboxOutboxEntry; readonly code: ErrorCode };

export class InboxOutbox {
  readonly dir: string;

  constructor(inboxDir: string) {
    this.dir = path.join(inboxDir, 'outbox');
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    } catch (cause) {
      throw new KysoError('OUTPUT_NOT_WRITABLE', `Cannot create the inbox outbox ${this.dir}.`, {
        details: { path: this.dir },
        cause,
      });
    }
  }

  #json(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  /** Where the signed file of an entry is kept. */
  file(key: string): string {
    return path.join(this.dir, `${key}.pdf`);
  }

  get(key: string): InboxOutboxEntry | undefined {
    try {
      return JSON.parse(readFileSync(this.#json(key), 'utf8')) as InboxOutboxEntry;
    } catch {
      return undefined;
    }
  }

  list(): InboxOutboxEntry[] {
    const out: InboxOutboxEntry[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const entry = this.get(name.slice(0, -'.json'.length));
      if (entry) out.push(entry);
    }
    return out.sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : 0));
  }

  /** Keeps a signed file (durably: the file first, then its entry). */
  async add(
    entry: Omit<
      InboxOutboxEntry,
      'state' | 'attempts' | 'queuedAt' | 'nextAttemptAt' | 'deliveredAt' | 'error' | 'serverState'
    >,
    data: Uint8Array,
  ): Promise<InboxOutboxEntry> {
    const now = new Date().toISOString();
    const full: InboxOutboxEntry = {
      ...entry,
      state: 'queued',
      attempts: 0,
      queuedAt: now,
      nextAttemptAt: now,
      deliveredAt: null,
      error: null,
      serverState: null,
    };
    await writeFileAtomic(this.file(entry.key), data);
    await writeFileAtomic(this.#json(entry.key), JSON.stringify(full, null, 2));
    return full;
  }

  async update(key: string, patch: Partial<InboxOutboxEntry>): Promise<InboxOutboxEntry> {
    const entry = this.get(key);
    if (!entry) throw new KysoError('INBOX_NOT_FOUND', `No outbox entry ${key}.`, { details: { id: key } });
    const next = { ...entry, ...patch };
    await writeFileAtomic(this.#json(key), JSON.stringify(next, null, 2));
    return next;
  }

  async remove(key: string): Promise<void> {
    await rm(this.#json(key), { force: true });
    await rm(this.file(key), { force: true });
  }
}

/**
 * One attempt at one entry: delivered (or already delivered), kept for later (the network or the
 * server), or refused for good (withdrawn, declined, changed…: the server's code, nothing stored).
 */
export async function deliverEntry(
  client: InboxClient,
  outbox: InboxOutbox,
  entry: InboxOutboxEntry,
  options: {
    readonly signal?: AbortSignal | undefined;
    readonly retry?: RetryPolicy | undefined;
    readonly onEvent?: ((event: InboxDeliveryEvent) => void) | undefined;
  } = {},
): Promise<InboxOutboxEntry> {
  if (entry.state !== 'queued') return entry;
  options.onEvent?.({ kind: 'delivering', entry });
  const data = readFileSync(outbox.file(entry.key));
  const attempts = entry.attempts + 1;
  try {
    const view = await client.returnSigned(
      entry.id,
      {
        data,
        idempotencyKey: entry.key,
        baseSha256: entry.baseSha256,
        step: entry.step,
        fileName: entry.fileName,
        ...(entry.documentNumber !== null ? { documentNumber: entry.documentNumber } : {}),
      },
      options.signal,
    );
    const done = await outbox.update(entry.key, {
      state: 'delivered',
      attempts,
      deliveredAt: new Date().toISOString(),
      error: null,
      serverState: view.state,
    });
    options.onEvent?.({ kind: 'delivered', entry: done, already: false });
    return done;
  } catch (err) {
    if (!(err instanceof KysoError)) throw err;
    if (err.code === 'INBOX_ALREADY_DELIVERED') {
      // Stored by an earlier attempt whose answer was lost: delivered, not twice.
      const done = await outbox.update(entry.key, {
        state: 'delivered',
        attempts,
        deliveredAt: new Date().toISOString(),
        error: null,
      });
      options.onEvent?.({ kind: 'delivered', entry: done, already: true });
      return done;
    }
    const error = { code: err.code, message: err.message };
    if (isTransient(err)) {
      const delay = retryDelay(options.retry ?? DEFAULT_INBOX_RETRY, attempts);
      const kept = await outbox.update(entry.key, {
        attempts,
        error,
        nextAttemptAt: new Date(Date.now() + delay).toISOString(),
      });
      options.onEvent?.({ kind: 'kept', entry: kept, code: err.code });
      return kept;
    }
    const failed = await outbox.update(entry.key, { state: 'failed', attempts, error });
    options.onEvent?.({ kind: 'refused', entry: failed, code: err.code });
    return failed;
  }
}

export interface FlushInboxResult {
  readonly delivered: readonly InboxOutboxEntry[];
  readonly kept: readonly InboxOutboxEntry[];
  readonly failed: readonly InboxOutboxEntry[];
}

/**
 * Tries the queued entries (those due, or all with `force`). After a network failure the rest wait
 * for the next flush: the server is away for them too.
 */
export async function flushInboxOutbox(
  client: InboxClient,
  outbox: InboxOutbox,
  options: {
    readonly force?: boolean;
    readonly signal?: AbortSignal;
    readonly retry?: RetryPolicy;
    readonly onEvent?: (event: InboxDeliveryEvent) => void;
  } = {},
): Promise<FlushInboxResult> {
  const delivered: InboxOutboxEntry[] = [];
  const kept: InboxOutboxEntry[] = [];
  const failed: InboxOutboxEntry[] = [];
  let unreachable = false;
  for (const entry of outbox.list()) {
    if (entry.state !== 'queued') continue;
    if (unreachable || (!options.force && Date.parse(entry.nextAttemptAt) > Date.now())) {
      kept.push(entry);
      continue;
    }
    if (options.signal?.aborted) throw new KysoError('CANCELLED', 'The delivery was cancelled.');
    const after = await deliverEntry(client, outbox, entry, options);
    if (after.state === 'delivered') delivered.push(after);
    else if (after.state === 'failed') failed.push(after);
    else {
      kept.push(after);
      if (after.error?.code === 'INBOX_UNREACHABLE') unreachable = true;
    }
  }
  return { delivered, kept, failed };
}
