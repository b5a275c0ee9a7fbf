// A subset TrueType font embedded as a composite font (ISO 32000-1 §9.7): Type0 with Identity-H,
// a CIDFontType2 descendant whose CIDs are the subset's glyph IDs (CIDToGIDMap /Identity), /W
// widths, a FontFile2 holding only the glyphs drawn, and a ToUnicode CMap so that the text can be
// selected and extracted exactly. Characters map to glyphs one to one through the font's cmap (no
// shaping: NFC Vietnamese has a precomposed glyph for every letter), so extraction gives back the
// very string that was drawn.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Glyph, Subset } from '@cantoo/fontkit';
import {
  PdfStream,
  pdfArray,
  pdfDict,
  pdfInt,
  pdfName,
  PdfString,
  type IncrementalUpdate,
  type PdfRef,
  type PdfValue,
} from '../pdf/index.js';
import type { AppearanceFont } from './appearance-font.js';
import { toUnicodeCMap } from './to-unicode-cmap.js';

/** Text ready for a content stream: the hex string of 2-byte CIDs and its width at size 1. */
export interface EncodedText {
  readonly hex: string;
  readonly widthPerPoint: number;
}

export class EmbeddedFont {
  private readonly subset: Subset;
  /** CID (subset glyph id) → the characters it stands for and its advance (1/1000 em). */
  private readonly used = new Map<number, { text: string; advance: number }>();
  private readonly scale: number;
  private fontFile: Buffer | undefined;

  constructor(readonly source: AppearanceFont) {
    this.subset = source.font.createSubset();
    this.scale = 1000 / source.font.unitsPerEm;
  }

  /** One glyph per code point (the font's .notdef where it has none). */
  private glyphs(text: string): Array<{ glyph: Glyph; char: string }> {
    const out: Array<{ glyph: Glyph; char: string }> = [];
    for (const char of text.normalize('NFC')) {
      const cp = char.codePointAt(0)!;
      const glyph = this.source.font.glyphForCodePoint(cp) ?? this.source.font.getGlyph(0);
      if (glyph) out.push({ glyph, char });
    }
    return out;
  }

  /** The advance width of `text` at 1 pt. */
  widthOf(text: string): number {
    let w = 0;
    for (const { glyph } of this.glyphs(text)) w += glyph.advanceWidth * this.scale;
    return w / 1000;
  }

  /** Adds the glyphs of `text` to the subset and returns the string for Tj. */
  encode(text: string): EncodedText {
    let hex = '';
    let width = 0;
    for (const { glyph, char } of this.glyphs(text)) {
      const cid = this.subset.includeGlyph(glyph);
      const advance = Math.round(glyph.advanceWidth * this.scale);
      if (!this.used.has(cid)) this.used.set(cid, { text: glyph.id === 0 ? '\ufffd' : char, advance });
      hex += cid.toString(16).padStart(4, '0');
      width += advance;
    }
    return { hex, widthPerPoint: width / 1000 };
  }

  /** Ascent and descent at 1 pt (from hhea). */
  get ascent(): number {
    return (this.source.font.ascent * this.scale) / 1000;
  }
  get descent(): number {
    return (this.source.font.descent * this.scale) / 1000;
  }

  /** Writes the font objects into the update and returns the Type0 font's reference. */
  write(update: IncrementalUpdate): PdfRef {
    const font = this.source.font;
    // Encoded once: a retried signature builds its update again and must get the same bytes.
    this.fontFile ??= Buffer.from(this.subset.encode());
    const fontFile = this.fontFile;
    const cids = [...this.used.keys()].sort((a, b) => a - b);
    // The subset tag (§9.9.2): six capitals, here derived from the glyphs so equal subsets match.
    const digest = createHash('sha256').update(this.source.postscriptName).update(cids.join(',')).digest();
    const tag = [...digest.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
    const baseFont = pdfName(`${tag}+${this.source.postscriptName}`);
    const s = (v: number): PdfValue => pdfInt(Math.round(v * this.scale));

    const fileRef = update.allocate();
    update.set(
      fileRef,
      PdfStream.fromBytes(
        pdfDict({ Length1: pdfInt(fontFile.length), Filter: pdfName('FlateDecode') }),
        deflateSync(fontFile),
      ),
    );
    const descriptorRef = update.allocate();
    const bbox = font.bbox;
    update.set(
      descriptorRef,
      pdfDict({
        Type: pdfName('FontDescriptor'),
        FontName: baseFont,
        // Symbolic (glyphs outside the standard Latin set) and Serif.
        Flags: pdfInt(4 | 2),
        FontBBox: pdfArray(s(bbox.minX), s(bbox.minY), s(bbox.maxX), s(bbox.maxY)),
        ItalicAngle: pdfInt(Math.round(font.italicAngle)),
        Ascent: s(font.ascent),
        Descent: s(font.descent),
        CapHeight: s(font.capHeight || font.ascent),
        StemV: pdfInt(80),
        FontFile2: fileRef,
      }),
    );
    const widths: PdfValue[] = [];
    for (const cid of cids) widths.push(pdfInt(cid), pdfArray(pdfInt(this.used.get(cid)!.advance)));
    const cidFontRef = update.allocate();
    update.set(
      cidFontRef,
      pdfDict({
        Type: pdfName('Font'),
        Subtype: pdfName('CIDFontType2'),
        BaseFont: baseFont,
        CIDSystemInfo: pdfDict({
          Registry: new PdfString(Buffer.from('Adobe')),
          Ordering: new PdfString(Buffer.from('Identity')),
          Supplement: pdfInt(0),
        }),
        FontDescriptor: descriptorRef,
        DW: pdfInt(1000),
        W: pdfArray(...widths),
        CIDToGIDMap: pdfName('Identity'),
      }),
    );
    const toUnicodeRef = update.allocate();
    const cmap = toUnicodeCMap(new Map(cids.map((cid) => [cid, this.used.get(cid)!.text])));
    update.set(
      toUnicodeRef,
      PdfStream.fromBytes(pdfDict({ Filter: pdfName('FlateDecode') }), deflateSync(cmap)),
    );
    const ref = update.allocate();
    update.set(
      ref,
      pdfDict({
        Type: pdfName('Font'),
        Subtype: pdfName('Type0'),
        BaseFont: baseFont,
        Encoding: pdfName('Identity-H'),
        DescendantFonts: pdfArray(cidFontRef),
        ToUnicode: toUnicodeRef,
      }),
    );
    return ref;
  }
}
