// Cross-reference reading: finds `startxref`, parses classic tables and xref streams (hybrid files
// too), follows /Prev with loop detection and merges sections newest-first into one entry map.
import { KysoError } from '../../shared/errors.js';
import type { ByteSource } from './byte-source.js';
import { Lexer, NeedMoreData, isWhitespace } from './lexer.js';
import { ObjectParser, findBytes, readIndirectObject } from './object-parser.js';
import { PdfArray, PdfDict, PdfNumber, PdfStream } from './objects.js';
import { decodeStream, filtersOf } from './stream-decoder.js';

export type XrefEntry =
  | { readonly type: 'free' }
  | { readonly type: 'offset'; readonly offset: number; readonly gen: number }
  | { readonly type: 'compressed'; readonly stream: number; readonly index: number };

export type XrefKind = 'table' | 'stream';

export interface XrefSection {
  /** Where the section starts (what startxref or /Prev pointed at, after any header shift). */
  readonly offset: number;
  readonly kind: XrefKind;
  /** The trailer, or the xref stream's dictionary. */
  readonly trailer: PdfDict;
  readonly entries: Map<number, XrefEntry>;
  /** Absolute offset just past the section (the trailer's `>>`, or the xref stream's `endobj`). */
  readonly end: number;
  /** For a hybrid file's table: the section read from its /XRefStm. */
  readonly xrefStm: XrefSection | null;
}

/** Cap on a decoded xref stream: 7 bytes per object make this ~38 million objects. */
const MAX_XREF_STREAM_BYTES = 256 * 1024 * 1024;
/** Cap on a classic table's text: 20 bytes per entry, ~13 million objects. */
const MAX_XREF_TABLE_BYTES = 256 * 1024 * 1024;

export const broken = (
  message: string,
  details: Record<string, string | number> = {},
  cause?: unknown,
): KysoError =>
  new KysoError('PDF_XREF_BROKEN', message, cause === undefined ? { details } : { details, cause });

/** Offset named by the last `startxref` in the file's tail; PDF_TRUNCATED when there is none. */
export async function findStartXref(src: ByteSource): Promise<number> {
  for (const tail of [2048, 64 * 1024]) {
    const from = Math.max(0, src.size - tail);
    const buf = await src.read(from, src.size - from);
    const at = buf.lastIndexOf('startxref', undefined, 'latin1');
    if (at >= 0) {
      let p = at + 9;
      while (p < buf.length && isWhitespace(buf[p]!)) p++;
      let q = p;
      while (q < buf.length && buf[q]! >= 0x30 && buf[q]! <= 0x39) q++;
      if (q > p && q - p <= 15) return Number(buf.toString('latin1', p, q));
      break;
    }
    if (from === 0) break;
  }
  throw new KysoError('PDF_TRUNCATED', 'The PDF file is incomplete: its end (startxref) is missing.');
}

export interface ReadSectionOptions {
  /** Bytes before `%PDF-`; some files count offsets from the header rather than from byte 0. */
  headerOffset: number;
}

/** Reads one section at `offset` (tolerating offsets counted from the header), not its /Prev. */
export async function readXrefSection(
  src: ByteSource,
  offset: number,
  opts: ReadSectionOptions,
): Promise<XrefSection> {
  try {
    return await readSectionAt(src, offset);
  } catch (err) {
    if (opts.headerOffset > 0 && err instanceof KysoError && err.code === 'PDF_XREF_BROKEN') {
      return readSectionAt(src, offset + opts.headerOffset);
    }
    throw err;
  }
}

async function readSectionAt(src: ByteSource, offset: number): Promise<XrefSection> {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= src.size) {
    throw broken('The cross-reference offset points outside the PDF file.', { offset });
  }
  const head = await src.read(offset, 64);
  let p = 0;
  while (p < head.length && isWhitespace(head[p]!)) p++;
  if (head.toString('latin1', p, p + 4) === 'xref') return readTable(src, offset);
  return readStreamSection(src, offset);
}

async function readTable(src: ByteSource, offset: number): Promise<XrefSection> {
  let window = 64 * 1024;
  for (;;) {
    const buf = await src.read(offset, window);
    const complete = offset + buf.length >= src.size;
    try {
      const parsed = parseTable(buf, complete);
      const section: XrefSection = {
        offset,
        kind: 'table',
        trailer: parsed.trailer,
        entries: parsed.entries,
        end: offset + parsed.end,
        xrefStm: null,
      };
      const xrefStm = parsed.trailer.getInt('XRefStm');
      if (xrefStm === undefined) return section;
      let stm: XrefSection;
      try {
        stm = await readStreamSection(src, xrefStm);
      } catch (err) {
        throw broken('The hybrid cross-reference stream (XRefStm) cannot be read.', { offset: xrefStm }, err);
      }
      return { ...section, xrefStm: stm };
    } catch (err) {
      if (!(err instanceof NeedMoreData)) throw err;
      if (window >= MAX_XREF_TABLE_BYTES) {
        throw new KysoError('PDF_TOO_LARGE', 'The cross-reference table of the PDF file is too large.');
      }
      window *= 4;
    }
  }
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

function digits(buf: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (buf[i]! - 0x30);
  return v;
}

/** Parses `xref` subsections and the trailer dict from a window starting at the section. */
export function parseTable(
  buf: Uint8Array,
  complete: boolean,
): { entries: Map<number, XrefEntry>; trailer: PdfDict; end: number } {
  const lexer = new Lexer(buf, complete, 0);
  const kw = lexer.next();
  if (kw.type !== 'keyword' || kw.value !== 'xref') throw broken('The cross-reference table is missing.');
  const entries = new Map<number, XrefEntry>();
  for (;;) {
    const t = lexer.next();
    if (t.type === 'keyword' && t.value === 'trailer') break;
    if (t.type === 'keyword' && t.value.startsWith('trailer')) {
      lexer.pos = t.start + 7; // "trailer<<" glued together
      break;
    }
    if (t.type !== 'number' || !t.isInt) {
      throw broken('The cross-reference table is damaged.', { at: t.start });
    }
    const countTok = lexer.next();
    if (countTok.type !== 'number' || !countTok.isInt || countTok.value < 0) {
      throw broken('The cross-reference table is damaged.', { at: t.start });
    }
    let num = t.value;
    for (let i = 0; i < countTok.value; i++) {
      lexer.skipWhitespace();
      const p = lexer.pos;
      let offset: number;
      let gen: number;
      let type: number;
      // Fast path: the standard fixed layout "oooooooooo ggggg n".
      if (
        p + 18 <= buf.length &&
        isDigit(buf[p]) &&
        isDigit(buf[p + 9]) &&
        buf[p + 10] === 0x20 &&
        isDigit(buf[p + 15]) &&
        buf[p + 16] === 0x20 &&
        isDigit(buf[p + 11])
      ) {
        let allDigits = true;
        for (let k = 0; k < 10 && allDigits; k++) allDigits = isDigit(buf[p + k]);
        for (let k = 11; k < 16 && allDigits; k++) allDigits = isDigit(buf[p + k]);
        if (!allDigits) throw broken('The cross-reference table is damaged.', { at: p });
        offset = digits(buf, p, p + 10);
        gen = digits(buf, p + 11, p + 16);
        type = buf[p + 17]!;
        lexer.pos = p + 18;
        if (lexer.pos >= buf.length && !complete) throw new NeedMoreData();
      } else {
        // Tolerant path: odd spacing or widths. Anything else ends the subsection early.
        const a = lexer.next();
        if (a.type !== 'number' || !a.isInt) {
          lexer.pos = a.start;
          break;
        }
        const b = lexer.next();
        const c = lexer.next();
        if (b.type !== 'number' || !b.isInt || c.type !== 'keyword' || (c.value !== 'n' && c.value !== 'f')) {
          throw broken('The cross-reference table is damaged.', { at: a.start });
        }
        offset = a.value;
        gen = b.value;
        type = c.value.charCodeAt(0);
      }
      if (type !== 0x6e && type !== 0x66) throw broken('The cross-reference table is damaged.', { at: p });
      // A common writer bug numbers the first subsection from 1 while listing object 0's entry.
      if (i === 0 && num === 1 && type === 0x66 && gen === 65535 && offset === 0) num = 0;
      if (!entries.has(num)) {
        if (type === 0x66) entries.set(num, { type: 'free' });
        else if (offset > 0) entries.set(num, { type: 'offset', offset, gen });
      }
      num++;
    }
  }
  const trailer = new ObjectParser(lexer).parseValue();
  if (!(trailer instanceof PdfDict)) throw broken('The trailer of the cross-reference table is damaged.');
  return { entries, trailer, end: lexer.pos };
}

async function readStreamSection(src: ByteSource, offset: number): Promise<XrefSection> {
  let obj;
  try {
    obj = await readIndirectObject(src, offset);
  } catch (err) {
    if (err instanceof KysoError && err.code === 'PDF_TOO_LARGE') throw err;
    throw broken('The cross-reference offset does not point at a cross-reference section.', { offset }, err);
  }
  const stream = obj.value;
  if (!(stream instanceof PdfStream) || !(stream.dict.getName('Type') === 'XRef' || stream.dict.has('W'))) {
    throw broken('The cross-reference offset does not point at a cross-reference section.', { offset });
  }
  const dict = stream.dict;
  if (stream.data.kind !== 'file') throw broken('The cross-reference stream is damaged.', { offset });
  if (stream.data.length > MAX_XREF_STREAM_BYTES) {
    throw new KysoError('PDF_TOO_LARGE', 'The cross-reference stream of the PDF file is too large.');
  }
  const raw = await src.read(stream.data.offset, stream.data.length);
  const decoded = await decodeStream(
    raw,
    filtersOf(dict.get('Filter'), dict.get('DecodeParms')),
    MAX_XREF_STREAM_BYTES,
  );
  if (decoded.remainingFilters.length > 0) {
    throw broken('The cross-reference stream uses an unsupported filter.', { offset });
  }
  const entries = parseXrefStreamData(decoded.bytes, dict);
  return { offset, kind: 'stream', trailer: dict, entries, end: obj.end, xrefStm: null };
}

/** Decodes the rows of an xref stream according to /W and /Index. */
export function parseXrefStreamData(data: Buffer, dict: PdfDict): Map<number, XrefEntry> {
  const wArr = dict.get('W');
  const w = wArr instanceof PdfArray ? wArr.items.map((v) => (v instanceof PdfNumber ? v.value : -1)) : [];
  if (w.length < 3 || w.some((x) => !Number.isInteger(x) || x < 0 || x > 8)) {
    throw broken('The cross-reference stream has an invalid /W.');
  }
  const [w0, w1, w2] = w as [number, number, number];
  const rowLen = w0 + w1 + w2;
  if (rowLen === 0) throw broken('The cross-reference stream has an invalid /W.');
  const size = dict.getInt('Size') ?? 0;
  const idx = dict.get('Index');
  const ranges: number[] =
    idx instanceof PdfArray ? idx.items.map((v) => (v instanceof PdfNumber ? v.value : -1)) : [0, size];
  const entries = new Map<number, XrefEntry>();
  const field = (p: number, width: number): number => {
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + data[p + i]!;
    return v;
  };
  let pos = 0;
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    const start = ranges[r]!;
    const count = ranges[r + 1]!;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0) {
      throw broken('The cross-reference stream has an invalid /Index.');
    }
    for (let i = 0; i < count; i++) {
      if (pos + rowLen > data.length) return entries; // fewer rows than announced: keep what is there
      const type = w0 === 0 ? 1 : field(pos, w0);
      const f2 = field(pos + w0, w1);
      const f3 = field(pos + w0 + w1, w2);
      pos += rowLen;
      const num = start + i;
      if (entries.has(num)) continue;
      if (type === 0) entries.set(num, { type: 'free' });
      else if (type === 1) {
        if (f2 > 0) entries.set(num, { type: 'offset', offset: f2, gen: f3 });
      } else if (type === 2) entries.set(num, { type: 'compressed', stream: f2, index: f3 });
      // other types are reserved: readers treat them as null objects
    }
  }
  return entries;
}

/**
 * Follows startxref and every /Prev, newest section first. A /Prev loop ends the walk (the sections
 * already read are complete); an unreadable section is a broken cross-reference.
 */
export async function readXrefChain(
  src: ByteSource,
  startxref: number,
  opts: ReadSectionOptions,
): Promise<XrefSection[]> {
  const sections: XrefSection[] = [];
  const visited = new Set<number>();
  let next: number | undefined = startxref;
  while (next !== undefined) {
    if (visited.has(next) || sections.length >= 10_000) break;
    visited.add(next);
    const section = await readXrefSection(src, next, opts);
    visited.add(section.offset);
    sections.push(section);
    next = section.trailer.getInt('Prev');
  }
  return sections;
}

/** The entries of one section; in a hybrid section the table wins except where it says "free". */
function sectionEntries(section: XrefSection): Map<number, XrefEntry> {
  if (section.xrefStm === null) return section.entries;
  const merged = new Map(section.entries);
  for (const [num, e] of section.xrefStm.entries) {
    const inTable = merged.get(num);
    if (inTable === undefined || (inTable.type === 'free' && e.type !== 'free')) merged.set(num, e);
  }
  return merged;
}

/** Merges sections given newest first: a newer entry (even "free") hides older ones. */
export function mergeSections(sections: readonly XrefSection[]): Map<number, XrefEntry> {
  const merged = new Map<number, XrefEntry>();
  for (const section of sections) {
    for (const [num, e] of sectionEntries(section)) if (!merged.has(num)) merged.set(num, e);
  }
  return merged;
}

/** The latest trailer with older trailers' keys filled in; section-specific keys removed. */
export function mergeTrailers(sections: readonly XrefSection[]): PdfDict {
  const merged = new PdfDict();
  for (let i = sections.length - 1; i >= 0; i--) {
    for (const [k, v] of sections[i]!.trailer.entries()) merged.set(k, v);
  }
  for (const k of ['Prev', 'XRefStm', 'Type', 'W', 'Index', 'Length', 'Filter', 'DecodeParms'])
    merged.delete(k);
  return merged;
}

export interface Revision {
  /** Offset just past this revision's `%%EOF` and its end-of-line. */
  readonly endOffset: number;
  /**
   * Offset just past `%%EOF` itself. Differs from endOffset when the EOL that follows came with the
   * next update (a writer adds one when the file ended without): a signature may cover either.
   */
  readonly eofMarkerEnd: number;
  /** Offset of the revision's cross-reference section (what its startxref names). */
  readonly xrefOffset: number;
  readonly kind: XrefKind;
}

/**
 * Revisions, oldest first, from the sections (newest first): one per `%%EOF`. Sections that share
 * one (some writers chain an empty section to the real one in the same save) make one revision, and
 * so does a linearized file's first-page section, which sits before the main section it points to.
 */
export async function revisionsOf(src: ByteSource, sections: readonly XrefSection[]): Promise<Revision[]> {
  const revisions: Revision[] = [];
  for (let i = sections.length - 1; i >= 0; i--) {
    const s = sections[i]!;
    const older = sections[i + 1];
    const last = revisions[revisions.length - 1];
    if (older !== undefined && last !== undefined && s.offset < older.offset) {
      revisions[revisions.length - 1] = { ...last, xrefOffset: s.offset, kind: s.kind };
      continue;
    }
    const eof = await eofAfter(src, s.end);
    if (last !== undefined && eof.endOffset <= last.endOffset) {
      revisions[revisions.length - 1] = { ...last, xrefOffset: s.offset, kind: s.kind };
      continue;
    }
    revisions.push({ ...eof, xrefOffset: s.offset, kind: s.kind });
  }
  return revisions;
}

/** Offsets just past the first `%%EOF` at or after `from`, with and without its EOL; the file size if none. */
export async function eofAfter(
  src: ByteSource,
  from: number,
): Promise<{ endOffset: number; eofMarkerEnd: number }> {
  const at = await findBytes(src, from, Buffer.from('%%EOF', 'latin1'));
  if (at === null) return { endOffset: src.size, eofMarkerEnd: src.size };
  const tail = await src.read(at + 5, 2);
  const eol = tail[0] === 0x0d && tail[1] === 0x0a ? 2 : tail[0] === 0x0a || tail[0] === 0x0d ? 1 : 0;
  return { endOffset: at + 5 + eol, eofMarkerEnd: at + 5 };
}
