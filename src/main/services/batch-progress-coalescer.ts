// A batch of a thousand documents finishes several a second: one event per document would keep the
// window busy drawing. The coalescer keeps the latest counts and the documents finished since the
// last event, and hands them out at most every `intervalMs` (and at once when the stage changes or
// the batch ends), so the window gets a few events a second whatever the pace.
import type { BatchDocumentView, BatchProgressView, BatchRunProgress } from '../../shared/contract/index.js';

export class ProgressCoalescer {
  #stage: BatchRunProgress['stage'] = 'opening';
  #progress: BatchProgressView | null = null;
  #finished: BatchDocumentView[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #last = 0;

  constructor(
    private readonly emit: (progress: BatchRunProgress) => void,
    private readonly intervalMs = 250,
    private readonly now: () => number = () => Date.now(),
  ) {}

  stage(stage: BatchRunProgress['stage']): void {
    if (stage === this.#stage) return;
    this.#stage = stage;
    this.flush();
  }

  progress(progress: BatchProgressView, finished?: BatchDocumentView): void {
    this.#progress = progress;
    if (finished) this.#finished.push(finished);
    if (this.#stage === 'opening' || this.#stage === 'waiting-for-token') this.#stage = 'signing';
    const wait = this.#last + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Sends what is pending now (the batch ended, or the stage changed). */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#last = this.now();
    const finished = this.#finished;
    this.#finished = [];
    this.emit({ stage: this.#stage, progress: this.#progress, finished });
  }

  /** No event after this (the call has answered). */
  close(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
