// The coalescer behind batch.run's progress: a thousand documents finishing quickly reach the window
// in a handful of events, none lost, the last counts always sent, a stage change sent at once.
import { describe, expect, it, vi } from 'vitest';
import type { BatchDocumentView, BatchRunProgress } from '../../src/shared/contract/index.js';
import { ProgressCoalescer } from '../../src/main/services/batch-progress-coalescer.js';

const progress = (done: number) => ({
  total: 1000,
  done,
  signed: done,
  failed: 0,
  current: null,
  ratePerSecond: 0,
  remainingMs: null,
  elapsedMs: done,
});
const doc = (i: number): BatchDocumentView => ({
  name: `qd-${i}.pdf`,
  input: `/in/qd-${i}.pdf`,
  output: `/out/qd-${i}.pdf`,
  status: 'signed',
  earlier: false,
  code: null,
  message: null,
});

describe('ProgressCoalescer', () => {
  it('sends a thousand documents finished within a second in a few events, none lost', () => {
    vi.useFakeTimers();
    try {
      const events: BatchRunProgress[] = [];
      let now = 0;
      const c = new ProgressCoalescer(
        (p) => events.push(p),
        250,
        () => now,
      );
      for (let i = 1; i <= 1000; i++) {
        now = i; // one document a millisecond
        c.progress(progress(i), doc(i));
        vi.advanceTimersByTime(1);
      }
      c.flush();
      c.close();
      expect(events.length).toBeLessThanOrEqual(6);
      expect(events.flatMap((e) => e.finished).map((d) => d.name)).toEqual(
        Array.from({ length: 1000 }, (_, i) => `qd-${i + 1}.pdf`),
      );
      expect(events.at(-1)?.progress?.done).toBe(1000);
      expect(events.at(-1)?.stage).toBe('signing');
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends a stage change at once, and nothing after close', () => {
    vi.useFakeTimers();
    try {
      const events: BatchRunProgress[] = [];
      const c = new ProgressCoalescer(
        (p) => events.push(p),
        250,
        () => 0,
      );
      c.flush();
      c.progress(progress(1), doc(1)); // within the interval: held
      expect(events).toHaveLength(1); // held until the interval has passed
      c.stage('stopping');
      expect(events).toHaveLength(2);
      expect(events.at(-1)).toMatchObject({ stage: 'stopping' });
      expect(events.at(-1)?.finished.map((d) => d.name)).toEqual(['qd-1.pdf']);
      c.progress(progress(2), doc(2));
      c.close();
      vi.advanceTimersByTime(1000);
      expect(events.at(-1)?.finished.map((d) => d.name)).not.toContain('qd-2.pdf');
    } finally {
      vi.useRealTimers();
    }
  });
});
