// Object streams (/Type /ObjStm): decoded on first use and kept in a cache bounded by bytes, so a
// file whose objects are all compressed still reads in bounded memory.
import { KysoError } from '../../shared/errors.js';
import { Lexer } from './lexer.js';
import { ObjectParser } from './object-parser.js';
import type { PdfValue } from './objects.js';

export interface DecodedObjectStream {
  /** The decoded data. */
  readonly data: Buffer;
  /** /First: where the first object starts in `data`. */
  readonly first: number;
  /** The header pairs in order: object number, and start/end of the object in `data`. */
  readonly objects: ReadonlyArray<{ readonly num: number; readonly start: number; readonly end: number }>;
}

const malformed = (message: string, details: Record<string, number> = {}): KysoError =>
  new KysoError('PDF_MALFORMED', message, { details });

/** Parses the `num offset` pairs at the start of a decoded object stream. */
export function parseObjectStreamHeader(data: Buffer, n: number, first: number): DecodedObjectStream {
  if (first > data.length) throw malformed('An object stream of the PDF file is damaged (/First).');
  const lexer = new Lexer(data.subarray(0, first), true, 0);
  const pairs: Array<{ num: number; start: number }> = [];
  for (let i = 0; i < n; i++) {
    const a = lexer.next();
    const b = lexer.next();
    if (a.type !== 'number' || b.type !== 'number' || !a.isInt || !b.isInt || a.value < 0 || b.value < 0)
      break;
    pairs.push({ num: a.value, start: first + b.value });
  }
  // An object ends where the next one (by position) starts: this keeps "5" followed by "0 R…" from
  // parsing as a reference, whatever order the header lists the objects in.
  const starts = [...new Set(pairs.map((p) => p.start))].sort((x, y) => x - y);
  const endOf = new Map<number, number>();
  for (let i = 0; i < starts.length; i++) endOf.set(starts[i]!, starts[i + 1] ?? data.length);
  const objects = pairs.map((p) => ({ num: p.num, start: p.start, end: endOf.get(p.start) ?? data.length }));
  return { data, first, objects };
}

/** The object at position `index` (or, when the header disagrees, the one numbered `num`). */
export function objectFromStream(
  stream: DecodedObjectStream,
  num: number,
  index: number,
): PdfValue | undefined {
  let i = index;
  if (stream.objects[i]?.num !== num) i = stream.objects.findIndex((o) => o.num === num);
  const entry = stream.objects[i];
  if (entry === undefined || entry.start >= entry.end) return undefined;
  const lexer = new Lexer(stream.data.subarray(entry.start, entry.end), true, 0);
  return new ObjectParser(lexer).parseValue();
}

/** An LRU cache of decoded object streams, bounded by their total decoded size. */
export class ObjectStreamCache {
  private readonly entries = new Map<number, DecodedObjectStream>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(streamNum: number): DecodedObjectStream | undefined {
    const hit = this.entries.get(streamNum);
    if (hit !== undefined) {
      this.entries.delete(streamNum);
      this.entries.set(streamNum, hit);
    }
    return hit;
  }

  put(streamNum: number, stream: DecodedObjectStream): void {
    const old = this.entries.get(streamNum);
    if (old !== undefined) {
      this.bytes -= old.data.length;
      this.entries.delete(streamNum);
    }
    this.entries.set(streamNum, stream);
    this.bytes += stream.data.length;
    // Evict oldest first, but always keep the one just added.
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes || key === streamNum) break;
      this.entries.delete(key);
      this.bytes -= value.data.length;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
