// One signing at a time: a token signs one document at once and a person answers one question at
// once. Requests wait their turn in arrival order; when too many wait, new ones are turned away.
import { KysoError } from '../../shared/errors.js';

export class SigningQueue {
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;

  constructor(readonly maxWaiting: number) {}

  /** Requests waiting or running. */
  get length(): number {
    return this.#waiting;
  }

  /**
   * Runs `job` after the jobs before it; `onQueued` learns how many are ahead. Throws BRIDGE_BUSY at
   * once when the queue is full.
   */
  run<T>(job: () => Promise<T>, onQueued?: (ahead: number) => void): Promise<T> {
    if (this.#waiting >= this.maxWaiting + 1) {
      return Promise.reject(new KysoError('BRIDGE_BUSY', 'Too many signing requests are waiting.'));
    }
    const ahead = this.#waiting;
    this.#waiting++;
    onQueued?.(ahead);
    const result = this.#tail.then(job);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.#waiting--;
    });
  }
}
