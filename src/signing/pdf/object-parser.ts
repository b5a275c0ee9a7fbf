// Parses PDF values from tokens, and indirect objects (`N G obj … endobj`, streams included) from a
// byte source by reading a growing window at the object's offset; stream data itself is not read.
import { KysoError } from '../../shared/errors.js';
import type { ByteSource } from './byte-source.js';
import { Lexer, NeedMoreData, isWhitespace } from './lexer.js';
import type { Token } from './lexer.js';
import { PdfArray, PdfDict, PdfName, PdfNumber, PdfRef, PdfStream, PdfString } from './objects.js';
import type { PdfValue } from './objects.js';

/** Deeper nesting than this is an attack or garbage, not a document; it would also blow the stack. */
const MAX_DEPTH = 256;

const malformed = (message: string, details: Record<string, string | number> = {}): KysoError =>
  new KysoError('PDF_MALFORMED', message, { details });

/** Keywords that end an object; seeing one where a value or key is expected means a missing `>>`/`]`. */
const OBJECT_END = new Set(['endobj', 'stream', 'endstream', 'obj', 'xref', 'trailer', 'startxref']);

export class ObjectParser {
  constructor(readonly lexer: Lexer) {}

  private peek(): Token {
    const save = this.lexer.pos;
    const t = this.lexer.next();
    this.lexer.pos = save;
    return t;
  }

  /** Parses one value; `N G R` becomes a PdfRef. */
  parseValue(depth = 0): PdfValue {
    if (depth > MAX_DEPTH) throw malformed('The PDF file nests objects too deeply.');
    const t = this.lexer.next();
    return this.valueFrom(t, depth);
  }

  private valueFrom(t: Token, depth: number): PdfValue {
    if (depth > MAX_DEPTH) throw malformed('The PDF file nests objects too deeply.');
    switch (t.type) {
      case 'number': {
        if (t.isInt && t.value >= 0) {
          const save = this.lexer.pos;
          const t2 = this.lexer.next();
          if (t2.type === 'number' && t2.isInt && t2.value >= 0) {
            const t3 = this.lexer.next();
            if (t3.type === 'keyword' && t3.value === 'R') return new PdfRef(t.value, t2.value);
          }
          this.lexer.pos = save;
        }
        return new PdfNumber(t.value, !t.isInt);
      }
      case 'name':
        return new PdfName(t.value);
      case 'string':
        return new PdfString(t.bytes, t.hex);
      case 'delim':
        if (t.value === '[') return this.array(depth);
        if (t.value === '<<') return this.dict(depth);
        throw malformed('The PDF file has a misplaced delimiter.', { offset: t.start });
      case 'keyword':
        if (t.value === 'true') return true;
        if (t.value === 'false') return false;
        if (t.value === 'null') return null;
        throw malformed('The PDF file has an unexpected keyword where a value should be.', {
          keyword: t.value.slice(0, 20),
        });
      case 'eof':
        throw malformed('The PDF file ends in the middle of an object.');
    }
  }

  private array(depth: number): PdfArray {
    const items: PdfValue[] = [];
    for (;;) {
      const t = this.lexer.next();
      if (t.type === 'delim' && t.value === ']') return new PdfArray(items);
      if (t.type === 'eof') throw malformed('The PDF file has an array that never ends.');
      if (t.type === 'keyword' && OBJECT_END.has(t.value)) {
        this.lexer.pos = t.start; // a missing ']': end the array here and let the caller see the keyword
        return new PdfArray(items);
      }
      items.push(this.valueFrom(t, depth + 1));
    }
  }

  private dict(depth: number): PdfDict {
    const d = new PdfDict();
    for (;;) {
      const t = this.lexer.next();
      if (t.type === 'delim' && t.value === '>>') return d;
      if (t.type === 'eof') throw malformed('The PDF file has a dictionary that never ends.');
      if (t.type === 'keyword' && OBJECT_END.has(t.value)) {
        this.lexer.pos = t.start; // a missing '>>'
        return d;
      }
      if (t.type !== 'name') continue; // junk where a key should be: skip it, as viewers do
      const v = this.peek();
      if (v.type === 'delim' && v.value === '>>') {
        d.set(t.value, null); // a key without a value
        continue;
      }
      if (v.type === 'keyword' && OBJECT_END.has(v.value)) {
        d.set(t.value, null);
        continue;
      }
      d.set(t.value, this.parseValue(depth + 1));
    }
  }
}

/** Parses a single value from a complete buffer (object streams, tests). */
export function parseValueAt(buf: Uint8Array, pos = 0): { value: PdfValue; end: number } {
  const lexer = new Lexer(buf, true, pos);
  const value = new ObjectParser(lexer).parseValue();
  return { value, end: lexer.pos };
}

export interface IndirectHeader {
  num: number;
  gen: number;
  value: PdfValue;
  /** For a stream: where its data starts (absolute), right after `stream` and its EOL. */
  streamStart: number | null;
  /** Absolute offset just past `endobj` (or past the value when `endobj` is missing). */
  end: number;
}

/**
 * Parses `N G obj value [stream]` from a window whose first byte is at absolute offset `base`.
 * Returns null when the window does not start (after whitespace) with an object header.
 */
export function parseIndirectHeader(buf: Uint8Array, base: number, complete: boolean): IndirectHeader | null {
  const lexer = new Lexer(buf, complete, 0);
  const t1 = lexer.next();
  if (t1.type !== 'number' || !t1.isInt || t1.value < 0) return null;
  const t2 = lexer.next();
  if (t2.type !== 'number' || !t2.isInt || t2.value < 0) return null;
  const t3 = lexer.next();
  if (t3.type !== 'keyword' || t3.value !== 'obj') return null;
  const parser = new ObjectParser(lexer);
  const first = lexer.next();
  if (first.type === 'keyword' && first.value === 'endobj') {
    return { num: t1.value, gen: t2.value, value: null, streamStart: null, end: base + lexer.pos };
  }
  lexer.pos = first.start;
  const value = parser.parseValue();
  const afterValue = lexer.pos;
  let next: Token;
  try {
    next = lexer.next();
  } catch (err) {
    if (err instanceof NeedMoreData) throw err;
    next = { type: 'eof', start: afterValue }; // junk after the value: the object is still usable
  }
  if (next.type === 'keyword' && next.value.startsWith('stream') && value instanceof PdfDict) {
    let p = next.start + 6;
    // `stream` must be followed by CRLF or LF; tolerate CR alone and spaces before the EOL.
    while (p < buf.length && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
    if (p + 2 > buf.length && !complete) throw new NeedMoreData();
    if (buf[p] === 0x0d && buf[p + 1] === 0x0a) p += 2;
    else if (buf[p] === 0x0a || buf[p] === 0x0d) p += 1;
    return { num: t1.value, gen: t2.value, value, streamStart: base + p, end: base + p };
  }
  if (next.type === 'keyword' && next.value === 'endobj') {
    return { num: t1.value, gen: t2.value, value, streamStart: null, end: base + lexer.pos };
  }
  return { num: t1.value, gen: t2.value, value, streamStart: null, end: base + afterValue };
}

export interface ReadObjectOptions {
  /** Resolves an indirect /Length; null when it cannot (then `endstream` is searched for). */
  resolveLength?: (ref: PdfRef) => Promise<number | null>;
  /** Largest object (without stream data) worth parsing. */
  maxObjectBytes?: number;
}

export interface IndirectObject {
  num: number;
  gen: number;
  /** The value; a PdfStream (dict + data location) for streams. */
  value: PdfValue;
  /** Absolute offset just past the object (`endobj`, or its best guess). */
  end: number;
}

const FIRST_WINDOW = 4096;
const DEFAULT_MAX_OBJECT = 64 * 1024 * 1024;

/**
 * Reads the indirect object at `offset`. Throws PDF_XREF_BROKEN when no object header is there
 * (the caller decides whether to repair), PDF_MALFORMED when the object cannot be parsed.
 */
export async function readIndirectObject(
  src: ByteSource,
  offset: number,
  options: ReadObjectOptions = {},
): Promise<IndirectObject> {
  const header = await parseWindowed(src, offset, options.maxObjectBytes ?? DEFAULT_MAX_OBJECT);
  if (header === null) {
    throw new KysoError('PDF_XREF_BROKEN', 'The cross-reference table points to a place with no object.', {
      details: { offset },
    });
  }
  if (header.streamStart === null)
    return { num: header.num, gen: header.gen, value: header.value, end: header.end };
  const dict = header.value as PdfDict;
  const start = header.streamStart;
  let length: number | null = null;
  const lenValue = dict.get('Length');
  if (lenValue instanceof PdfNumber) length = lenValue.value;
  else if (lenValue instanceof PdfRef && options.resolveLength)
    length = await options.resolveLength(lenValue);
  let end: number | null = null;
  if (length !== null && Number.isSafeInteger(length) && length >= 0 && start + length <= src.size) {
    end = await endstreamAt(src, start + length);
  }
  if (end === null || length === null) {
    const found = await findEndstream(src, start);
    if (found === null) {
      throw malformed('The PDF file has a stream without an end.', { offset });
    }
    length = found.dataEnd - start;
    end = found.after;
  }
  return {
    num: header.num,
    gen: header.gen,
    value: new PdfStream(dict, { kind: 'file', offset: start, length }),
    end,
  };
}

async function parseWindowed(
  src: ByteSource,
  offset: number,
  maxBytes: number,
): Promise<IndirectHeader | null> {
  let window = FIRST_WINDOW;
  for (;;) {
    const buf = await src.read(offset, window);
    const complete = offset + buf.length >= src.size;
    try {
      return parseIndirectHeader(buf, offset, complete);
    } catch (err) {
      if (!(err instanceof NeedMoreData)) throw err;
      if (window >= maxBytes) {
        throw new KysoError('PDF_TOO_LARGE', 'The PDF file has an object too large to read.', {
          details: { offset },
        });
      }
      window = Math.min(maxBytes, window * 4);
    }
  }
}

/** If `endstream` (after optional whitespace) starts at `pos`, the offset just past `endobj`. */
async function endstreamAt(src: ByteSource, pos: number): Promise<number | null> {
  const buf = await src.read(pos, 64);
  let p = 0;
  while (p < buf.length && isWhitespace(buf[p]!)) p++;
  if (buf.toString('latin1', p, p + 9) !== 'endstream') return null;
  return pos + afterEndobj(buf, p + 9);
}

function afterEndobj(buf: Buffer, from: number): number {
  let p = from;
  while (p < buf.length && isWhitespace(buf[p]!)) p++;
  return buf.toString('latin1', p, p + 6) === 'endobj' ? p + 6 : from;
}

const SCAN_CHUNK = 64 * 1024;

/** Searches `endstream` from `start`; returns where the data ends (before its EOL) and the object ends. */
async function findEndstream(
  src: ByteSource,
  start: number,
): Promise<{ dataEnd: number; after: number } | null> {
  const at = await findBytes(src, start, Buffer.from('endstream', 'latin1'));
  if (at === null) return null;
  const before = await src.read(Math.max(start, at - 2), Math.min(2, at - start));
  let dataEnd = at;
  if (before.length > 0 && before[before.length - 1] === 0x0a) {
    dataEnd--;
    if (before.length > 1 && before[before.length - 2] === 0x0d) dataEnd--;
  } else if (before.length > 0 && before[before.length - 1] === 0x0d) dataEnd--;
  const tail = await src.read(at, 64);
  return { dataEnd, after: at + afterEndobj(tail, 9) };
}

/** First occurrence of `needle` at or after `from`, reading chunk by chunk (memory stays bounded). */
export async function findBytes(
  src: ByteSource,
  from: number,
  needle: Buffer,
  limit = Infinity,
): Promise<number | null> {
  let pos = from;
  const stop = Math.min(src.size, from + limit);
  while (pos < stop) {
    const chunk = await src.read(pos, Math.min(SCAN_CHUNK + needle.length, stop - pos));
    if (chunk.length === 0) return null;
    const i = chunk.indexOf(needle);
    if (i >= 0) return pos + i;
    if (pos + chunk.length >= stop) return null;
    pos += SCAN_CHUNK;
  }
  return null;
}
