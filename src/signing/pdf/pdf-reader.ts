// PdfReader: opens a PDF lazily — header and cross-reference first, then only the objects asked
// for — from a file handle, so memory does not grow with the file. Errors are KysoErrors with codes.
import { KysoError, isKysoError } from '../../shared/errors.js';
import { openByteSource } from './byte-source.js';
import type { ByteSource, ByteSourceStats } from './byte-source.js';
import { collectFields, sameFieldName } from './form-fields.js';
import type { PdfField } from './form-fields.js';
import { readIndirectObject } from './object-parser.js';
import { ObjectStreamCache, objectFromStream, parseObjectStreamHeader } from './object-stream.js';
import type { DecodedObjectStream } from './object-stream.js';
import { PdfArray, PdfDict, PdfNumber, PdfRef, PdfStream } from './objects.js';
import type { PdfValue } from './objects.js';
import { PageTree } from './page-tree.js';
import type { PdfPage } from './page-tree.js';
import { decodeStream, filtersOf } from './stream-decoder.js';
import type { DecodeResult } from './stream-decoder.js';
import type { Revision, XrefEntry, XrefKind } from './xref.js';
import { rebuildXref } from './xref-repair.js';
import { DEFAULT_MAX_OBJSTM, allAt, readStructure, sampleEntries, xrefBroken } from './document-structure.js';
import type { ReaderInit } from './document-structure.js';

export interface PdfReaderOptions {
  /** Rebuild the cross-reference by scanning the file when it is broken (instead of PDF_XREF_BROKEN). */
  repair?: boolean;
  /** Largest decoded object stream accepted (default 64 MiB). */
  maxObjectStreamBytes?: number;
  /** Read only the first `length` bytes of the source, as if the file ended there (an earlier revision). */
  length?: number;
}

export interface StreamReadOptions {
  /** Apply the stream's filters (those supported); false returns the raw bytes. */
  decode: boolean;
  /** Hard limit on the bytes read and produced; PDF_TOO_LARGE beyond it. */
  maxBytes: number;
}

const OBJECT_CACHE_SIZE = 4096;
const MAX_REF_CHAIN = 32;

export class PdfReader {
  /** Version from the header, e.g. "1.4" or "2.0". */
  readonly header: string;
  /** File size in bytes. */
  readonly size: number;
  /** Bytes before `%PDF-` (usually 0). */
  readonly headerOffset: number;
  /** The latest trailer with older trailers' keys filled in (no /Prev, /XRefStm or stream keys). */
  readonly trailer: PdfDict;
  /** Kind of the newest cross-reference section: an incremental update writes the same kind. */
  readonly lastXrefKind: XrefKind;
  /** Some trailer has /XRefStm (a classic table plus a cross-reference stream). */
  readonly isHybrid: boolean;
  /** The first object is a linearization dictionary (an update since then may have voided it). */
  readonly isLinearized: boolean;
  /** Revisions, oldest first: each ends right after its `%%EOF` (and EOL). */
  readonly revisions: readonly Revision[];
  /** The trailer has /Encrypt: the structure reads, strings and streams do not (callers refuse). */
  readonly isEncrypted: boolean;
  /** Offset of the newest cross-reference section (what the final startxref names). */
  readonly startxref: number;
  /** The file's last byte is CR or LF. */
  readonly endsWithEol: boolean;

  private entries: Map<number, XrefEntry>;
  private repaired: boolean;
  private shift = 0;
  private readonly objects = new Map<string, PdfValue>();
  private readonly objectStreams: ObjectStreamCache;
  private readonly pages: PageTree;
  private fieldsCache: PdfField[] | null = null;

  private constructor(
    private readonly src: ByteSource,
    private readonly options: PdfReaderOptions,
    init: ReaderInit,
  ) {
    this.header = init.header;
    this.size = src.size;
    this.headerOffset = init.headerOffset;
    this.trailer = init.trailer;
    this.lastXrefKind = init.lastXrefKind;
    this.isHybrid = init.isHybrid;
    this.isLinearized = init.isLinearized;
    this.revisions = init.revisions;
    this.isEncrypted = init.trailer.has('Encrypt');
    this.startxref = init.startxref;
    this.endsWithEol = init.endsWithEol;
    this.entries = init.entries;
    this.repaired = init.repaired;
    this.objectStreams = new ObjectStreamCache(Math.max(32 * 1024 * 1024, this.maxObjStm));
    this.pages = new PageTree(
      { resolve: (v) => this.resolve(v ?? null), catalog: () => this.catalog() },
      src.size,
    );
  }

  private get maxObjStm(): number {
    return this.options.maxObjectStreamBytes ?? DEFAULT_MAX_OBJSTM;
  }

  /**
   * Opens a PDF file (path) or bytes. Throws PDF_EMPTY, PDF_NOT_PDF, PDF_TRUNCATED, PDF_XREF_BROKEN
   * (unless `repair`), INPUT_NOT_FOUND / INPUT_UNREADABLE for paths.
   */
  static async open(source: string | Buffer, options: PdfReaderOptions = {}): Promise<PdfReader> {
    const src = await openByteSource(source, options.length !== undefined ? { length: options.length } : {});
    try {
      const init = await readStructure(src, options);
      const reader = new PdfReader(src, options, init);
      await reader.validate();
      return reader;
    } catch (err) {
      await src.close().catch(() => undefined);
      throw asKysoError(err);
    }
  }

  /**
   * The cross-reference came from scanning the file (repair): an update must then carry a complete
   * cross-reference instead of pointing to the old, wrong one (and signatures in it will break).
   */
  get needsFullXref(): boolean {
    return this.repaired;
  }

  /** The first free object number: max of trailer /Size and the highest object number + 1. */
  get nextObjectNumber(): number {
    let maxNum = -1;
    for (const num of this.entries.keys()) if (num > maxNum) maxNum = num;
    return Math.max(this.trailer.getInt('Size') ?? 0, maxNum + 1, 1);
  }

  /**
   * What the file's offsets are counted from: 0, or `headerOffset` for files with bytes before
   * `%PDF-` whose offsets count from the header (readers such as qpdf and Acrobat apply this shift
   * to the whole file, so an update must write its offsets the same way).
   */
  get offsetShift(): number {
    return this.shift;
  }

  /** Byte-source counters: how much of the file was actually read. */
  get stats(): Readonly<ByteSourceStats> {
    return this.src.stats;
  }

  /** The merged cross-reference entries (low level: for writers that must list every object). */
  xrefEntries(): ReadonlyMap<number, XrefEntry> {
    return this.entries;
  }

  async close(): Promise<void> {
    this.objects.clear();
    this.objectStreams.clear();
    await this.src.close();
  }

  /** The object `ref` names; null when it does not exist (as the spec says of dangling references). */
  getObject(ref: PdfRef): Promise<PdfValue> {
    return guard(() => this.load(ref, new Set()));
  }

  /** Follows references until a direct value; a reference loop is PDF_MALFORMED. */
  resolve(value: PdfValue): Promise<PdfValue> {
    return guard(async () => {
      let v = value;
      for (let i = 0; v instanceof PdfRef; i++) {
        if (i >= MAX_REF_CHAIN)
          throw new KysoError('PDF_MALFORMED', 'The PDF file has a loop of references.');
        v = await this.load(v, new Set());
      }
      return v;
    });
  }

  /** The stream's data, raw or decoded, never more than `maxBytes`. */
  getStreamData(stream: PdfStream, options: StreamReadOptions): Promise<DecodeResult> {
    return guard(() => this.streamData(stream, options, new Set()));
  }

  /** The document catalog (/Root). */
  catalog(): Promise<PdfDict> {
    return guard(async () => {
      const root = await this.resolve(this.trailer.get('Root') ?? null);
      if (!(root instanceof PdfDict)) {
        throw new KysoError('PDF_MALFORMED', 'The PDF file has no document catalog.');
      }
      return root;
    });
  }

  pageCount(): Promise<number> {
    return guard(() => this.pages.count());
  }

  /** Page `index0` (0-based) with inherited attributes; PDF_PAGE_OUT_OF_RANGE past the end. */
  getPage(index0: number): Promise<PdfPage> {
    return guard(() => this.pages.page(index0));
  }

  /** The interactive form dictionary, or null when the document has none. */
  acroForm(): Promise<PdfDict | null> {
    return guard(async () => {
      const form = await this.resolve((await this.catalog()).get('AcroForm') ?? null);
      return form instanceof PdfDict ? form : null;
    });
  }

  /** Every terminal field of the form, in tree order. */
  fields(): Promise<readonly PdfField[]> {
    return guard(async () => {
      if (this.fieldsCache !== null) return this.fieldsCache;
      const form = await this.acroForm();
      this.fieldsCache =
        form === null
          ? []
          : await collectFields(
              { resolve: (v) => this.resolve(v ?? null), catalog: () => this.catalog() },
              form,
            );
      return this.fieldsCache;
    });
  }

  /** Fully qualified names of the terminal fields. */
  async allFieldNames(): Promise<string[]> {
    return (await this.fields()).map((f) => f.fullName);
  }

  /** The field named `fullyQualifiedName` (compared in NFC); PDF_FIELD_NOT_FOUND when absent. */
  async findField(fullyQualifiedName: string): Promise<PdfField> {
    const found = (await this.fields()).find((f) => sameFieldName(f.fullName, fullyQualifiedName));
    if (found === undefined) {
      throw new KysoError('PDF_FIELD_NOT_FOUND', 'The PDF file has no form field with this name.', {
        details: { field: fullyQualifiedName },
      });
    }
    return found;
  }

  // ---- internals ----

  private async load(ref: PdfRef, stack: ReadonlySet<number>): Promise<PdfValue> {
    const key = ref.key;
    const cached = this.objects.get(key);
    if (cached !== undefined) {
      this.objects.delete(key);
      this.objects.set(key, cached);
      return cached;
    }
    const entry = this.entries.get(ref.num);
    let value: PdfValue;
    if (entry === undefined || entry.type === 'free') return null;
    if (entry.type === 'offset') {
      if (entry.gen !== ref.gen) return null;
      value = await this.readAt(ref, entry.offset, stack);
    } else {
      if (ref.gen !== 0) return null;
      value = await this.fromObjectStream(ref.num, entry.stream, entry.index, stack);
    }
    this.objects.set(key, value);
    if (this.objects.size > OBJECT_CACHE_SIZE) {
      const oldest = this.objects.keys().next().value;
      if (oldest !== undefined) this.objects.delete(oldest);
    }
    return value;
  }

  private async readAt(ref: PdfRef, offset: number, stack: ReadonlySet<number>): Promise<PdfValue> {
    const num = ref.num;
    const inner = new Set(stack).add(num);
    let obj;
    try {
      obj = await readIndirectObject(this.src, offset, { resolveLength: (r) => this.lengthOf(r, inner) });
    } catch (err) {
      if (isKysoError(err) && err.code === 'PDF_XREF_BROKEN') return this.brokenEntry(ref, err);
      throw err;
    }
    if (obj.num !== num) return this.brokenEntry(ref, undefined);
    return obj.value;
  }

  /** An entry whose offset does not hold its object: repair when allowed, else say how to. */
  private async brokenEntry(ref: PdfRef, cause: unknown): Promise<PdfValue> {
    if (this.options.repair === true && !this.repaired) {
      await this.rebuild();
      this.objects.clear();
      this.objectStreams.clear();
      return this.load(ref, new Set());
    }
    throw xrefBroken({ details: { object: ref.num }, cause });
  }

  private async lengthOf(ref: PdfRef, stack: ReadonlySet<number>): Promise<number | null> {
    if (stack.has(ref.num) || stack.size > 8) return null;
    try {
      const v = await this.load(ref, stack);
      return v instanceof PdfNumber ? v.value : null;
    } catch (err) {
      if (isKysoError(err)) return null; // fall back to searching endstream
      throw err;
    }
  }

  /**
   * The object number that object stream `streamNum` lists at position `index` (what a viewer
   * following a compressed cross-reference entry finds there), or null when there is none.
   */
  objectNumberInStream(streamNum: number, index: number): Promise<number | null> {
    return guard(async () => {
      const decoded = await this.decodedObjectStream(-1, streamNum, new Set());
      return decoded.objects[index]?.num ?? null;
    });
  }

  private async fromObjectStream(
    num: number,
    streamNum: number,
    index: number,
    stack: ReadonlySet<number>,
  ): Promise<PdfValue> {
    const decoded = await this.decodedObjectStream(num, streamNum, stack);
    const value = objectFromStream(decoded, num, index);
    // Streams cannot live in object streams; a reference there would be a different object.
    return value === undefined || value instanceof PdfStream ? null : value;
  }

  private async decodedObjectStream(
    num: number,
    streamNum: number,
    stack: ReadonlySet<number>,
  ): Promise<DecodedObjectStream> {
    let decoded = this.objectStreams.get(streamNum);
    if (decoded === undefined) {
      if (stack.has(streamNum))
        throw new KysoError('PDF_MALFORMED', 'An object stream of the PDF file contains itself.');
      const entry = this.entries.get(streamNum);
      if (entry?.type !== 'offset') {
        throw new KysoError('PDF_MALFORMED', 'The PDF file refers to an object stream that does not exist.', {
          details: { object: num, stream: streamNum },
        });
      }
      const inner = new Set(stack).add(num);
      const stream = await this.readAt(new PdfRef(streamNum, entry.gen), entry.offset, inner);
      if (!(stream instanceof PdfStream)) {
        throw new KysoError(
          'PDF_MALFORMED',
          'The PDF file refers to an object stream that is not a stream.',
          {
            details: { object: num, stream: streamNum },
          },
        );
      }
      if (this.isEncrypted) {
        throw new KysoError(
          'PDF_ENCRYPTED',
          'The PDF file is encrypted; its compressed objects cannot be read.',
        );
      }
      const n = await this.resolve(stream.dict.get('N') ?? null);
      const first = await this.resolve(stream.dict.get('First') ?? null);
      if (!(n instanceof PdfNumber) || !(first instanceof PdfNumber) || n.value < 0 || first.value < 0) {
        throw new KysoError('PDF_MALFORMED', 'An object stream of the PDF file is damaged (/N, /First).');
      }
      const data = await this.streamData(stream, { decode: true, maxBytes: this.maxObjStm }, inner);
      if (data.remainingFilters.length > 0) {
        throw new KysoError('PDF_MALFORMED', 'An object stream of the PDF file uses an unsupported filter.');
      }
      decoded = parseObjectStreamHeader(data.bytes, Math.min(n.value, 1_000_000), first.value);
      this.objectStreams.put(streamNum, decoded);
    }
    return decoded;
  }

  private async streamData(
    stream: PdfStream,
    options: StreamReadOptions,
    stack: ReadonlySet<number>,
  ): Promise<DecodeResult> {
    if (!(stream instanceof PdfStream)) throw new KysoError('INTERNAL', 'getStreamData needs a stream.');
    let raw: Buffer;
    if (stream.data.kind === 'memory') raw = stream.data.bytes;
    else {
      if (stream.data.length > options.maxBytes) {
        throw new KysoError('PDF_TOO_LARGE', 'A stream in the PDF file is larger than allowed.', {
          details: { length: stream.data.length, maxBytes: options.maxBytes },
        });
      }
      raw = await this.src.read(stream.data.offset, stream.data.length);
    }
    const filterValue = await this.resolveIn(stream.dict.get('Filter'), stack);
    const parmsValue = await this.resolveIn(stream.dict.get('DecodeParms'), stack);
    const filters = filtersOf(
      await this.resolveItems(filterValue, stack),
      await this.resolveItems(parmsValue, stack),
    );
    if (!options.decode || filters.length === 0) {
      return {
        bytes: raw,
        complete: true,
        remainingFilters: options.decode ? [] : filters.map((f) => f.name),
      };
    }
    if (this.isEncrypted && stream.dict.getName('Type') !== 'XRef') {
      throw new KysoError('PDF_ENCRYPTED', 'The PDF file is encrypted; its streams cannot be decoded.');
    }
    return decodeStream(raw, filters, options.maxBytes);
  }

  private async resolveIn(value: PdfValue | undefined, stack: ReadonlySet<number>): Promise<PdfValue> {
    let v: PdfValue = value ?? null;
    for (let i = 0; v instanceof PdfRef && i < MAX_REF_CHAIN; i++) {
      if (stack.has(v.num)) return null;
      v = await this.load(v, stack);
    }
    return v instanceof PdfRef ? null : v;
  }

  private async resolveItems(value: PdfValue, stack: ReadonlySet<number>): Promise<PdfValue> {
    if (!(value instanceof PdfArray)) return value;
    const items: PdfValue[] = [];
    for (const item of value.items) items.push(await this.resolveIn(item, stack));
    return new PdfArray(items);
  }

  /**
   * Checks that the catalog and a few other entries are where the cross-reference says; if not,
   * tries offsets counted from the header, then repairs (when allowed) or reports PDF_XREF_BROKEN.
   */
  private async validate(): Promise<void> {
    if (this.repaired) return;
    const sample = sampleEntries(this.entries, this.trailer);
    // A /Root with no usable entry (missing, free, offset 0) is a broken table too: repair finds it.
    const root = this.trailer.getRef('Root');
    const rootEntry = root === undefined ? undefined : this.entries.get(root.num);
    const rootKnown = rootEntry !== undefined && rootEntry.type !== 'free';
    if (rootKnown && (await allAt(this.src, sample, 0))) return;
    if (rootKnown && this.headerOffset > 0 && (await allAt(this.src, sample, this.headerOffset))) {
      const shifted = new Map<number, XrefEntry>();
      for (const [num, e] of this.entries) {
        shifted.set(num, e.type === 'offset' ? { ...e, offset: e.offset + this.headerOffset } : e);
      }
      this.entries = shifted;
      this.shift = this.headerOffset;
      return;
    }
    if (this.options.repair === true) {
      await this.rebuild();
      return;
    }
    throw xrefBroken();
  }

  /**
   * Replaces the entries with those found by scanning the file. The trailer keeps its keys, except
   * a /Root the scan cannot find, which gives way to the catalog the scan found.
   */
  private async rebuild(): Promise<void> {
    const rebuilt = await rebuildXref(this.src, { maxObjectStreamBytes: this.maxObjStm });
    this.entries = rebuilt.entries;
    this.repaired = true;
    for (const [key, value] of rebuilt.trailer.entries()) {
      const mine = this.trailer.get(key);
      const lost = key === 'Root' && !(mine instanceof PdfRef && this.entries.has(mine.num));
      if (mine === undefined || lost) this.trailer.set(key, value);
    }
  }
}

/** Unexpected errors (bugs) surface as INTERNAL KysoErrors; the cause keeps the stack for logs. */
function asKysoError(err: unknown): KysoError {
  if (isKysoError(err)) return err;
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new KysoError('PDF_MALFORMED', 'The PDF file nests objects too deeply.', { cause: err });
  }
  return new KysoError('INTERNAL', 'An unexpected error occurred while reading the PDF file.', {
    cause: err,
  });
}

async function guard<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw asKysoError(err);
  }
}
