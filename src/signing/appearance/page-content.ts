// Reads a page's (or a form's) content stream far enough to know where its text and its images lie
// in user space (ISO 32000-1 §8.4–8.10, §9.4): the graphics state stack and CTM, the text state and
// text matrices, the text-showing operators, and form XObjects drawn with Do. Used to find an anchor
// text such as "CHỦ TỊCH" and the personal signature image a seal must overlap.
import { isKysoError } from '../../shared/errors.js';
import { Lexer, ObjectParser } from '../pdf/index.js';
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfNumber,
  PdfRef,
  PdfStream,
  PdfString,
  type PdfPage,
  type PdfReader,
  type PdfRect,
  type PdfValue,
} from '../pdf/index.js';
import { fontDecoder, type FontDecoder } from './font-decoder.js';
import type { Matrix } from './placement.js';

export interface PlacedGlyph {
  /** The text the glyph stands for (may be empty or several characters). */
  readonly text: string;
  /** Its box in default user space. */
  readonly box: PdfRect;
}

export interface PlacedImage {
  readonly box: PdfRect;
  readonly width: number;
  readonly height: number;
}

export interface ContentScan {
  readonly glyphs: PlacedGlyph[];
  readonly images: PlacedImage[];
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const MAX_CONTENT_BYTES = 64 * 1024 * 1024;
const MAX_FORM_DEPTH = 8;
const MAX_OPERATIONS = 5_000_000;

/** m1 then m2. */
export function multiply(m1: Matrix, m2: Matrix): Matrix {
  const [a1, b1, c1, d1, e1, f1] = m1;
  const [a2, b2, c2, d2, e2, f2] = m2;
  return [
    a1 * a2 + b1 * c2,
    a1 * b2 + b1 * d2,
    c1 * a2 + d1 * c2,
    c1 * b2 + d1 * d2,
    e1 * a2 + f1 * c2 + e2,
    e1 * b2 + f1 * d2 + f2,
  ];
}

export function transformPoint(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** The bounding box of a rectangle after a transformation. */
export function transformRect(m: Matrix, r: PdfRect): PdfRect {
  const pts = [
    transformPoint(m, r[0], r[1]),
    transformPoint(m, r[2], r[1]),
    transformPoint(m, r[0], r[3]),
    transformPoint(m, r[2], r[3]),
  ];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

async function matrixOf(reader: PdfReader, value: PdfValue | undefined): Promise<Matrix | null> {
  const v = await reader.resolve(value ?? null);
  if (!(v instanceof PdfArray) || v.length !== 6) return null;
  const n: number[] = [];
  for (const item of v.items) {
    const x = await reader.resolve(item);
    if (!(x instanceof PdfNumber)) return null;
    n.push(x.value);
  }
  return n as unknown as Matrix;
}

async function rectOf(reader: PdfReader, value: PdfValue | undefined): Promise<PdfRect | null> {
  const v = await reader.resolve(value ?? null);
  if (!(v instanceof PdfArray) || v.length !== 4) return null;
  const n: number[] = [];
  for (const item of v.items) {
    const x = await reader.resolve(item);
    if (!(x instanceof PdfNumber)) return null;
    n.push(x.value);
  }
  const [a, b, c, d] = n as [number, number, number, number];
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}

interface TextState {
  ctm: Matrix;
  font: FontDecoder | null;
  size: number;
  charSpacing: number;
  wordSpacing: number;
  scale: number;
  leading: number;
  rise: number;
}

class Scanner {
  readonly glyphs: PlacedGlyph[] = [];
  readonly images: PlacedImage[] = [];
  private operations = 0;
  private readonly decoders = new Map<PdfDict, FontDecoder>();

  constructor(private readonly reader: PdfReader) {}

  private async decoder(resources: PdfDict | null, name: string): Promise<FontDecoder | null> {
    const fonts = await this.reader.resolve(resources?.get('Font') ?? null);
    if (!(fonts instanceof PdfDict)) return null;
    const font = await this.reader.resolve(fonts.get(name) ?? null);
    if (!(font instanceof PdfDict)) return null;
    let d = this.decoders.get(font);
    if (!d) {
      d = await fontDecoder(this.reader, font);
      this.decoders.set(font, d);
    }
    return d;
  }

  async streamBytes(value: PdfValue | undefined): Promise<Buffer> {
    const v = await this.reader.resolve(value ?? null);
    const streams = v instanceof PdfArray ? v.items : [v];
    const parts: Buffer[] = [];
    for (const item of streams) {
      const s = await this.reader.resolve(item);
      if (!(s instanceof PdfStream)) continue;
      const data = await this.reader.getStreamData(s, { decode: true, maxBytes: MAX_CONTENT_BYTES });
      if (data.remainingFilters.length > 0) continue;
      parts.push(data.bytes, Buffer.from('\n'));
    }
    return Buffer.concat(parts);
  }

  async run(
    content: Buffer,
    resources: PdfDict | null,
    ctm: Matrix,
    forms: ReadonlySet<string>,
  ): Promise<void> {
    const lexer = new Lexer(content, true, 0);
    const parser = new ObjectParser(lexer);
    const operands: PdfValue[] = [];
    const stack: TextState[] = [];
    let gs: TextState = {
      ctm,
      font: null,
      size: 0,
      charSpacing: 0,
      wordSpacing: 0,
      scale: 1,
      leading: 0,
      rise: 0,
    };
    let tm: Matrix = IDENTITY;
    let tlm: Matrix = IDENTITY;
    const n = (i: number): number => {
      const v = operands[operands.length - i];
      return v instanceof PdfNumber ? v.value : 0;
    };
    const moveLine = (tx: number, ty: number): void => {
      tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
      tm = tlm;
    };
    const show = (bytes: Buffer): void => {
      const font = gs.font;
      if (font === null) return;
      const step = font.bytesPerCode;
      for (let i = 0; i + step <= bytes.length; i += step) {
        const code = step === 2 ? bytes.readUInt16BE(i) : bytes[i]!;
        const w0 = font.width(code);
        const glyphMatrix = multiply(tm, gs.ctm);
        const box = transformRect(glyphMatrix, [
          0,
          gs.rise + font.descent * gs.size,
          w0 * gs.size * gs.scale,
          gs.rise + font.ascent * gs.size,
        ]);
        this.glyphs.push({ text: font.text(code), box });
        const tx =
          (w0 * gs.size + gs.charSpacing + (step === 1 && code === 32 ? gs.wordSpacing : 0)) * gs.scale;
        tm = multiply([1, 0, 0, 1, tx, 0], tm);
      }
    };
    for (;;) {
      if (++this.operations > MAX_OPERATIONS) return;
      const start = lexer.pos;
      const t = lexer.next();
      if (t.type === 'eof') return;
      if (t.type === 'number') {
        operands.push(new PdfNumber(t.value, !t.isInt));
        continue;
      }
      if (t.type === 'string') {
        operands.push(new PdfString(t.bytes, t.hex));
        continue;
      }
      if (t.type === 'name') {
        operands.push(new PdfName(t.value));
        continue;
      }
      if (t.type === 'delim') {
        if (t.value === '[' || t.value === '<<') {
          lexer.pos = start;
          operands.push(parser.parseValue());
        }
        continue;
      }
      const op = t.value;
      switch (op) {
        case 'q':
          if (stack.length < 256) stack.push({ ...gs });
          break;
        case 'Q':
          gs = stack.pop() ?? gs;
          break;
        case 'cm':
          gs.ctm = multiply([n(6), n(5), n(4), n(3), n(2), n(1)], gs.ctm);
          break;
        case 'BT':
          tm = IDENTITY;
          tlm = IDENTITY;
          break;
        case 'Tf': {
          const name = operands[operands.length - 2];
          gs.font = name instanceof PdfName ? await this.decoder(resources, name.name) : null;
          gs.size = n(1);
          break;
        }
        case 'Tc':
          gs.charSpacing = n(1);
          break;
        case 'Tw':
          gs.wordSpacing = n(1);
          break;
        case 'Tz':
          gs.scale = n(1) / 100;
          break;
        case 'TL':
          gs.leading = n(1);
          break;
        case 'Ts':
          gs.rise = n(1);
          break;
        case 'Td':
          moveLine(n(2), n(1));
          break;
        case 'TD':
          gs.leading = -n(1);
          moveLine(n(2), n(1));
          break;
        case 'Tm':
          tm = [n(6), n(5), n(4), n(3), n(2), n(1)];
          tlm = tm;
          break;
        case 'T*':
          moveLine(0, -gs.leading);
          break;
        case 'Tj':
        case "'":
        case '"': {
          if (op === '"') {
            gs.wordSpacing = n(3);
            gs.charSpacing = n(2);
          }
          if (op !== 'Tj') moveLine(0, -gs.leading);
          const s = operands[operands.length - 1];
          if (s instanceof PdfString) show(s.bytes);
          break;
        }
        case 'TJ': {
          const arr = operands[operands.length - 1];
          if (arr instanceof PdfArray) {
            for (const item of arr.items) {
              if (item instanceof PdfNumber) {
                tm = multiply([1, 0, 0, 1, (-item.value / 1000) * gs.size * gs.scale, 0], tm);
              } else if (item instanceof PdfString) {
                show(item.bytes);
              }
            }
          }
          break;
        }
        case 'Do': {
          const name = operands[operands.length - 1];
          if (name instanceof PdfName) await this.draw(resources, name.name, gs.ctm, forms);
          break;
        }
        case 'BI':
          skipInlineImage(lexer, content);
          break;
        default:
          if (op === 'true' || op === 'false' || op === 'null') {
            operands.push(op === 'null' ? null : op === 'true');
            continue;
          }
      }
      operands.length = 0;
    }
  }

  private async draw(
    resources: PdfDict | null,
    name: string,
    ctm: Matrix,
    forms: ReadonlySet<string>,
  ): Promise<void> {
    const xobjects = await this.reader.resolve(resources?.get('XObject') ?? null);
    if (!(xobjects instanceof PdfDict)) return;
    const raw = xobjects.get(name);
    const key = raw instanceof PdfRef ? raw.key : `direct:${name}`;
    const x = await this.reader.resolve(raw ?? null);
    if (!(x instanceof PdfStream)) return;
    const subtype = x.dict.getName('Subtype');
    if (subtype === 'Image') {
      this.images.push({
        box: transformRect(ctm, [0, 0, 1, 1]),
        width: x.dict.getInt('Width') ?? 0,
        height: x.dict.getInt('Height') ?? 0,
      });
      return;
    }
    if (subtype !== 'Form' || forms.has(key) || forms.size >= MAX_FORM_DEPTH) return;
    const matrix = (await matrixOf(this.reader, x.dict.get('Matrix'))) ?? IDENTITY;
    const formResources = await this.reader.resolve(x.dict.get('Resources') ?? null);
    const content = await this.streamBytes(x);
    await this.run(
      content,
      formResources instanceof PdfDict ? formResources : resources,
      multiply(matrix, ctm),
      new Set([...forms, key]),
    );
  }
}

/** Skips `… ID <data> EI` after BI: the data ends at whitespace, "EI", whitespace (or the end). */
function skipInlineImage(lexer: Lexer, content: Buffer): void {
  for (let i = 0; i < 1000; i++) {
    const t = lexer.next();
    if (t.type === 'eof') return;
    if (t.type === 'keyword' && t.value === 'ID') break;
  }
  let p = lexer.pos + 1;
  const isWs = (c: number | undefined): boolean =>
    c === undefined || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
  while (p < content.length) {
    if (content[p] === 0x45 && content[p + 1] === 0x49 && isWs(content[p - 1]) && isWs(content[p + 2])) {
      lexer.pos = p + 2;
      return;
    }
    p++;
  }
  lexer.pos = content.length;
}

async function safely(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    // A damaged content stream: keep what was read before the damage, as viewers do.
    if (!isKysoError(err)) throw err;
  }
}

/** The text and images of a page, in user space. */
export async function scanPage(reader: PdfReader, page: PdfPage): Promise<ContentScan> {
  const scanner = new Scanner(reader);
  await safely(async () => {
    const content = await scanner.streamBytes(page.dict.get('Contents'));
    await scanner.run(content, page.resources, IDENTITY, new Set());
  });
  return { glyphs: scanner.glyphs, images: scanner.images };
}

/**
 * The text and images of an annotation's appearance stream, placed in the annotation's /Rect the
 * way viewers place it (§12.5.5, Algorithm 8.1: BBox through Matrix, then fitted to Rect).
 */
export async function scanAppearance(
  reader: PdfReader,
  appearance: PdfStream,
  rect: PdfRect,
): Promise<ContentScan> {
  const scanner = new Scanner(reader);
  await safely(async () => {
    const matrix = (await matrixOf(reader, appearance.dict.get('Matrix'))) ?? IDENTITY;
    const bbox = await rectOf(reader, appearance.dict.get('BBox'));
    if (bbox === null) return;
    const t = transformRect(matrix, bbox);
    const tw = t[2] - t[0];
    const th = t[3] - t[1];
    if (tw <= 0 || th <= 0) return;
    const sx = (rect[2] - rect[0]) / tw;
    const sy = (rect[3] - rect[1]) / th;
    const fit: Matrix = [sx, 0, 0, sy, rect[0] - t[0] * sx, rect[1] - t[1] * sy];
    const resources = await reader.resolve(appearance.dict.get('Resources') ?? null);
    const content = await scanner.streamBytes(appearance);
    await scanner.run(
      content,
      resources instanceof PdfDict ? resources : null,
      multiply(matrix, fit),
      new Set(),
    );
  });
  return { glyphs: scanner.glyphs, images: scanner.images };
}

/** Reads a rectangle array (resolving references), normalised; null when it is not one. */
export function readRect(reader: PdfReader, value: PdfValue | undefined): Promise<PdfRect | null> {
  return rectOf(reader, value);
}

/**
 * Where `needle` is drawn: the box of the last occurrence in content order, matched without regard
 * to spaces or Unicode normalisation, exactly first and then ignoring case. Null when absent.
 */
export function findText(glyphs: readonly PlacedGlyph[], needle: string): PdfRect | null {
  const target = [...needle.normalize('NFD')].filter((c) => !/\s/u.test(c));
  if (target.length === 0) return null;
  const chars: Array<{ c: string; glyph: number }> = [];
  glyphs.forEach((g, i) => {
    for (const c of g.text.normalize('NFD')) if (!/\s/u.test(c)) chars.push({ c, glyph: i });
  });
  for (const fold of [(s: string) => s, (s: string) => s.toLowerCase()]) {
    const t = target.map(fold);
    for (let start = chars.length - t.length; start >= 0; start--) {
      let ok = true;
      for (let k = 0; k < t.length && ok; k++) ok = fold(chars[start + k]!.c) === t[k];
      if (!ok) continue;
      const first = chars[start]!.glyph;
      const last = chars[start + t.length - 1]!.glyph;
      let box: PdfRect = glyphs[first]!.box;
      for (let g = first + 1; g <= last; g++) {
        const b = glyphs[g]!.box;
        box = [
          Math.min(box[0], b[0]),
          Math.min(box[1], b[1]),
          Math.max(box[2], b[2]),
          Math.max(box[3], b[3]),
        ];
      }
      return box;
    }
  }
  return null;
}
