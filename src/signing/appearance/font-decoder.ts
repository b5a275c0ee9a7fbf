// What the anchor search needs from a page's fonts (ISO 32000-1 §9.5–9.10): how many bytes a code
// takes, the text a code stands for (ToUnicode first, then the simple font's encoding and glyph
// names), and its advance width. Enough for documents from office suites, pdf-lib and scanners'
// OCR layers; it is not a renderer.
import { Lexer } from '../pdf/index.js';
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfNumber,
  PdfStream,
  type PdfReader,
  type PdfValue,
} from '../pdf/index.js';

export interface FontDecoder {
  /** 1 for simple fonts, 2 for composite fonts. */
  readonly bytesPerCode: 1 | 2;
  /** The text of a code; '' when unknown. */
  text(code: number): string;
  /** Advance width in fractions of an em (glyph space units / 1000). */
  width(code: number): number;
  /** Ascent and descent as fractions of an em. */
  readonly ascent: number;
  readonly descent: number;
}

const MAX_CMAP_BYTES = 4 * 1024 * 1024;

async function num(reader: PdfReader, v: PdfValue | undefined): Promise<number | undefined> {
  const r = await reader.resolve(v ?? null);
  return r instanceof PdfNumber ? r.value : undefined;
}

/** Parses the bfchar and bfrange sections of a ToUnicode CMap. */
export function parseToUnicode(bytes: Buffer): Map<number, string> {
  const map = new Map<number, string>();
  const lexer = new Lexer(bytes, true, 0);
  const utf16 = (b: Buffer): string => {
    let s = '';
    for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i));
    if (b.length % 2 === 1) s += String.fromCharCode(b[b.length - 1]!);
    return s;
  };
  const code = (b: Buffer): number => b.reduce((n, x) => n * 256 + x, 0);
  let mode: 'none' | 'char' | 'range' = 'none';
  const pending: Array<Buffer | Buffer[]> = [];
  for (let guard = 0; guard < 2_000_000; guard++) {
    let t;
    try {
      t = lexer.next();
    } catch {
      break;
    }
    if (t.type === 'eof') break;
    if (t.type === 'keyword') {
      if (t.value === 'beginbfchar') mode = 'char';
      else if (t.value === 'beginbfrange') mode = 'range';
      else if (t.value === 'endbfchar' || t.value === 'endbfrange') mode = 'none';
      pending.length = 0;
      continue;
    }
    if (mode === 'none') continue;
    if (t.type === 'string') pending.push(t.bytes);
    else if (t.type === 'delim' && t.value === '[') {
      const items: Buffer[] = [];
      for (;;) {
        const u = lexer.next();
        if (u.type === 'string') items.push(u.bytes);
        else break;
      }
      pending.push(items);
    }
    if (mode === 'char' && pending.length === 2) {
      const [src, dst] = pending as [Buffer, Buffer];
      map.set(code(src), utf16(dst));
      pending.length = 0;
    } else if (mode === 'range' && pending.length === 3) {
      const [lo, hi, dst] = pending as [Buffer, Buffer, Buffer | Buffer[]];
      const a = code(lo);
      const b = Math.min(code(hi), a + 65535);
      for (let c = a; c <= b; c++) {
        if (Array.isArray(dst)) {
          const d = dst[c - a];
          if (d) map.set(c, utf16(d));
        } else {
          const s = utf16(dst);
          if (s.length === 0) continue;
          map.set(c, s.slice(0, -1) + String.fromCharCode(s.charCodeAt(s.length - 1) + (c - a)));
        }
      }
      pending.length = 0;
    }
  }
  return map;
}

// WinAnsiEncoding (Annex D) 0x80–0x9F; 0x20–0x7E and 0xA0–0xFF are Latin-1.
const WIN_ANSI_HIGH: Readonly<Record<number, number>> = {
  0x80: 0x20ac,
  0x82: 0x201a,
  0x83: 0x0192,
  0x84: 0x201e,
  0x85: 0x2026,
  0x86: 0x2020,
  0x87: 0x2021,
  0x88: 0x02c6,
  0x89: 0x2030,
  0x8a: 0x0160,
  0x8b: 0x2039,
  0x8c: 0x0152,
  0x8e: 0x017d,
  0x91: 0x2018,
  0x92: 0x2019,
  0x93: 0x201c,
  0x94: 0x201d,
  0x95: 0x2022,
  0x96: 0x2013,
  0x97: 0x2014,
  0x98: 0x02dc,
  0x99: 0x2122,
  0x9a: 0x0161,
  0x9b: 0x203a,
  0x9c: 0x0153,
  0x9e: 0x017e,
  0x9f: 0x0178,
};

function winAnsi(code: number): string {
  if (code >= 0x20 && code <= 0x7e) return String.fromCharCode(code);
  if (code >= 0xa0) return String.fromCharCode(code);
  const cp = WIN_ANSI_HIGH[code];
  return cp === undefined ? '' : String.fromCharCode(cp);
}

const NAMED: Readonly<Record<string, string>> = {
  space: ' ',
  exclam: '!',
  quotedbl: '"',
  numbersign: '#',
  dollar: '$',
  percent: '%',
  ampersand: '&',
  quotesingle: "'",
  quoteright: '\u2019',
  quoteleft: '\u2018',
  parenleft: '(',
  parenright: ')',
  asterisk: '*',
  plus: '+',
  comma: ',',
  hyphen: '-',
  period: '.',
  slash: '/',
  zero: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  colon: ':',
  semicolon: ';',
  less: '<',
  equal: '=',
  greater: '>',
  question: '?',
  at: '@',
  bracketleft: '[',
  backslash: '\\',
  bracketright: ']',
  asciicircum: '^',
  underscore: '_',
  grave: '`',
  braceleft: '{',
  bar: '|',
  braceright: '}',
  asciitilde: '~',
  endash: '\u2013',
  emdash: '\u2014',
  bullet: '\u2022',
  ellipsis: '\u2026',
  quotedblleft: '\u201c',
  quotedblright: '\u201d',
  nbspace: '\u00a0',
  dcroat: '\u0111',
  Dcroat: '\u0110',
  dotlessi: '\u0131',
  germandbls: '\u00df',
  ae: '\u00e6',
  AE: '\u00c6',
  oslash: '\u00f8',
  Oslash: '\u00d8',
  degree: '\u00b0',
};

/** Accent words of Adobe glyph names, as combining marks. */
const ACCENTS: ReadonlyArray<readonly [string, string]> = [
  ['circumflex', '\u0302'],
  ['hookabove', '\u0309'],
  ['dotbelow', '\u0323'],
  ['dieresis', '\u0308'],
  ['cedilla', '\u0327'],
  ['macron', '\u0304'],
  ['ogonek', '\u0328'],
  ['acute', '\u0301'],
  ['grave', '\u0300'],
  ['tilde', '\u0303'],
  ['breve', '\u0306'],
  ['caron', '\u030c'],
  ['horn', '\u031b'],
  ['ring', '\u030a'],
  ['dotaccent', '\u0307'],
];

/** The text of a glyph name: uniXXXX, uXXXX[XX], Adobe names, letters with accent words. */
export function glyphNameToText(name: string): string {
  const base = name.split('.')[0] ?? '';
  if (base.includes('_')) return base.split('_').map(glyphNameToText).join('');
  const direct = NAMED[base];
  if (direct !== undefined) return direct;
  let m = /^uni((?:[0-9A-F]{4})+)$/.exec(base);
  if (m) return (m[1]!.match(/.{4}/g) ?? []).map((h) => String.fromCharCode(parseInt(h, 16))).join('');
  m = /^u([0-9A-F]{4,6})$/.exec(base);
  if (m) return String.fromCodePoint(parseInt(m[1]!, 16));
  m = /^([A-Za-z])(.*)$/.exec(base);
  if (!m) return '';
  let rest = m[2]!;
  let text = m[1]!;
  while (rest.length > 0) {
    const accent = ACCENTS.find(([word]) => rest.startsWith(word));
    if (!accent) return '';
    text += accent[1];
    rest = rest.slice(accent[0].length);
  }
  return text.normalize('NFC');
}

// Advance widths (1/1000 em) of two standard fonts for codes 32–126 (Adobe AFM), used when a simple
// font omits /Widths; others fall back to half an em.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const TIMES = [
  250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500,
  500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333,
  389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469,
  500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389,
  278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

function standardWidth(baseFont: string, code: number): number {
  if (/Courier/i.test(baseFont)) return 600;
  const table = /Times|Serif/i.test(baseFont) ? TIMES : HELVETICA;
  return code >= 32 && code <= 126 ? table[code - 32]! : 500;
}

async function toUnicodeOf(reader: PdfReader, font: PdfDict): Promise<Map<number, string> | null> {
  const stream = await reader.resolve(font.get('ToUnicode') ?? null);
  if (!(stream instanceof PdfStream)) return null;
  try {
    const data = await reader.getStreamData(stream, { decode: true, maxBytes: MAX_CMAP_BYTES });
    return data.remainingFilters.length === 0 ? parseToUnicode(data.bytes) : null;
  } catch {
    return null; // a damaged CMap: fall back to the encoding
  }
}

async function descriptorMetrics(
  reader: PdfReader,
  font: PdfDict,
): Promise<{ ascent: number; descent: number; missing: number }> {
  const d = await reader.resolve(font.get('FontDescriptor') ?? null);
  if (!(d instanceof PdfDict)) return { ascent: 0.8, descent: -0.2, missing: 0 };
  const ascent = (await num(reader, d.get('Ascent'))) ?? 800;
  const descent = (await num(reader, d.get('Descent'))) ?? -200;
  return {
    ascent: ascent > 0 ? ascent / 1000 : 0.8,
    descent: descent < 0 ? descent / 1000 : -0.2,
    missing: (await num(reader, d.get('MissingWidth'))) ?? 0,
  };
}

/** Builds the decoder of a font dictionary from a page's or form's resources. */
export async function fontDecoder(reader: PdfReader, font: PdfDict): Promise<FontDecoder> {
  const toUnicode = await toUnicodeOf(reader, font);
  const subtype = font.getName('Subtype');
  if (subtype === 'Type0') {
    const descendants = await reader.resolve(font.get('DescendantFonts') ?? null);
    const cidFont =
      descendants instanceof PdfArray ? await reader.resolve(descendants.items[0] ?? null) : null;
    const widths = new Map<number, number>();
    let dw = 1000;
    let metrics = { ascent: 0.8, descent: -0.2 };
    if (cidFont instanceof PdfDict) {
      dw = (await num(reader, cidFont.get('DW'))) ?? 1000;
      metrics = await descriptorMetrics(reader, cidFont);
      const w = await reader.resolve(cidFont.get('W') ?? null);
      if (w instanceof PdfArray) {
        const items = w.items;
        for (let i = 0; i < items.length && widths.size < 100_000;) {
          const first = await num(reader, items[i]);
          const next = await reader.resolve(items[i + 1] ?? null);
          if (first === undefined) break;
          if (next instanceof PdfArray) {
            for (let k = 0; k < next.items.length; k++)
              widths.set(first + k, (await num(reader, next.items[k])) ?? dw);
            i += 2;
          } else {
            const last = next instanceof PdfNumber ? next.value : first;
            const width = (await num(reader, items[i + 2])) ?? dw;
            for (let c = first; c <= Math.min(last, first + 65535); c++) widths.set(c, width);
            i += 3;
          }
        }
      }
    }
    return {
      bytesPerCode: 2,
      text: (code) => toUnicode?.get(code) ?? '',
      width: (code) => (widths.get(code) ?? dw) / 1000,
      ascent: metrics.ascent,
      descent: metrics.descent,
    };
  }

  // Simple fonts: Type1, MMType1, TrueType, Type3.
  const baseFont = font.getName('BaseFont') ?? '';
  const encoding = await reader.resolve(font.get('Encoding') ?? null);
  const differences = new Map<number, string>();
  if (encoding instanceof PdfDict) {
    const diff = await reader.resolve(encoding.get('Differences') ?? null);
    if (diff instanceof PdfArray) {
      let code = 0;
      for (const item of diff.items) {
        if (item instanceof PdfNumber) code = item.value;
        else if (item instanceof PdfName) differences.set(code++, glyphNameToText(item.name));
      }
    }
  }
  const firstChar = (await num(reader, font.get('FirstChar'))) ?? 0;
  const widthsValue = await reader.resolve(font.get('Widths') ?? null);
  const widths: number[] = [];
  if (widthsValue instanceof PdfArray) {
    for (const item of widthsValue.items.slice(0, 256)) widths.push((await num(reader, item)) ?? 0);
  }
  const metrics = await descriptorMetrics(reader, font);
  const fontMatrix = subtype === 'Type3' ? await reader.resolve(font.get('FontMatrix') ?? null) : null;
  const type3Scale =
    fontMatrix instanceof PdfArray && fontMatrix.items[0] instanceof PdfNumber
      ? fontMatrix.items[0].value * 1000
      : 1;
  return {
    bytesPerCode: 1,
    text: (code) => toUnicode?.get(code) ?? differences.get(code) ?? winAnsi(code),
    width: (code) => {
      const w = widths[code - firstChar];
      if (w !== undefined) return (w * type3Scale) / 1000;
      if (widths.length > 0) return metrics.missing / 1000;
      return standardWidth(baseFont, code) / 1000;
    },
    ascent: metrics.ascent,
    descent: metrics.descent,
  };
}
