// The reader against real-world damage: every file of the malformed corpus (test/corpus) must end with a
// result or a KysoError, quickly and in bounded memory; the signed corpus must read nearly entirely.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKysoError } from '../../../src/shared/errors.js';
import { PdfReader } from '../../../src/signing/pdf/index.js';
import type { PdfReaderOptions } from '../../../src/signing/pdf/index.js';
import { listFiles, corpusPdfDir } from './corpus.js';

const TIME_LIMIT_MS = 2000;
const HEAP_LIMIT_BYTES = 512 * 1024 * 1024;

type Outcome =
  | { kind: 'ok'; pages: number; revisions: number; ms: number }
  | { kind: 'kyso'; code: string; ms: number }
  | { kind: 'other'; error: string; ms: number }
  | { kind: 'timeout'; ms: number };

/** Opens `file`, touches the catalog, the page count and the first page. */
async function touch(file: string, options: PdfReaderOptions): Promise<Outcome> {
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  let reader: PdfReader | null = null;
  const work = (async (): Promise<Outcome> => {
    try {
      reader = await PdfReader.open(file, options);
      await reader.catalog();
      const pages = await reader.pageCount();
      if (pages > 0) await reader.getPage(0);
      return { kind: 'ok', pages, revisions: reader.revisions.length, ms: ms() };
    } catch (err) {
      if (isKysoError(err)) return { kind: 'kyso', code: err.code, ms: ms() };
      return { kind: 'other', error: String(err), ms: ms() };
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout', ms: ms() }), TIME_LIMIT_MS * 5);
  });
  const outcome = await Promise.race([work, timeout]);
  clearTimeout(timer);
  await (reader as PdfReader | null)?.close().catch(() => undefined);
  return outcome;
}

function summarise(label: string, results: Map<string, Outcome>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of results.values()) {
    const key = o.kind === 'kyso' ? o.code : o.kind;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  const slowest = [...results.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 3);
  process.stdout.write(
    `${label}: ${results.size} files ${JSON.stringify(counts)}; slowest ${slowest
      .map(([f, o]) => `${path.basename(f)} ${o.ms} ms`)
      .join(', ')}\n`,
  );
  return counts;
}

async function runCorpus(dir: string, options: PdfReaderOptions): Promise<Map<string, Outcome>> {
  const files = listFiles(dir);
  expect(files.length, `no files in ${dir}: test/corpus is missing`).toBeGreaterThan(0);
  const results = new Map<string, Outcome>();
  let maxHeap = 0;
  for (const f of files) {
    results.set(f, await touch(f, options));
    maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
  }
  expect(maxHeap).toBeLessThan(HEAP_LIMIT_BYTES);
  return results;
}

function expectWellBehaved(results: Map<string, Outcome>): void {
  const bad = [...results.entries()].filter(
    ([, o]) =>
      o.kind === 'other' ||
      o.kind === 'timeout' ||
      o.ms > TIME_LIMIT_MS ||
      (o.kind === 'kyso' && o.code === 'INTERNAL'),
  );
  expect(bad.map(([f, o]) => `${path.relative(corpusPdfDir, f)}: ${JSON.stringify(o)}`)).toEqual([]);
}

describe('robustness on the corpora of test/corpus', () => {
  const malformed = path.join(corpusPdfDir, 'malformed');
  const signed = path.join(corpusPdfDir, 'signed');

  it('every malformed file ends in a result or a KysoError, in time', async () => {
    const results = await runCorpus(malformed, {});
    summarise('malformed', results);
    expectWellBehaved(results);
  }, 300_000);

  it('every malformed file ends in a result or a KysoError with repair on, in time', async () => {
    const results = await runCorpus(malformed, { repair: true });
    const counts = summarise('malformed (repair)', results);
    expectWellBehaved(results);
    // Repair must recover files the strict reader refuses.
    expect(counts['PDF_XREF_BROKEN'] ?? 0).toBe(0);
  }, 300_000);

  it('reads the catalog and at least one revision of nearly every signed file', async () => {
    const results = await runCorpus(signed, {});
    summarise('signed', results);
    expectWellBehaved(results);
    const failures = [...results.entries()].filter(([, o]) => o.kind !== 'ok');
    for (const [f, o] of failures)
      process.stdout.write(
        `  signed exception: ${path.relative(signed, f)}: ${o.kind === 'kyso' ? o.code : o.kind}\n`,
      );
    for (const o of results.values()) if (o.kind === 'ok') expect(o.revisions).toBeGreaterThanOrEqual(1);
    expect(failures.length / results.size).toBeLessThan(0.06);
  }, 300_000);

  it('reports revisions in increasing order inside the file', async () => {
    for (const f of listFiles(signed).slice(0, 120)) {
      let r: PdfReader;
      try {
        r = await PdfReader.open(f);
      } catch {
        continue;
      }
      const size = fs.statSync(f).size;
      let last = 0;
      for (const rev of r.revisions) {
        expect(rev.endOffset).toBeGreaterThan(last);
        expect(rev.endOffset).toBeLessThanOrEqual(size);
        last = rev.endOffset;
      }
      await r.close();
    }
  }, 120_000);
});
