// A small DER/BER reader (ITU-T X.690) for the structures Kyso reads on its signing path
// (certificates, PKCS#7 bundles, timestamp tokens). It exists so that signing does not load and run
// asn1js, which builds an object graph for every element: here an element is seven numbers over
// the caller's bytes, children are read only when asked for, and values are decoded on demand.
// Contents and encodings are subarrays of the input, never copies. Only reading: Kyso encodes DER
// by hand (cms/der.ts).

/** Malformed input: truncated, inconsistent lengths, or a value that is not what it claims. */
export class DerError extends Error {
  override name = 'DerError';
}

/** Tag numbers of the UNIVERSAL class that callers test for. */
export const Tag = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  objectIdentifier: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  utcTime: 23,
  generalizedTime: 24,
} as const;

/** X.690 tag classes, as in the two top bits of the identifier octet. */
export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

export interface DerNode {
  readonly tagClass: 0 | 1 | 2 | 3;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** Offset of the identifier octet in `bytes`. */
  readonly start: number;
  readonly contentStart: number;
  /** End of the contents (exclusive): `end`, or the offset of the end-of-contents octets. */
  readonly contentEnd: number;
  /** End of the whole element (exclusive), end-of-contents octets included. */
  readonly end: number;
  /** The whole buffer the element was read from. */
  readonly bytes: Uint8Array;
}

/**
 * Deeper nesting than this is refused. asn1js stops at 100 too; a certificate nests about ten
 * levels, and the iterative walks below need a bound only against crafted input.
 */
const MAX_DEPTH = 100;

// Identifier and length of the element being read. One scratch record, reused: reading a header
// is synchronous and never nested, and this keeps the reader from allocating per header.
const header = { tagClass: 0 as 0 | 1 | 2 | 3, constructed: false, tagNumber: 0, contentStart: 0, length: 0 };

/** Reads the identifier and length octets at `offset`; `header.length` is -1 for indefinite. */
function readHeader(bytes: Uint8Array, offset: number, limit: number): void {
  if (offset >= limit) throw new DerError(`truncated: no element at offset ${offset}`);
  const first = bytes[offset] as number;
  let pos = offset + 1;
  let tagNumber = first & 0x1f;
  if (tagNumber === 0x1f) {
    // long form: base-128 digits, high bit set on all but the last
    tagNumber = 0;
    let byte: number;
    let digits = 0;
    do {
      if (pos >= limit) throw new DerError(`truncated tag at offset ${offset}`);
      // 4 digits hold 28 bits: far more than any real tag, and still a small integer
      if (++digits > 4) throw new DerError(`tag number too long at offset ${offset}`);
      byte = bytes[pos++] as number;
      tagNumber = tagNumber * 128 + (byte & 0x7f);
    } while (byte & 0x80);
  }
  if (pos >= limit) throw new DerError(`truncated length at offset ${offset}`);
  const lengthByte = bytes[pos++] as number;
  let length: number;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else if (lengthByte === 0x80) {
    // BER indefinite length (X.690 8.1.3.6): constructed encodings only
    if ((first & 0x20) === 0)
      throw new DerError(`indefinite length on a primitive element at offset ${offset}`);
    length = -1;
  } else if (lengthByte === 0xff) {
    throw new DerError(`reserved length octet 0xFF at offset ${offset}`);
  } else {
    const count = lengthByte & 0x7f;
    // 6 octets already exceed any buffer Node can hold; more is garbage, not a large element
    if (count > 6) throw new DerError(`length of ${count} octets at offset ${offset}`);
    if (pos + count > limit) throw new DerError(`truncated length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[pos++] as number);
  }
  header.tagClass = (first >> 6) as 0 | 1 | 2 | 3;
  header.constructed = (first & 0x20) !== 0;
  header.tagNumber = tagNumber;
  header.contentStart = pos;
  header.length = length;
}

/**
 * Offset of the end-of-contents octets closing the indefinite-length element whose contents start
 * at `contentStart`. Definite-length elements are skipped whole; nested indefinite ones are
 * counted, so the scan is a loop, not a recursion.
 */
function findEndOfContents(bytes: Uint8Array, contentStart: number, limit: number): number {
  let pos = contentStart;
  let depth = 0;
  for (;;) {
    if (pos + 1 < limit && bytes[pos] === 0 && bytes[pos + 1] === 0) {
      if (depth === 0) return pos;
      depth--;
      pos += 2;
      continue;
    }
    readHeader(bytes, pos, limit);
    if (header.length === -1) {
      if (++depth > MAX_DEPTH) throw new DerError(`nesting deeper than ${MAX_DEPTH} at offset ${pos}`);
      pos = header.contentStart;
    } else {
      if (header.length > limit - header.contentStart) {
        throw new DerError(`length past the end at offset ${pos}`);
      }
      pos = header.contentStart + header.length;
    }
  }
}

function readElement(bytes: Uint8Array, offset: number, limit: number): DerNode {
  readHeader(bytes, offset, limit);
  const { tagClass, constructed, tagNumber, contentStart, length } = header;
  let contentEnd: number;
  let end: number;
  if (length === -1) {
    contentEnd = findEndOfContents(bytes, contentStart, limit);
    end = contentEnd + 2;
  } else {
    if (length > limit - contentStart) {
      throw new DerError(`length ${length} past the end at offset ${offset}`);
    }
    contentEnd = contentStart + length;
    end = contentEnd;
  }
  return { tagClass, constructed, tagNumber, start: offset, contentStart, contentEnd, end, bytes };
}

/** The element at `offset`; bytes after it are left alone (see {@link readDerExactly}). */
export function readDer(bytes: Uint8Array, offset = 0): DerNode {
  return readElement(bytes, offset, bytes.length);
}

/** The one element that `bytes` consist of: trailing bytes are an error. */
export function readDerExactly(bytes: Uint8Array): DerNode {
  const node = readElement(bytes, 0, bytes.length);
  if (node.end !== bytes.length) {
    throw new DerError(`${bytes.length - node.end} bytes after the element`);
  }
  return node;
}

/** The elements inside a constructed element, in order (end-of-contents octets excluded). */
export function children(node: DerNode): DerNode[] {
  if (!node.constructed) throw new DerError(`primitive element at offset ${node.start} has no children`);
  const out: DerNode[] = [];
  for (let pos = node.contentStart; pos < node.contentEnd;) {
    const child = readElement(node.bytes, pos, node.contentEnd);
    out.push(child);
    pos = child.end;
  }
  return out;
}

/**
 * Checks that every constructed element below `node` parses, as a full decoder (asn1js) would
 * before handing anything out, and that primitive-only types are not in constructed form.
 */
export function assertWellFormed(node: DerNode): void {
  const stack: { node: DerNode; depth: number }[] = [{ node, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const current = item.node;
    if (!current.constructed) continue;
    if (current.tagClass === TagClass.universal && PRIMITIVE_ONLY.has(current.tagNumber)) {
      throw new DerError(`constructed encoding of a primitive type at offset ${current.start}`);
    }
    if (item.depth >= MAX_DEPTH) throw new DerError(`nesting deeper than ${MAX_DEPTH}`);
    for (const child of children(current)) stack.push({ node: child, depth: item.depth + 1 });
  }
}

/**
 * UNIVERSAL types that X.690 allows only in primitive form (BOOLEAN, INTEGER, NULL, OID, REAL,
 * ENUMERATED, RELATIVE-OID, the TIME types), and UTCTime and GeneralizedTime, which BER would
 * allow constructed but DER and asn1js do not.
 */
const PRIMITIVE_ONLY: ReadonlySet<number> = new Set([1, 2, 5, 6, 9, 10, 13, 14, 23, 24, 31, 32, 33, 34]);

export function isUniversal(node: DerNode | undefined, tagNumber: number): node is DerNode {
  return node !== undefined && node.tagClass === TagClass.universal && node.tagNumber === tagNumber;
}

/** `[n]`, context-specific, in either form. */
export function isContext(node: DerNode | undefined, n: number): node is DerNode {
  return node !== undefined && node.tagClass === TagClass.context && node.tagNumber === n;
}

export function contentOf(node: DerNode): Uint8Array {
  return node.bytes.subarray(node.contentStart, node.contentEnd);
}

/**
 * The whole element, identifier to end, as it was encoded. A view, like contentOf: to keep it,
 * copy it with `new Uint8Array(…)` (not `.slice()`, which does not copy when the input is a Buffer).
 */
export function encodedOf(node: DerNode): Uint8Array {
  return node.bytes.subarray(node.start, node.end);
}

/**
 * Contents of a primitive value of UNIVERSAL type `tagNumber`. An implicitly tagged value
 * (application, context or private class) is taken to be of that type: the caller knows its schema.
 */
function primitiveContent(node: DerNode, tagNumber: number, name: string): Uint8Array {
  if (node.tagClass === TagClass.universal && node.tagNumber !== tagNumber) {
    throw new DerError(`expected ${name} at offset ${node.start}, found tag ${node.tagNumber}`);
  }
  if (node.constructed) throw new DerError(`${name} at offset ${node.start} is constructed`);
  return contentOf(node);
}

/** Dotted decimal; arcs beyond 2^53 are exact (BigInt), as in UUID-based OIDs (2.25.…). */
export function oidOf(node: DerNode): string {
  const content = primitiveContent(node, Tag.objectIdentifier, 'OBJECT IDENTIFIER');
  if (content.length === 0) throw new DerError(`empty OBJECT IDENTIFIER at offset ${node.start}`);
  if ((content[content.length - 1] as number) & 0x80) {
    throw new DerError(`truncated OBJECT IDENTIFIER at offset ${node.start}`);
  }
  let text = '';
  let value = 0;
  let big: bigint | undefined;
  for (const byte of content) {
    // past 2^46 one more base-128 digit could leave the exact range of a double
    if (big === undefined && value >= 0x400000000000) big = BigInt(value);
    if (big === undefined) value = value * 128 + (byte & 0x7f);
    else big = big * 128n + BigInt(byte & 0x7f);
    if (byte & 0x80) continue;
    if (text === '') {
      // the first subidentifier holds two arcs: 40 * first + second (X.690 8.19.4)
      if (big !== undefined) text = `2.${big - 80n}`;
      else text = value < 40 ? `0.${value}` : value < 80 ? `1.${value - 40}` : `2.${value - 80}`;
    } else {
      text += `.${big ?? value}`;
    }
    value = 0;
    big = undefined;
  }
  return text;
}

/** The two's-complement contents of an INTEGER, as encoded (a leading 00 is kept). */
export function integerBytesOf(node: DerNode): Uint8Array {
  const content = primitiveContent(node, Tag.integer, 'INTEGER');
  if (content.length === 0) throw new DerError(`empty INTEGER at offset ${node.start}`);
  return content;
}

/** BER allows any non-zero octet for TRUE (X.690 8.2.2); DER requires FF, which is not checked. */
export function booleanOf(node: DerNode): boolean {
  const content = primitiveContent(node, Tag.boolean, 'BOOLEAN');
  if (content.length !== 1) throw new DerError(`BOOLEAN of ${content.length} octets at offset ${node.start}`);
  return content[0] !== 0;
}

/** The octets of a primitive BIT STRING after its unused-bits octet (unused bits left as encoded). */
export function bitStringBytesOf(node: DerNode): Uint8Array {
  const content = primitiveContent(node, Tag.bitString, 'BIT STRING');
  if (content.length === 0 || (content[0] as number) > 7) {
    throw new DerError(`malformed BIT STRING at offset ${node.start}`);
  }
  return content.subarray(1);
}

const UTC_TIME = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d{4})$/;
const GENERALIZED_TIME = /^(\d{4})(\d\d)(\d\d)(\d\d)(?:(\d\d)(\d\d)?)?(?:[.,](\d+))?(Z|[+-]\d\d(?:\d\d)?)?$/;

/**
 * UTCTime (two-digit year: below 50 is 20xx, RFC 5280 4.1.2.5.1) or GeneralizedTime, with
 * seconds optional, a fraction of the last unit given, and Z or an offset from UTC. RFC 5280
 * requires Z; an offset is applied correctly, and a GeneralizedTime without either is read as UTC
 * rather than the local time of whoever runs Kyso.
 */
export function timeOf(node: DerNode): Date {
  if (
    node.tagClass !== TagClass.universal ||
    (node.tagNumber !== Tag.utcTime && node.tagNumber !== Tag.generalizedTime)
  ) {
    throw new DerError(`expected UTCTime or GeneralizedTime at offset ${node.start}`);
  }
  if (node.constructed) throw new DerError(`constructed time at offset ${node.start}`);
  const text = latin1(contentOf(node));
  const bad = (): DerError => new DerError(`malformed time '${text}' at offset ${node.start}`);
  let year: number;
  let fields: (string | undefined)[];
  let fraction: string | undefined;
  let zone: string | undefined;
  if (node.tagNumber === Tag.utcTime) {
    const m = UTC_TIME.exec(text);
    if (m === null) throw bad();
    const yy = Number(m[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    fields = [m[2], m[3], m[4], m[5], m[6] ?? '00'];
    zone = m[7];
  } else {
    const m = GENERALIZED_TIME.exec(text);
    if (m === null) throw bad();
    year = Number(m[1]);
    fields = [m[2], m[3], m[4], m[5], m[6]];
    fraction = m[7];
    zone = m[8];
  }
  const [month, day, hour, minute, second] = fields.map((f) => (f === undefined ? undefined : Number(f)));
  if (month === undefined || day === undefined || hour === undefined) throw bad();
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) throw bad();
  if ((minute ?? 0) > 59 || (second ?? 0) > 59) throw bad();
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not turn years 0-99 into 1900-1999
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) throw bad(); // 31 April and the like
  let ms = date.getTime() + ((hour * 60 + (minute ?? 0)) * 60 + (second ?? 0)) * 1000;
  if (fraction !== undefined) {
    // the fraction belongs to the last unit present; milliseconds are truncated, as asn1js does
    if (second !== undefined) ms += Number((fraction + '00').slice(0, 3));
    else ms += Math.floor(Number(`0.${fraction}`) * (minute !== undefined ? 60_000 : 3_600_000));
  }
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = zone.length > 3 ? Number(zone.slice(3, 5)) : 0;
    if (zoneHours > 23 || zoneMinutes > 59) throw bad();
    ms -= sign * (zoneHours * 60 + zoneMinutes) * 60_000;
  }
  return new Date(ms);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

// Strict, so that invalid UTF-8 can fall back to one character per byte as asn1js does (a name
// with a stray byte still shows); the BOM is kept, as asn1js keeps it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Code units of UTF-16BE, lone surrogates kept (what asn1js gives for a BMPString). */
function utf16be(bytes: Uint8Array): string {
  let text = '';
  const units: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    units.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
    if (units.length === 8192) text += String.fromCharCode(...units.splice(0));
  }
  return text + String.fromCharCode(...units);
}

/** UTF-32BE; a code point outside Unicode or a lone surrogate becomes U+FFFD (as in asn1js). */
function utf32be(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.length >> 2;
  let text = '';
  const points: number[] = [];
  for (let i = 0; i < count; i++) {
    let point = view.getUint32(i * 4);
    if (point > 0x10ffff) {
      point = 0xfffd;
    } else if (point >= 0xd800 && point <= 0xdfff) {
      // a surrogate pair written as two UTF-32 units: some encoders do that
      const next = i + 1 < count ? view.getUint32((i + 1) * 4) : 0;
      if (point <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        point = 0x10000 + ((point - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        point = 0xfffd;
      }
    }
    points.push(point);
    if (points.length === 8192) text += String.fromCodePoint(...points.splice(0));
  }
  return text + String.fromCodePoint(...points);
}

/** The character string types and how their octets become text. */
const STRING_TYPES: ReadonlyMap<number, 'utf8' | 'latin1' | 'utf16' | 'utf32'> = new Map([
  [12, 'utf8'], // UTF8String
  [18, 'latin1'], // NumericString
  [19, 'latin1'], // PrintableString
  [20, 'latin1'], // TeletexString (T.61 in theory; in practice latin1, and read so by asn1js and OpenSSL)
  [21, 'latin1'], // VideotexString
  [22, 'latin1'], // IA5String
  [25, 'latin1'], // GraphicString
  [26, 'latin1'], // VisibleString
  [27, 'latin1'], // GeneralString
  [28, 'utf32'], // UniversalString
  [29, 'latin1'], // CHARACTER STRING
  [30, 'utf16'], // BMPString
]);

export function isString(node: DerNode | undefined): node is DerNode {
  return node !== undefined && node.tagClass === TagClass.universal && STRING_TYPES.has(node.tagNumber);
}

/** Octets of a string value; a BER constructed string is the concatenation of its segments. */
function stringOctets(node: DerNode): Uint8Array {
  if (!node.constructed) return contentOf(node);
  const parts: Uint8Array[] = [];
  const pending = children(node).reverse();
  for (let part = pending.pop(); part !== undefined; part = pending.pop()) {
    if (part.constructed) pending.push(...children(part).reverse());
    else parts.push(contentOf(part));
  }
  return Buffer.concat(parts);
}

export function stringOf(node: DerNode): string {
  const kind = node.tagClass === TagClass.universal ? STRING_TYPES.get(node.tagNumber) : undefined;
  if (kind === undefined) throw new DerError(`expected a character string at offset ${node.start}`);
  const octets = stringOctets(node);
  switch (kind) {
    case 'utf8':
      try {
        return utf8.decode(octets);
      } catch {
        return latin1(octets);
      }
    case 'latin1':
      return latin1(octets);
    case 'utf16':
      if (octets.length % 2 !== 0) throw new DerError(`BMPString of odd length at offset ${node.start}`);
      return utf16be(octets);
    case 'utf32':
      if (octets.length % 4 !== 0) {
        throw new DerError(`UniversalString length not a multiple of 4 at offset ${node.start}`);
      }
      return utf32be(octets);
  }
}
