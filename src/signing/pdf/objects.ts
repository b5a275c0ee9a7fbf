// The PDF object model shared by the reader and the writer: names, strings, numbers, references,
// dictionaries, arrays, streams, and the two placeholders a signature needs. Also text-string codecs.

/**
 * A name, stored without the slash and with #xx escapes decoded. Its characters are bytes (a
 * "binary" string, one char per byte) so that any name read from a file is written back unchanged.
 */
export class PdfName {
  constructor(readonly name: string) {}
  toString(): string {
    return `/${this.name}`;
  }
}

/** A string as bytes; `hex` remembers the `<...>` form so a rewritten object looks like the original. */
export class PdfString {
  constructor(
    readonly bytes: Buffer,
    readonly hex = false,
  ) {}
}

/** A number. Integers and reals are kept apart because some keys require one or the other. */
export class PdfNumber {
  constructor(
    readonly value: number,
    readonly isReal = false,
  ) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
  equals(other: PdfRef): boolean {
    return this.num === other.num && this.gen === other.gen;
  }
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

/**
 * A dictionary; keys are names without the slash, in file order (insertion order of the Map) so a
 * rewritten object keeps its layout. Values returned by the reader are cached and shared: `clone()`
 * before changing one.
 */
export class PdfDict {
  readonly map: Map<string, PdfValue>;
  constructor(entries?: Iterable<readonly [string, PdfValue]>) {
    this.map = new Map(entries);
  }
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfValue): this {
    this.map.set(key, value);
    return this;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  delete(key: string): boolean {
    return this.map.delete(key);
  }
  get size(): number {
    return this.map.size;
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  entries(): IterableIterator<[string, PdfValue]> {
    return this.map.entries();
  }
  /** The value as a name's text if it is a direct name, else undefined. */
  getName(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
  /** The value if it is a direct number, else undefined. */
  getNumber(key: string): number | undefined {
    const v = this.map.get(key);
    return v instanceof PdfNumber ? v.value : undefined;
  }
  /** The value if it is a direct non-negative safe integer, else undefined. */
  getInt(key: string): number | undefined {
    const v = this.map.get(key);
    return v instanceof PdfNumber && Number.isSafeInteger(v.value) && v.value >= 0 ? v.value : undefined;
  }
  getRef(key: string): PdfRef | undefined {
    const v = this.map.get(key);
    return v instanceof PdfRef ? v : undefined;
  }
  /** A shallow copy: a new map, the same values. */
  clone(): PdfDict {
    return new PdfDict(this.map);
  }
}

export class PdfArray {
  readonly items: PdfValue[];
  constructor(items: Iterable<PdfValue> = []) {
    this.items = [...items];
  }
  get length(): number {
    return this.items.length;
  }
}

/** Where a stream's raw (still encoded) data lies: in the file being read, or in memory (new streams). */
export type PdfStreamData =
  | { readonly kind: 'file'; readonly offset: number; readonly length: number }
  | { readonly kind: 'memory'; readonly bytes: Buffer };

/** A stream: its dictionary and where its data is. File data is never loaded until asked for. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly data: PdfStreamData,
  ) {}
  static fromBytes(dict: PdfDict, bytes: Buffer): PdfStream {
    return new PdfStream(dict, { kind: 'memory', bytes });
  }
}

/**
 * The `/Contents` of a signature before signing: serialised as `<00…00>` with 2×byteLength zeros.
 * `id` names it in the writer's placeholder list.
 */
export class PdfHexPlaceholder {
  readonly kind = 'hex' as const;
  constructor(
    readonly byteLength: number,
    readonly id = 'contents',
  ) {}
}

/**
 * The `/ByteRange` before the final offsets are known: a fixed-width array, patched in place later
 * by `patchByteRange` without changing the file's length.
 */
export class PdfByteRangePlaceholder {
  readonly kind = 'byteRange' as const;
  constructor(readonly id = 'byteRange') {}
}

export type PdfPlaceholder = PdfHexPlaceholder | PdfByteRangePlaceholder;

export type PdfValue =
  PdfName | PdfString | PdfNumber | PdfRef | PdfDict | PdfArray | PdfStream | boolean | null | PdfPlaceholder;

// Small constructors so callers read like the PDF they build.
export const pdfName = (name: string): PdfName => new PdfName(name);
export const pdfInt = (value: number): PdfNumber => new PdfNumber(Math.trunc(value), false);
export const pdfReal = (value: number): PdfNumber => new PdfNumber(value, true);
export const pdfArray = (...items: PdfValue[]): PdfArray => new PdfArray(items);
export function pdfDict(entries: Record<string, PdfValue>): PdfDict {
  return new PdfDict(Object.entries(entries));
}

// PDFDocEncoding differs from Latin-1 only in these code points (PDF 32000-1, Annex D).
const PDFDOC_SPECIAL: ReadonlyArray<readonly [number, number]> = [
  [0x18, 0x02d8],
  [0x19, 0x02c7],
  [0x1a, 0x02c6],
  [0x1b, 0x02d9],
  [0x1c, 0x02dd],
  [0x1d, 0x02db],
  [0x1e, 0x02da],
  [0x1f, 0x02dc],
  [0x80, 0x2022],
  [0x81, 0x2020],
  [0x82, 0x2021],
  [0x83, 0x2026],
  [0x84, 0x2014],
  [0x85, 0x2013],
  [0x86, 0x0192],
  [0x87, 0x2044],
  [0x88, 0x2039],
  [0x89, 0x203a],
  [0x8a, 0x2212],
  [0x8b, 0x2030],
  [0x8c, 0x201e],
  [0x8d, 0x201c],
  [0x8e, 0x201d],
  [0x8f, 0x2018],
  [0x90, 0x2019],
  [0x91, 0x201a],
  [0x92, 0x2122],
  [0x93, 0xfb01],
  [0x94, 0xfb02],
  [0x95, 0x0141],
  [0x96, 0x0152],
  [0x97, 0x0160],
  [0x98, 0x0178],
  [0x99, 0x017d],
  [0x9a, 0x0131],
  [0x9b, 0x0142],
  [0x9c, 0x0153],
  [0x9d, 0x0161],
  [0x9e, 0x017e],
  [0xa0, 0x20ac],
];

const PDFDOC_TO_UNICODE: readonly number[] = (() => {
  const table = Array.from({ length: 256 }, (_, i) => i);
  for (const [byte, cp] of PDFDOC_SPECIAL) table[byte] = cp;
  table[0x9f] = 0xfffd; // undefined in PDFDocEncoding
  table[0xad] = 0xfffd;
  return table;
})();

/**
 * A text string for the file: plain bytes when `s` is printable ASCII (every reader shows those the
 * same way), else UTF-16BE with a BOM, which PDF 1.x readers all understand (UTF-8 is PDF 2.0 only).
 */
export function pdfTextString(s: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(s)) return new PdfString(Buffer.from(s, 'latin1'), false);
  const out = Buffer.alloc(2 + s.length * 2);
  out[0] = 0xfe;
  out[1] = 0xff;
  for (let i = 0; i < s.length; i++) out.writeUInt16BE(s.charCodeAt(i), 2 + i * 2);
  return new PdfString(out, true);
}

/** Decodes a text string: UTF-16BE with BOM, UTF-8 with BOM (PDF 2.0), else PDFDocEncoding. */
export function decodeTextString(str: PdfString | Buffer): string {
  const b = str instanceof PdfString ? str.bytes : str;
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    let out = '';
    for (let i = 2; i + 1 < b.length; i += 2) out += String.fromCharCode(b.readUInt16BE(i));
    return out;
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return b.subarray(3).toString('utf8');
  }
  let out = '';
  for (const byte of b) out += String.fromCodePoint(PDFDOC_TO_UNICODE[byte] ?? 0xfffd);
  return out;
}
