// Timestamps in a batch: at most `maxConcurrent` requests to the TSA at once, whatever the number
// of documents waiting (a government TSA answers slowly and should not be flooded). Each request
// keeps the client's own retries with backoff (timestamp-client.ts). A document waiting here has
// already been signed by the token, so a slow TSA holds up only the documents that wait for it.
import { KysoError } from '../../shared/errors.js';
import {
  requestTimestamp,
  type DigestAlgorithm,
  type TimestampFunction,
  type TsaEvent,
} from '../cms/index.js';
import type { TsaOptions } from '../sign/sign-pdf.js';

export class TimestampLimiter {
  readonly maxConcurrent: number;
  #active = 0;
  #waiting: (() => void)[] = [];

  constructor(maxConcurrent: number) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new KysoError('INTERNAL', `a TSA limit must be a positive integer, not ${maxConcurrent}`);
    }
    this.maxConcurrent = maxConcurrent;
  }

  /** Requests being sent or awaited now. */
  get active(): number {
    return this.#active;
  }

  /** Runs `work` once a slot is free. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  /** A timestamp function for signPdf's `timestamper` option, going through this limiter. */
  timestamper(
    tsa: TsaOptions,
    digest: DigestAlgorithm,
    hooks: { readonly onEvent?: (event: TsaEvent) => void; readonly onQueued?: () => void } = {},
  ): TimestampFunction {
    return async (signatureValue, signal) => {
      hooks.onQueued?.();
      return await this.run(async () => {
        const result = await requestTimestamp({
          ...tsa,
          digest,
          data: signatureValue,
          ...(signal ? { signal } : {}),
          ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
        });
        return result.token;
      }, signal);
    };
  }

  #acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new KysoError('CANCELLED', 'Cancelled.'));
    if (this.#active < this.maxConcurrent) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.#active++;
        resolve();
      };
      const onAbort = (): void => {
        this.#waiting = this.#waiting.filter((w) => w !== grant);
        reject(new KysoError('CANCELLED', 'Cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  #release(): void {
    this.#active--;
    const next = this.#waiting.shift();
    if (next) next();
  }
}
