// Delivering what the outbox holds: a few workers claim due documents one at a time, send each with
// its adapter, and record the outcome; retryable failures come back later with backoff, permanent
// ones are kept as failed with the reason. Cancellation (AbortSignal) gives the claims back.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { KysoError, isKysoError } from '../../shared/errors.js';
import { Outbox, type ClaimOwner, type OutboxItem, type OutboxState } from './outbox.js';
import { sha256File } from './queue-document.js';
import { retryDelay, type RetryPolicy } from './retry-backoff.js';
import type { DeliveryOutcome, UploadAdapter, UploadDestination } from './upload-types.js';

export type FlushEvent =
  | { readonly type: 'sending'; readonly item: OutboxItem }
  | { readonly type: 'bytes'; readonly id: number; readonly sent: number; readonly total: number }
  | { readonly type: 'delivered'; readonly item: OutboxItem; readonly already: boolean }
  | { readonly type: 'retry-scheduled'; readonly item: OutboxItem; readonly at: string }
  | { readonly type: 'failed'; readonly item: OutboxItem }
  | { readonly type: 'waiting'; readonly until: string; readonly pending: number };

export interface FlushRequest {
  readonly outbox: Outbox;
  /** The adapter for an item's destination (cached by the caller as it likes). */
  readonly adapterFor: (destination: UploadDestination) => UploadAdapter;
  readonly retry: RetryPolicy;
  readonly concurrency?: number;
  /** Only these items (kyso upload: the ones it just queued). */
  readonly only?: readonly number[];
  /**
   * Also wait for retries falling due within this many milliseconds from the start (0: deliver
   * what is due now and stop).
   */
  readonly waitMs?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: FlushEvent) => void;
  /** How long a claim lasts without renewal; renewed while a document is being sent. */
  readonly leaseMs?: number;
}

export interface FlushResult {
  readonly delivered: number;
  readonly failed: number;
  readonly retried: number;
  /** States of the items concerned (every item, or `only`) when the flush ended. */
  readonly counts: Record<OutboxState, number>;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function flushOutbox(request: FlushRequest): Promise<FlushResult> {
  const { outbox, signal } = request;
  const owner: ClaimOwner = { token: randomBytes(12).toString('hex'), pid: process.pid, host: os.hostname() };
  const leaseMs = request.leaseMs ?? 5 * 60_000;
  const deadline = Date.now() + (request.waitMs ?? 0);
  const emit = (event: FlushEvent): void => request.onEvent?.(event);
  let delivered = 0;
  let failed = 0;
  let retried = 0;
  let fatal: unknown;

  const record = async (item: OutboxItem, outcome: DeliveryOutcome): Promise<void> => {
    if (outcome.kind === 'delivered') {
      outbox.delivered(item.id, outcome);
      delivered++;
      emit({ type: 'delivered', item: outbox.get(item.id) as OutboxItem, already: outcome.already });
      // The copy is no longer needed once no other unfinished item sends the same bytes.
      if (item.copied && !outbox.fileInUse(item.file, item.id)) await rm(item.file, { force: true });
      return;
    }
    const error = { code: outcome.code, message: outcome.message, status: outcome.status };
    if (outcome.kind === 'failed' || item.attempts >= request.retry.maxAttempts) {
      outbox.failed(item.id, owner, error);
      failed++;
      emit({ type: 'failed', item: outbox.get(item.id) as OutboxItem });
      return;
    }
    const at = Date.now() + retryDelay(request.retry, item.attempts, outcome.retryAfterMs);
    outbox.retryLater(item.id, owner, error, at);
    retried++;
    emit({
      type: 'retry-scheduled',
      item: outbox.get(item.id) as OutboxItem,
      at: new Date(at).toISOString(),
    });
  };

  const sendOne = async (item: OutboxItem): Promise<void> => {
    emit({ type: 'sending', item });
    const renew = setInterval(() => outbox.renewClaim(item.id, owner, leaseMs), Math.max(1000, leaseMs / 3));
    try {
      // The bytes must still be the ones verified and hashed when queued.
      const now = await sha256File(item.file).catch(() => undefined);
      if (now === undefined || now.sha256 !== item.sha256) {
        await record(item, {
          kind: 'failed',
          code: 'UPLOAD_FILE_CHANGED',
          message: item.copied ? item.file : item.sourcePath,
          status: null,
        });
        return;
      }
      const adapter = request.adapterFor(item.destination);
      const outcome = await adapter.deliver({
        file: item.file,
        metadata: Outbox.metadataOf(item),
        ...(signal ? { signal } : {}),
        onBytes: (sent, total) => emit({ type: 'bytes', id: item.id, sent, total }),
      });
      await record(item, outcome);
    } catch (error) {
      // Not the document's fault: the claim goes back, the attempt does not count.
      outbox.release(item.id, owner);
      throw error;
    } finally {
      clearInterval(renew);
    }
  };

  const worker = async (): Promise<void> => {
    while (fatal === undefined && !signal?.aborted) {
      const item = outbox.claimNext(owner, leaseMs, request.only);
      if (item) {
        try {
          await sendOne(item);
        } catch (error) {
          fatal ??= error;
        }
        continue;
      }
      const { at, pending } = outbox.nextDue(request.only);
      if (pending === 0 || at === undefined || at > deadline) return;
      // Something falls due (here, or a claim held elsewhere ends) before the deadline: wait, looking
      // again at least every second, since another process may finish or add work meanwhile.
      const until = Math.min(at, deadline);
      emit({ type: 'waiting', until: new Date(until).toISOString(), pending });
      await sleep(Math.max(20, Math.min(until - Date.now(), 1000)), signal);
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, request.concurrency ?? 1) }, worker));
  if (fatal !== undefined) {
    if (isKysoError(fatal)) throw fatal;
    throw new KysoError('INTERNAL', 'flush failed', { cause: fatal });
  }
  if (signal?.aborted) throw new KysoError('CANCELLED', 'cancelled');
  return { delivered, failed, retried, counts: outbox.counts(request.only) };
}
