// IncrementalUpdate: new and replaced objects appended after the original bytes with a cross-reference
// section of the same kind as the file's last one, so the original stays an exact prefix.
import { randomBytes } from 'node:crypto';
import { KysoError } from '../../shared/errors.js';
import { PdfArray, PdfDict, PdfName, PdfNumber, PdfRef, PdfStream, PdfString } from './objects.js';
import type { PdfValue } from './objects.js';
import { ByteWriter, writeValue } from './serializer.js';
import type { PlaceholderLocation } from './serializer.js';
import type { XrefEntry, XrefKind } from './xref.js';

/** What an update needs to know about the file it extends (a PdfReader provides it). */
export interface UpdateBase {
  readonly size: number;
  readonly endsWithEol: boolean;
  readonly lastXrefKind: XrefKind;
  readonly startxref: number;
  readonly trailer: PdfDict;
  readonly nextObjectNumber: number;
  readonly isEncrypted: boolean;
  readonly needsFullXref: boolean;
  /** Subtracted from every offset written: non-zero when the file counts offsets from its header. */
  readonly offsetShift: number;
  xrefEntries(): ReadonlyMap<number, XrefEntry>;
}

export interface SerializedUpdate {
  /** The bytes to append to the original file. */
  readonly bytes: Buffer;
  /** Placeholder positions, relative to the start of `bytes` (add the original size for the file). */
  readonly placeholders: readonly PlaceholderLocation[];
  /** Offset of the new cross-reference section in the file (before any header shift). */
  readonly xrefOffset: number;
  readonly xrefKind: XrefKind;
}

/** Classic tables have 10 digits for offsets. */
const MAX_TABLE_OFFSET = 9_999_999_999;

interface XrefRow {
  num: number;
  type: 1 | 2;
  /** Offset (type 1) or object stream number (type 2). */
  field2: number;
  /** Generation (type 1) or index in the object stream (type 2). */
  field3: number;
}

export class IncrementalUpdate {
  private readonly objects = new Map<number, { ref: PdfRef; value: PdfValue }>();
  private next: number;

  constructor(private readonly base: UpdateBase) {
    if (base.isEncrypted) {
      throw new KysoError('PDF_ENCRYPTED', 'The PDF file is encrypted and cannot be changed.');
    }
    this.next = base.nextObjectNumber;
  }

  /** A fresh object number (generation 0) above every number the file uses. */
  allocate(): PdfRef {
    return new PdfRef(this.next++, 0);
  }

  /** Adds or replaces object `ref`. Streams must carry their data in memory. */
  set(ref: PdfRef, value: PdfValue): this {
    if (
      !Number.isSafeInteger(ref.num) ||
      ref.num <= 0 ||
      !Number.isSafeInteger(ref.gen) ||
      ref.gen < 0 ||
      ref.gen > 65535
    ) {
      throw new KysoError('INTERNAL', `Invalid object reference for an update: ${ref.toString()}.`);
    }
    if (value instanceof PdfStream && value.data.kind !== 'memory') {
      throw new KysoError(
        'INTERNAL',
        'A stream read from the file must be copied into memory before it is rewritten.',
      );
    }
    if (ref.num >= this.next) this.next = ref.num + 1;
    this.objects.set(ref.num, { ref, value });
    return this;
  }

  has(ref: PdfRef): boolean {
    return this.objects.get(ref.num)?.ref.gen === ref.gen;
  }

  /** The update's bytes: optional newline, objects, cross-reference, trailer, startxref, %%EOF. */
  serialize(): SerializedUpdate {
    const w = new ByteWriter();
    const base = this.base;
    // Offsets as the file counts them (see UpdateBase.offsetShift).
    const at = (position: number): number => base.size + position - base.offsetShift;
    if (!base.endsWithEol) w.write('\n');
    const rows: XrefRow[] = [];
    for (const { ref, value } of this.objects.values()) {
      rows.push({ num: ref.num, type: 1, field2: at(w.length), field3: ref.gen });
      w.write(`${ref.num} ${ref.gen} obj\n`);
      if (value instanceof PdfStream) writeStream(w, value);
      else writeValue(w, value);
      w.write('\nendobj\n');
    }
    const root = base.trailer.get('Root');
    if (!(root instanceof PdfRef)) {
      throw new KysoError('PDF_MALFORMED', 'The PDF file has no document catalog to update.');
    }
    const full = base.needsFullXref;
    if (full) rows.push(...this.untouchedRows());
    // A repaired file may hold compressed objects, which only a cross-reference stream can list.
    const kind: XrefKind =
      full && rows.some((r) => r.type === 2) ? 'stream' : full ? 'table' : base.lastXrefKind;
    const trailer = new PdfDict();
    trailer.set('Root', root);
    const info = base.trailer.get('Info');
    if (info instanceof PdfRef || info instanceof PdfDict) trailer.set('Info', info);
    trailer.set('ID', this.fileId());
    // /Prev chains to the previous section. A repaired file's old sections are wrong, so a complete
    // section replaces them instead. For a hybrid file the new section is a plain table without
    // /XRefStm: readers reach the hidden (compressed) objects through /Prev, whose trailer keeps its
    // /XRefStm, and a pre-1.5 reader could not use them anyway.
    if (!full) trailer.set('Prev', new PdfNumber(base.startxref - base.offsetShift));
    const xrefOffset = base.size + w.length;
    if (kind === 'table') this.writeTable(w, rows, trailer, full);
    else this.writeStream(w, rows, trailer, xrefOffset - base.offsetShift);
    w.write(`startxref\n${xrefOffset - base.offsetShift}\n%%EOF\n`);
    return { bytes: w.toBuffer(), placeholders: [...w.placeholders], xrefOffset, xrefKind: kind };
  }

  /** Rows for every object of the file this update does not replace (complete sections only). */
  private untouchedRows(): XrefRow[] {
    const rows: XrefRow[] = [];
    for (const [num, e] of this.base.xrefEntries()) {
      if (this.objects.has(num) || num === 0) continue;
      if (e.type === 'offset')
        rows.push({ num, type: 1, field2: e.offset - this.base.offsetShift, field3: e.gen });
      else if (e.type === 'compressed') rows.push({ num, type: 2, field2: e.stream, field3: e.index });
    }
    return rows;
  }

  private size(extra: number): number {
    return Math.max(this.base.nextObjectNumber, this.next, extra);
  }

  /** The original first ID (it names the document), a fresh second one (it names this version). */
  private fileId(): PdfArray {
    const id = this.base.trailer.get('ID');
    const first = id instanceof PdfArray && id.items[0] instanceof PdfString ? id.items[0] : null;
    const fresh = new PdfString(randomBytes(16), true);
    return new PdfArray([first ?? new PdfString(randomBytes(16), true), fresh]);
  }

  private writeTable(w: ByteWriter, rows: XrefRow[], trailer: PdfDict, full: boolean): void {
    const sorted = [...rows].sort((a, b) => a.num - b.num);
    w.write('xref\n');
    // A complete table starts with the head of the free list, object 0.
    const lines: Array<{ num: number; line: string }> = full
      ? [{ num: 0, line: '0000000000 65535 f\r\n' }]
      : [];
    for (const r of sorted) {
      if (r.field2 > MAX_TABLE_OFFSET) {
        throw new KysoError(
          'PDF_TOO_LARGE',
          'The PDF file is too large for a classic cross-reference table.',
        );
      }
      lines.push({
        num: r.num,
        line: `${String(r.field2).padStart(10, '0')} ${String(r.field3).padStart(5, '0')} n\r\n`,
      });
    }
    for (const run of runs(lines.map((l) => l.num))) {
      w.write(`${run.start} ${run.count}\n`);
      for (const l of lines.slice(run.from, run.from + run.count)) w.write(l.line);
    }
    const t = new PdfDict([['Size', new PdfNumber(this.size(0))]]);
    for (const [k, v] of trailer.entries()) t.set(k, v);
    w.write('trailer\n');
    writeValue(w, t);
    w.write('\n');
  }

  private writeStream(w: ByteWriter, rows: XrefRow[], trailer: PdfDict, xrefOffset: number): void {
    // The xref stream is an object too and lists itself. Its number is the next free one; it is not
    // reserved, so serialising twice gives the same number.
    const xrefNum = this.next;
    const all = [...rows, { num: xrefNum, type: 1 as const, field2: xrefOffset, field3: 0 }].sort(
      (a, b) => a.num - b.num,
    );
    const w1 = Math.max(4, bytesFor(Math.max(...all.map((r) => r.field2))));
    const w2 = Math.max(2, bytesFor(Math.max(...all.map((r) => r.field3))));
    const rowLen = 1 + w1 + w2;
    const data = Buffer.alloc(all.length * rowLen);
    all.forEach((r, i) => {
      const p = i * rowLen;
      data[p] = r.type;
      writeBE(data, p + 1, w1, r.field2);
      writeBE(data, p + 1 + w1, w2, r.field3);
    });
    const index: PdfValue[] = [];
    for (const run of runs(all.map((r) => r.num)))
      index.push(new PdfNumber(run.start), new PdfNumber(run.count));
    const dict = new PdfDict([
      ['Type', new PdfName('XRef')],
      ['Size', new PdfNumber(this.size(xrefNum + 1))],
      ['W', new PdfArray([new PdfNumber(1), new PdfNumber(w1), new PdfNumber(w2)])],
      ['Index', new PdfArray(index)],
    ]);
    for (const [k, v] of trailer.entries()) dict.set(k, v);
    w.write(`${xrefNum} 0 obj\n`);
    writeStream(w, PdfStream.fromBytes(dict, data));
    w.write('\nendobj\n');
  }
}

function writeStream(w: ByteWriter, stream: PdfStream): void {
  if (stream.data.kind !== 'memory')
    throw new KysoError('INTERNAL', 'Stream data must be in memory to be written.');
  const dict = stream.dict.clone();
  dict.set('Length', new PdfNumber(stream.data.bytes.length));
  writeValue(w, dict);
  w.write('\nstream\n');
  w.write(stream.data.bytes);
  w.write('\nendstream');
}

/** Consecutive object numbers grouped: (start, count) and where the run starts in the sorted list. */
function runs(sortedNums: readonly number[]): Array<{ start: number; count: number; from: number }> {
  const out: Array<{ start: number; count: number; from: number }> = [];
  sortedNums.forEach((num, i) => {
    const last = out[out.length - 1];
    if (last !== undefined && last.start + last.count === num) last.count++;
    else out.push({ start: num, count: 1, from: i });
  });
  return out;
}

function bytesFor(n: number): number {
  let bytes = 1;
  while (n >= 2 ** (8 * bytes)) bytes++;
  return bytes;
}

function writeBE(buf: Buffer, at: number, width: number, value: number): void {
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    buf[at + i] = v % 256;
    v = Math.floor(v / 256);
  }
}
