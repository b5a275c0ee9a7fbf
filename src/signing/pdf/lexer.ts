// The PDF tokenizer: turns a window of bytes into tokens. It works on a window of the file, not the
// whole file, and says so (NeedMoreData) when a token may run past the window's end.
import { KysoError } from '../../shared/errors.js';

export type Token =
  | { readonly type: 'number'; readonly value: number; readonly isInt: boolean; readonly start: number }
  | { readonly type: 'name'; readonly value: string; readonly start: number }
  | { readonly type: 'string'; readonly bytes: Buffer; readonly hex: boolean; readonly start: number }
  | { readonly type: 'delim'; readonly value: '[' | ']' | '<<' | '>>' | '{' | '}'; readonly start: number }
  | { readonly type: 'keyword'; readonly value: string; readonly start: number }
  | { readonly type: 'eof'; readonly start: number };

/**
 * Thrown when the window ends inside a token and more of the file exists: the caller reads a larger
 * window and parses again. Never escapes the pdf module.
 */
export class NeedMoreData extends Error {
  constructor() {
    super('need more data');
    this.name = 'NeedMoreData';
  }
}

const WS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

export const isWhitespace = (c: number): boolean => WS[c] === 1;
export const isDelimiter = (c: number): boolean => DELIM[c] === 1;
/** Neither whitespace nor a delimiter: part of a name, number or keyword. */
export const isRegular = (c: number): boolean => WS[c] !== 1 && DELIM[c] !== 1;

/** Hex digit values by byte; 0xff for a byte that is not a hex digit. */
const HEX = new Uint8Array(256).fill(0xff);
for (let c = 0; c < 16; c++) {
  HEX[c.toString(16).charCodeAt(0)] = c;
  HEX[c.toString(16).toUpperCase().charCodeAt(0)] = c;
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

export class Lexer {
  pos: number;

  /**
   * @param buf the window
   * @param complete true when the window ends where the data ends (end of file or of a decoded
   *   stream); false when more bytes follow and a token cut at the end means NeedMoreData.
   */
  constructor(
    readonly buf: Uint8Array,
    readonly complete: boolean,
    start = 0,
  ) {
    this.pos = start;
  }

  private more(): never {
    throw new NeedMoreData();
  }

  /** Skips whitespace and comments. */
  skipWhitespace(): void {
    const buf = this.buf;
    for (;;) {
      while (this.pos < buf.length && WS[buf[this.pos]!] === 1) this.pos++;
      if (this.pos < buf.length && buf[this.pos] === 0x25 /* % */) {
        while (this.pos < buf.length && buf[this.pos] !== 0x0a && buf[this.pos] !== 0x0d) this.pos++;
        continue;
      }
      return;
    }
  }

  next(): Token {
    this.skipWhitespace();
    const buf = this.buf;
    const start = this.pos;
    if (start >= buf.length) {
      if (!this.complete) this.more();
      return { type: 'eof', start };
    }
    const c = buf[start]!;
    switch (c) {
      case 0x28: // (
        return this.literalString();
      case 0x3c: // <
        if (start + 1 >= buf.length && !this.complete) this.more();
        if (buf[start + 1] === 0x3c) {
          this.pos += 2;
          return { type: 'delim', value: '<<', start };
        }
        return this.hexString();
      case 0x3e: // >
        if (start + 1 >= buf.length && !this.complete) this.more();
        if (buf[start + 1] === 0x3e) {
          this.pos += 2;
          return { type: 'delim', value: '>>', start };
        }
        // A lone '>' is not a token; skip it rather than loop on it.
        this.pos++;
        return { type: 'keyword', value: '>', start };
      case 0x5b:
        this.pos++;
        return { type: 'delim', value: '[', start };
      case 0x5d:
        this.pos++;
        return { type: 'delim', value: ']', start };
      case 0x7b:
        this.pos++;
        return { type: 'delim', value: '{', start };
      case 0x7d:
        this.pos++;
        return { type: 'delim', value: '}', start };
      case 0x29: // a stray ')'
        this.pos++;
        return { type: 'keyword', value: ')', start };
      case 0x2f: // /
        return this.name();
      default:
        return this.regular();
    }
  }

  private regularRunEnd(from: number): number {
    const buf = this.buf;
    let p = from;
    while (p < buf.length && WS[buf[p]!] !== 1 && DELIM[buf[p]!] !== 1) p++;
    if (p >= buf.length && !this.complete) this.more();
    return p;
  }

  private regular(): Token {
    const start = this.pos;
    const end = this.regularRunEnd(start);
    this.pos = end;
    const buf = this.buf;
    // Integers are most of the tokens of a page's arrays, a font's widths and the references of
    // every dictionary: read their digits directly, without making a string. 15 digits stay exact.
    let p = start;
    const sign = buf[p];
    if (sign === 0x2d || sign === 0x2b) p++;
    if (p < end && end - p <= 15) {
      let value = 0;
      let q = p;
      for (; q < end; q++) {
        const digit = buf[q]! - 0x30;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
      if (q === end) return { type: 'number', value: sign === 0x2d ? -value : value, isInt: true, start };
    }
    if (end - start === 1 && buf[start] === 0x52) return { type: 'keyword', value: 'R', start };
    const text = Buffer.from(this.buf.buffer, this.buf.byteOffset + start, end - start).toString('latin1');
    if (NUMBER_RE.test(text)) {
      const isInt = !text.includes('.');
      return { type: 'number', value: Number(text), isInt, start };
    }
    // Some producers write "--5" or "5-"; treat such junk numbers the way viewers do.
    if (/^[+-]{2,}\d/.test(text)) {
      const v = Number(text.replace(/^[+-]+/, '-'));
      if (Number.isFinite(v)) return { type: 'number', value: v, isInt: !text.includes('.'), start };
    }
    return { type: 'keyword', value: text, start };
  }

  private name(): Token {
    const start = this.pos;
    const end = this.regularRunEnd(start + 1);
    this.pos = end;
    const buf = this.buf;
    let out = '';
    for (let p = start + 1; p < end; p++) {
      const ch = buf[p]!;
      if (ch === 0x23 /* # */ && p + 2 < end) {
        const h = HEX[buf[p + 1]!]!;
        const l = HEX[buf[p + 2]!]!;
        if (h !== 0xff && l !== 0xff) {
          out += String.fromCharCode(h * 16 + l);
          p += 2;
          continue;
        }
      }
      out += String.fromCharCode(ch);
    }
    return { type: 'name', value: out, start };
  }

  private literalString(): Token {
    const buf = this.buf;
    const start = this.pos;
    const out: number[] = [];
    let depth = 1;
    let p = start + 1;
    for (;;) {
      if (p >= buf.length) {
        if (!this.complete) this.more();
        throw new KysoError('PDF_MALFORMED', 'The PDF file contains a string that never ends.');
      }
      const ch = buf[p]!;
      if (ch === 0x5c /* \ */) {
        if (p + 1 >= buf.length) {
          if (!this.complete) this.more();
          p++;
          continue;
        }
        const e = buf[p + 1]!;
        p += 2;
        switch (e) {
          case 0x6e:
            out.push(0x0a);
            break;
          case 0x72:
            out.push(0x0d);
            break;
          case 0x74:
            out.push(0x09);
            break;
          case 0x62:
            out.push(0x08);
            break;
          case 0x66:
            out.push(0x0c);
            break;
          case 0x0d: // line continuation: backslash + EOL is dropped
            if (p < buf.length && buf[p] === 0x0a) p++;
            else if (p >= buf.length && !this.complete) this.more();
            break;
          case 0x0a:
            break;
          default:
            if (e >= 0x30 && e <= 0x37) {
              let v = e - 0x30;
              for (let k = 0; k < 2 && p < buf.length && buf[p]! >= 0x30 && buf[p]! <= 0x37; k++) {
                v = v * 8 + (buf[p]! - 0x30);
                p++;
              }
              if (p >= buf.length && !this.complete) this.more();
              out.push(v & 0xff);
            } else {
              out.push(e); // \( \) \\ and, per the spec, any other char stands for itself
            }
        }
        continue;
      }
      if (ch === 0x28) depth++;
      else if (ch === 0x29) {
        depth--;
        if (depth === 0) {
          this.pos = p + 1;
          return { type: 'string', bytes: Buffer.from(out), hex: false, start };
        }
      } else if (ch === 0x0d) {
        // An unescaped CR or CRLF inside a string reads as a single LF (PDF 32000-1, 7.3.4.2).
        if (p + 1 >= buf.length && !this.complete) this.more();
        if (buf[p + 1] === 0x0a) p++;
        out.push(0x0a);
        p++;
        continue;
      }
      out.push(ch);
      p++;
    }
  }

  private hexString(): Token {
    const buf = this.buf;
    const start = this.pos;
    // Find the end first: a signature's /Contents is tens of kilobytes of hex, and when the window
    // ends before the '>' the caller reads a larger window and lexes again — decoding then would be
    // wasted. One byte per two digits at most, so the output is allocated once.
    const close = buf.indexOf(0x3e, start + 1);
    if (close < 0) {
      if (!this.complete) this.more();
      throw new KysoError('PDF_MALFORMED', 'The PDF file contains a hex string that never ends.');
    }
    const out = Buffer.allocUnsafe((close - start) >> 1);
    let n = 0;
    let hi = -1;
    for (let p = start + 1; p < close; p++) {
      const v = HEX[buf[p]!]!;
      if (v === 0xff) continue; // whitespace, and junk that viewers skip as well
      if (hi < 0) hi = v;
      else {
        out[n++] = hi * 16 + v;
        hi = -1;
      }
    }
    if (hi >= 0) out[n++] = hi * 16; // an odd digit count: the last digit is followed by an implied 0
    this.pos = close + 1;
    return { type: 'string', bytes: out.subarray(0, n), hex: true, start };
  }
}
