// Rebuilds a cross-reference table for a damaged file by scanning it for `N G obj` headers, trailers
// and object streams. Only used when the caller asked for repair: offsets found this way are guesses.
import type { ByteSource } from './byte-source.js';
import { KysoError } from '../../shared/errors.js';
import { Lexer, NeedMoreData } from './lexer.js';
import { ObjectParser, readIndirectObject } from './object-parser.js';
import { parseObjectStreamHeader } from './object-stream.js';
import { PdfDict, PdfNumber, PdfRef, PdfStream } from './objects.js';
import { decodeStream, filtersOf } from './stream-decoder.js';
import type { Revision, XrefEntry } from './xref.js';

export interface RepairResult {
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
  revisions: Revision[];
}

const CHUNK = 1024 * 1024;
const OVERLAP = 256;
/** Repair parses every object; past this many the file is not a document we can repair. */
const MAX_OBJECTS = 2_000_000;

// "N G obj" preceded by whitespace, a delimiter or the start of the chunk.
const OBJ_RE =
  /(?<![^\0\t\n\f\r ()<>[\]{}/%])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]*obj(?![A-Za-z0-9])/g;
const TRAILER_RE = /trailer/g;
const STARTXREF_RE = /startxref[\0\t\n\f\r ]+(\d{1,15})/g;
const EOF_RE = /%%EOF(\r\n|\r|\n)?/g;

export async function rebuildXref(
  src: ByteSource,
  options: { maxObjectStreamBytes: number },
): Promise<RepairResult> {
  const candidates = new Map<number, Array<{ offset: number; gen: number }>>();
  const trailerAt: number[] = [];
  const marks: Mark[] = [];

  for (let s = 0; s < src.size; s += CHUNK) {
    const from = Math.max(0, s - 1); // one byte before, for the look-behind
    const buf = await src.read(from, s + CHUNK + OVERLAP - from);
    const text = buf.toString('latin1');
    const accept = (index: number): boolean => from + index >= s && from + index < s + CHUNK;
    for (const m of text.matchAll(OBJ_RE)) {
      if (!accept(m.index)) continue;
      const num = Number(m[1]);
      const list = candidates.get(num) ?? [];
      list.push({ offset: from + m.index, gen: Number(m[2]) });
      candidates.set(num, list);
      if (candidates.size > MAX_OBJECTS) {
        throw new KysoError('PDF_TOO_LARGE', 'The PDF file has too many objects to repair.');
      }
    }
    for (const m of text.matchAll(TRAILER_RE)) if (accept(m.index)) trailerAt.push(from + m.index + 7);
    for (const m of text.matchAll(STARTXREF_RE)) {
      if (accept(m.index)) marks.push({ kind: 'startxref', at: from + m.index, value: Number(m[1]) });
    }
    for (const m of text.matchAll(EOF_RE)) {
      if (accept(m.index))
        marks.push({ kind: 'eof', end: from + m.index + m[0].length, marker: from + m.index + 5 });
    }
  }

  const entries = new Map<number, XrefEntry>();
  const catalogLike = new Set<number>();
  const objectStreams: Array<{ num: number; stream: PdfStream }> = [];
  const xrefDicts: Array<{ offset: number; dict: PdfDict }> = [];
  const catalogs: number[] = [];

  const lengthOf = async (ref: PdfRef): Promise<number | null> => {
    const list = candidates.get(ref.num);
    const last = list?.[list.length - 1];
    if (last === undefined) return null;
    try {
      const obj = await readIndirectObject(src, last.offset);
      return obj.value instanceof PdfNumber ? obj.value.value : null;
    } catch {
      return null;
    }
  };

  // The last candidate that parses wins: later definitions override earlier ones (incremental
  // updates), and a false match inside binary data usually fails to parse.
  for (const [num, list] of candidates) {
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i]!;
      let obj;
      try {
        obj = await readIndirectObject(src, c.offset, { resolveLength: lengthOf });
      } catch {
        continue;
      }
      if (obj.num !== num) continue;
      entries.set(num, { type: 'offset', offset: c.offset, gen: c.gen });
      const dict =
        obj.value instanceof PdfStream ? obj.value.dict : obj.value instanceof PdfDict ? obj.value : null;
      const type = dict?.getName('Type');
      if (obj.value instanceof PdfStream && type === 'ObjStm') objectStreams.push({ num, stream: obj.value });
      if (obj.value instanceof PdfStream && type === 'XRef')
        xrefDicts.push({ offset: c.offset, dict: obj.value.dict });
      if (type === 'Catalog') catalogs.push(num);
      if (obj.value instanceof PdfDict && (type === 'Catalog' || obj.value.has('Pages')))
        catalogLike.add(num);
      break;
    }
  }

  // Objects inside object streams, where no direct definition exists.
  for (const { num, stream } of objectStreams) {
    if (stream.data.kind !== 'file') continue;
    const n = stream.dict.getInt('N');
    const first = stream.dict.getInt('First');
    if (n === undefined || first === undefined || stream.data.length > options.maxObjectStreamBytes) continue;
    try {
      const raw = await src.read(stream.data.offset, stream.data.length);
      const decoded = await decodeStream(
        raw,
        filtersOf(stream.dict.get('Filter'), stream.dict.get('DecodeParms')),
        options.maxObjectStreamBytes,
      );
      if (decoded.remainingFilters.length > 0) continue;
      const header = parseObjectStreamHeader(decoded.bytes, n, first);
      header.objects.forEach((o, index) => {
        if (!entries.has(o.num)) entries.set(o.num, { type: 'compressed', stream: num, index });
      });
    } catch (err) {
      if (err instanceof KysoError) continue; // a damaged object stream: its objects stay missing
      throw err;
    }
  }

  // Trailers and xref-stream dictionaries in file order; later keys override earlier ones.
  const trailers: Array<{ offset: number; dict: PdfDict }> = [...xrefDicts];
  for (const at of trailerAt) {
    const dict = await parseDictAt(src, at);
    if (dict !== null) trailers.push({ offset: at, dict });
  }
  trailers.sort((a, b) => a.offset - b.offset);
  const trailer = new PdfDict();
  for (const t of trailers) {
    for (const key of ['Root', 'Info', 'ID', 'Encrypt']) {
      const v = t.dict.get(key);
      if (v !== undefined) trailer.set(key, v);
    }
  }
  const isCatalog = (ref: PdfRef): boolean => catalogLike.has(ref.num);
  const root = trailer.get('Root');
  if (!(root instanceof PdfRef && (isCatalog(root) || entries.get(root.num)?.type === 'compressed'))) {
    const last = catalogs[catalogs.length - 1];
    if (last !== undefined) trailer.set('Root', new PdfRef(last, 0));
  }
  let maxNum = -1;
  for (const num of entries.keys()) maxNum = Math.max(maxNum, num);
  trailer.set('Size', new PdfNumber(maxNum + 1));

  return { entries, trailer, revisions: await revisionsFromMarks(src, marks) };
}

async function parseDictAt(src: ByteSource, offset: number): Promise<PdfDict | null> {
  let window = 4096;
  for (;;) {
    const buf = await src.read(offset, window);
    try {
      const v = new ObjectParser(new Lexer(buf, offset + buf.length >= src.size, 0)).parseValue();
      return v instanceof PdfDict ? v : null;
    } catch (err) {
      if (err instanceof NeedMoreData && window < 16 * 1024 * 1024) {
        window *= 4;
        continue;
      }
      return null;
    }
  }
}

type Mark = { kind: 'startxref'; at: number; value: number } | { kind: 'eof'; end: number; marker: number };

async function revisionsFromMarks(src: ByteSource, marks: readonly Mark[]): Promise<Revision[]> {
  const revisions: Revision[] = [];
  let lastStartxref: number | null = null;
  for (const m of [...marks].sort(
    (a, b) => (a.kind === 'eof' ? a.end : a.at) - (b.kind === 'eof' ? b.end : b.at),
  )) {
    if (m.kind === 'startxref') {
      lastStartxref = m.value;
      continue;
    }
    if (lastStartxref === null) continue;
    const head = await src.read(lastStartxref, 16);
    const kind = /^\s*xref/.test(head.toString('latin1')) ? 'table' : 'stream';
    revisions.push({ endOffset: m.end, eofMarkerEnd: m.marker, xrefOffset: lastStartxref, kind });
    lastStartxref = null;
  }
  return revisions;
}
