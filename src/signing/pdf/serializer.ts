// Writes PDF values as bytes: names with #xx escapes, literal or hex strings, reals without exponent,
// compact dictionaries; records where placeholders land so they can be patched in place later.
import { KysoError } from '../../shared/errors.js';
import {
  PdfArray,
  PdfByteRangePlaceholder,
  PdfDict,
  PdfHexPlaceholder,
  PdfName,
  PdfNumber,
  PdfRef,
  PdfStream,
  PdfString,
} from './objects.js';
import type { PdfValue } from './objects.js';

export interface PlaceholderLocation {
  readonly id: string;
  readonly kind: 'hex' | 'byteRange';
  /** Offset of `<` or `[`, relative to the start of what the writer produced. */
  readonly offset: number;
  /** Length including the delimiters. */
  readonly length: number;
}

/** Digits per number in a /ByteRange placeholder: 13 digits cover files up to 9.9 TB. */
export const BYTE_RANGE_DIGITS = 13;
/** `[` + 4 numbers + 3 spaces + `]`. */
export const BYTE_RANGE_LENGTH = 1 + 4 * BYTE_RANGE_DIGITS + 3 + 1;

/** Accumulates output and the placeholders' positions. */
export class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private len = 0;
  readonly placeholders: PlaceholderLocation[] = [];

  get length(): number {
    return this.len;
  }

  write(data: string | Buffer): void {
    const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.chunks.push(b);
    this.len += b.length;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.len);
  }
}

const NAME_SAFE = new Uint8Array(256);
for (let c = 0x21; c <= 0x7e; c++) NAME_SAFE[c] = 1;
for (const c of '()<>[]{}/%#') NAME_SAFE[c.charCodeAt(0)] = 0;

/** `/Name` with every byte outside the regular printable set written as #xx. */
export function formatName(name: string): string {
  // Names are byte strings; a caller's non-Latin-1 text is written as UTF-8 (what PDF 2.0 asks for).
  const latin1 = [...name].every((ch) => ch.charCodeAt(0) <= 0xff);
  const bytes = Buffer.from(name, latin1 ? 'latin1' : 'utf8');
  let out = '/';
  for (const c of bytes)
    out += NAME_SAFE[c] === 1 ? String.fromCharCode(c) : `#${c.toString(16).padStart(2, '0').toUpperCase()}`;
  return out;
}

/** A number as PDF writes it: integers plainly, reals in fixed notation (PDF has no exponent). */
export function formatNumber(n: PdfNumber | number): string {
  const value = typeof n === 'number' ? n : n.value;
  const isReal = typeof n === 'number' ? !Number.isInteger(n) : n.isReal;
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) {
    throw new KysoError('INTERNAL', `A number cannot be written to a PDF file: ${value}.`);
  }
  if (!isReal) return Math.trunc(value).toString();
  let s = String(value);
  if (s.includes('e')) s = value.toFixed(20); // tiny values: String() would use an exponent
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  return s.includes('.') ? s : `${s}.0`;
}

/** A literal string with the characters that would change meaning escaped. */
export function formatLiteralString(bytes: Buffer): Buffer {
  const out: number[] = [0x28];
  for (const c of bytes) {
    switch (c) {
      case 0x28:
      case 0x29:
      case 0x5c:
        out.push(0x5c, c);
        break;
      case 0x0a:
        out.push(0x5c, 0x6e);
        break;
      case 0x0d:
        out.push(0x5c, 0x72);
        break;
      default:
        if (c < 0x20) {
          const oct = c.toString(8).padStart(3, '0');
          out.push(0x5c, ...Buffer.from(oct, 'latin1'));
        } else out.push(c);
    }
  }
  out.push(0x29);
  return Buffer.from(out);
}

export function byteRangePlaceholderText(): string {
  const zeros = '0'.repeat(BYTE_RANGE_DIGITS);
  return `[${zeros} ${zeros} ${zeros} ${zeros}]`;
}

/** Writes `value`; streams are written by the object writer, never nested in a value. */
export function writeValue(w: ByteWriter, value: PdfValue, depth = 0): void {
  if (depth > 256) throw new KysoError('INTERNAL', 'A value to write nests too deeply.');
  if (value === null) return w.write('null');
  if (value === true) return w.write('true');
  if (value === false) return w.write('false');
  if (value instanceof PdfNumber) return w.write(formatNumber(value));
  if (value instanceof PdfName) return w.write(formatName(value.name));
  if (value instanceof PdfRef) return w.write(`${value.num} ${value.gen} R`);
  if (value instanceof PdfString) {
    return w.write(value.hex ? `<${value.bytes.toString('hex')}>` : formatLiteralString(value.bytes));
  }
  if (value instanceof PdfArray) {
    w.write('[');
    value.items.forEach((item, i) => {
      if (i > 0) w.write(' ');
      writeValue(w, item, depth + 1);
    });
    return w.write(']');
  }
  if (value instanceof PdfDict) {
    w.write('<<');
    let first = true;
    for (const [key, v] of value.entries()) {
      if (!first) w.write(' ');
      first = false;
      w.write(formatName(key));
      w.write(' ');
      writeValue(w, v, depth + 1);
    }
    return w.write('>>');
  }
  if (value instanceof PdfHexPlaceholder) {
    if (!Number.isSafeInteger(value.byteLength) || value.byteLength <= 0) {
      throw new KysoError('INTERNAL', 'A /Contents placeholder needs a positive byte length.');
    }
    const text = `<${'0'.repeat(value.byteLength * 2)}>`;
    w.placeholders.push({ id: value.id, kind: 'hex', offset: w.length, length: text.length });
    return w.write(text);
  }
  if (value instanceof PdfByteRangePlaceholder) {
    const text = byteRangePlaceholderText();
    w.placeholders.push({ id: value.id, kind: 'byteRange', offset: w.length, length: text.length });
    return w.write(text);
  }
  if (value instanceof PdfStream) {
    throw new KysoError('INTERNAL', 'A stream can only be written as an object of its own.');
  }
  throw new KysoError('INTERNAL', 'An unknown value cannot be written to a PDF file.');
}

/** The bytes of one value (placeholders are written but their positions are dropped). */
export function serializeValue(value: PdfValue): Buffer {
  const w = new ByteWriter();
  writeValue(w, value);
  return w.toBuffer();
}
