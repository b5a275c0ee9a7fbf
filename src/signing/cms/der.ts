// Small DER helpers shared by the CMS builder, the timestamp client and the token parser.
// Structures are assembled from byte strings so that pre-encoded parts (certificates, names,
// serial numbers, timestamp tokens) are carried verbatim, never decoded and re-encoded.
// Everything here is encoded by hand, without asn1js, which signing then need not load (the
// asn1js-based helpers are in der-asn1js.ts).

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** One TLV with a single-byte tag around the concatenation of `contents`. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  const body = concat(contents);
  return concat([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

export const sequence = (...items: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...items);
export const set = (...items: readonly Uint8Array[]): Uint8Array => tlv(0x31, ...items);
/** `[n]` constructed, context-specific: EXPLICIT tagging, or IMPLICIT tagging of a SEQUENCE/SET. */
export const context = (n: number, ...items: readonly Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...items);
export const octetString = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);

/** Encoded once each: a batch encodes the same few OIDs for every document. */
const encodedOids = new Map<string, Uint8Array>();

export function oid(value: string): Uint8Array {
  let der = encodedOids.get(value);
  if (der === undefined) {
    der = tlv(0x06, oidContents(value));
    if (encodedOids.size < 256) encodedOids.set(value, der);
  }
  return der.slice();
}

/** Base-128 digits, most significant first, the high bit set on all but the last (X.690 8.19.2). */
function pushBase128(out: number[], value: bigint): void {
  const digits = [Number(value & 0x7fn)];
  for (let rest = value >> 7n; rest > 0n; rest >>= 7n) digits.push(Number(rest & 0x7fn) | 0x80);
  out.push(...digits.reverse());
}

/** Contents octets of an OBJECT IDENTIFIER in dotted form; arcs of any size (BigInt). */
function oidContents(value: string): Uint8Array {
  const arcs = value.split('.');
  if (arcs.length < 2 || !arcs.every((arc) => /^\d+$/.test(arc))) {
    throw new RangeError(`not an object identifier: ${value}`);
  }
  const [first, second, ...rest] = arcs.map((arc) => BigInt(arc));
  if (first === undefined || second === undefined || first > 2n || (first < 2n && second >= 40n)) {
    throw new RangeError(`not an object identifier: ${value}`);
  }
  const out: number[] = [];
  pushBase128(out, first * 40n + second); // the first two arcs share one subidentifier
  for (const arc of rest) pushBase128(out, arc);
  return Uint8Array.from(out);
}

/** INTEGER of a (safe) integer, or of big-endian two's complement `bytes` as given. */
export function integer(value: number | Uint8Array): Uint8Array {
  if (typeof value !== 'number') return tlv(0x02, value);
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  const octets: number[] = [];
  let rest = BigInt(value);
  for (;;) {
    const low = Number(rest & 0xffn);
    octets.unshift(low);
    rest >>= 8n;
    // shortest two's complement: stop when what is left is only the sign of the top octet
    if ((rest === 0n && low < 0x80) || (rest === -1n && low >= 0x80)) break;
  }
  return tlv(0x02, Uint8Array.from(octets));
}

export function boolean(value: boolean): Uint8Array {
  return Uint8Array.of(0x01, 0x01, value ? 0xff : 0x00);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * DER order of the elements of a SET OF (X.690 11.6): their encodings compared as octet strings,
 * the shorter one padded with zero octets at its end.
 */
export function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/**
 * An OCTET STRING of zeros whose whole encoding is `size` bytes (at least 2): the stand-in for a
 * timestamp token in a dry run, so that the dry-run CMS is as long as the real one will be. A few
 * sizes cannot be hit exactly (the length field grows by a byte at 128, 256...): the result is
 * then one byte longer, never shorter.
 */
export function placeholderOfSize(size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 2) throw new RangeError(`placeholder size ${size}`);
  let content = Math.max(0, size - 6);
  while (1 + lengthBytes(content).length + content < size) content++;
  return octetString(new Uint8Array(content));
}
