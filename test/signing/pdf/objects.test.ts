// Unit tests of the object model, the lexer/parser, the serializer, stream decoding and placeholders.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KysoError } from '../../../src/shared/errors.js';
import { Lexer, NeedMoreData } from '../../../src/signing/pdf/lexer.js';
import { parseIndirectHeader, parseValueAt } from '../../../src/signing/pdf/object-parser.js';
import {
  BYTE_RANGE_LENGTH,
  PdfArray,
  PdfByteRangePlaceholder,
  PdfDict,
  PdfHexPlaceholder,
  PdfName,
  PdfNumber,
  PdfRef,
  PdfString,
  byteRangeAround,
  decodeTextString,
  patchByteRange,
  patchHexContents,
  pdfDict,
  pdfInt,
  pdfReal,
  pdfTextString,
  serializeValue,
} from '../../../src/signing/pdf/index.js';
import { ByteWriter, formatNumber, writeValue } from '../../../src/signing/pdf/serializer.js';
import { applyPredictor, decodeStream, inflateLimited } from '../../../src/signing/pdf/stream-decoder.js';
import { parseTable, parseXrefStreamData } from '../../../src/signing/pdf/xref.js';

const parse = (s: string): unknown => parseValueAt(Buffer.from(s, 'latin1')).value;
const bytesOf = (v: unknown): string =>
  v instanceof PdfString ? v.bytes.toString('latin1') : 'not a string';

describe('lexer and parser', () => {
  it('parses literal strings with every escape, nesting and line continuation', () => {
    expect(bytesOf(parse('(a\\nb\\rc\\td\\be\\ff\\(\\)\\\\)'))).toBe('a\nb\rc\td\be\ff()\\');
    expect(bytesOf(parse('(\\101\\60\\0061)'))).toBe('A0\x061');
    expect(bytesOf(parse('(nested (parens) ok)'))).toBe('nested (parens) ok');
    expect(bytesOf(parse('(line\\\ncontinued\\\r\nagain)'))).toBe('linecontinuedagain');
    expect(bytesOf(parse('(cr\rcrlf\r\nlf\n)'))).toBe('cr\ncrlf\nlf\n');
    expect(bytesOf(parse('(unknown \\q escape)'))).toBe('unknown q escape');
  });

  it('parses hex strings with whitespace and an odd digit count', () => {
    const s = parse('<48 65\n6c6C 6f7>') as PdfString;
    expect(s.hex).toBe(true);
    expect(s.bytes).toEqual(Buffer.from([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x70]));
  });

  it('decodes #xx in names and keeps numbers integer or real', () => {
    expect((parse('/A#20B#2Fc') as PdfName).name).toBe('A B/c');
    expect(parse('42')).toEqual(new PdfNumber(42, false));
    expect(parse('-.5')).toEqual(new PdfNumber(-0.5, true));
    expect(parse('3.')).toEqual(new PdfNumber(3, true));
  });

  it('parses references, arrays, dictionaries and comments', () => {
    const v = parse('<< /Type /Page % a comment\n /Kids [1 0 R 2 0 R 3] /N null /B true /D << /X 1 >> >>');
    expect(v).toBeInstanceOf(PdfDict);
    const d = v as PdfDict;
    expect(d.getName('Type')).toBe('Page');
    const kids = d.get('Kids') as PdfArray;
    expect(kids.items[0]).toEqual(new PdfRef(1, 0));
    expect(kids.items[1]).toEqual(new PdfRef(2, 0));
    expect(kids.items[2]).toEqual(new PdfNumber(3));
    expect(d.get('N')).toBeNull();
    expect(d.get('B')).toBe(true);
    expect([...d.keys()]).toEqual(['Type', 'Kids', 'N', 'B', 'D']);
  });

  it('signals NeedMoreData at a window end and parses once complete', () => {
    const text = Buffer.from('1 0 obj << /A (abc', 'latin1');
    expect(() => parseIndirectHeader(text, 0, false)).toThrow(NeedMoreData);
    expect(() => parseIndirectHeader(text, 0, true)).toThrow(KysoError);
    const lexer = new Lexer(Buffer.from('123', 'latin1'), false);
    expect(() => lexer.next()).toThrow(NeedMoreData);
  });

  it('finds stream data after CRLF or LF and tolerates a missing endobj', () => {
    const crlf = parseIndirectHeader(
      Buffer.from('7 0 obj <</Length 3>> stream\r\nabc\r\nendstream endobj', 'latin1'),
      100,
      true,
    );
    expect(crlf?.num).toBe(7);
    expect(crlf?.streamStart).toBe(100 + 30);
    const lf = parseIndirectHeader(Buffer.from('7 0 obj<</Length 3>>stream\nabc', 'latin1'), 0, true);
    expect(lf?.streamStart).toBe(27);
    const noEnd = parseIndirectHeader(Buffer.from('8 0 obj (x) 9 0 obj', 'latin1'), 0, true);
    expect(noEnd?.value).toBeInstanceOf(PdfString);
    expect(parseIndirectHeader(Buffer.from('xref', 'latin1'), 0, true)).toBeNull();
  });

  it('rejects absurd nesting with PDF_MALFORMED instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000);
    expect(() => parse(deep)).toThrow(expect.objectContaining({ code: 'PDF_MALFORMED' }));
  });

  it('parses classic xref tables with 19- and 21-byte entries and the off-by-one first subsection', () => {
    const table =
      'xref\n1 3\n0000000000 65535 f\n0000000015 00000 n \r\n0000000099 00001 n\r\ntrailer\n<< /Size 3 /Root 1 0 R >>';
    const t = parseTable(Buffer.from(table, 'latin1'), true);
    expect(t.entries.get(0)).toEqual({ type: 'free' });
    expect(t.entries.get(1)).toEqual({ type: 'offset', offset: 15, gen: 0 });
    expect(t.entries.get(2)).toEqual({ type: 'offset', offset: 99, gen: 1 });
    expect(t.trailer.getInt('Size')).toBe(3);
  });

  it('decodes xref stream rows with /W and /Index', () => {
    const dict = pdfDict({
      W: new PdfArray([pdfInt(1), pdfInt(2), pdfInt(1)]),
      Index: new PdfArray([pdfInt(3), pdfInt(2)]),
    });
    const data = Buffer.from([1, 0x01, 0x00, 0, 2, 0x00, 0x09, 4]);
    const entries = parseXrefStreamData(data, dict);
    expect(entries.get(3)).toEqual({ type: 'offset', offset: 256, gen: 0 });
    expect(entries.get(4)).toEqual({ type: 'compressed', stream: 9, index: 4 });
  });
});

describe('text strings', () => {
  it('writes ASCII as plain bytes and anything else as UTF-16BE with a BOM', () => {
    expect(pdfTextString('Hello').bytes.toString('latin1')).toBe('Hello');
    const vi = pdfTextString('Nguyễn Thị Hồng Nhung');
    expect(vi.bytes.subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
    expect(decodeTextString(vi)).toBe('Nguyễn Thị Hồng Nhung');
  });

  it('reads UTF-8 with a BOM and PDFDocEncoding', () => {
    expect(decodeTextString(Buffer.from('\ufeffChữ ký', 'utf8'))).toBe('Chữ ký');
    expect(decodeTextString(Buffer.from([0x41, 0x80, 0x92, 0xa0, 0xe9]))).toBe('A•™€é');
  });
});

describe('serializer', () => {
  it('escapes names, strings and writes reals without exponent', () => {
    expect(serializeValue(new PdfName('A B#(x)')).toString('latin1')).toBe('/A#20B#23#28x#29');
    expect(serializeValue(new PdfString(Buffer.from('a(b)\\c\r\n', 'latin1'))).toString('latin1')).toBe(
      '(a\\(b\\)\\\\c\\r\\n)',
    );
    expect(formatNumber(pdfReal(0.0000001))).toBe('0.0000001');
    expect(formatNumber(pdfReal(1e20))).toBe('100000000000000000000.0');
    expect(formatNumber(pdfReal(-0))).toBe('0.0');
    expect(formatNumber(pdfReal(12.5))).toBe('12.5');
    expect(formatNumber(pdfInt(7))).toBe('7');
  });

  it('round-trips a dictionary through the parser', () => {
    const d = pdfDict({
      Type: new PdfName('Annot'),
      Rect: new PdfArray([pdfInt(0), pdfReal(1.5), pdfInt(-3), pdfReal(4.25)]),
      T: pdfTextString('Chữ ký'),
      P: new PdfRef(12, 0),
      F: true,
      N: null,
    });
    const bytes = serializeValue(d);
    expect(bytes.toString('latin1')).toContain('<</Type /Annot /Rect [0 1.5 -3 4.25] /T <feff');
    const back = parseValueAt(bytes).value as PdfDict;
    expect(decodeTextString(back.get('T') as PdfString)).toBe('Chữ ký');
    expect(back.get('P')).toEqual(new PdfRef(12, 0));
  });

  it('records placeholders and patches them without changing length', () => {
    const w = new ByteWriter();
    w.write('<<');
    writeValue(w, pdfDict({ ByteRange: new PdfByteRangePlaceholder(), Contents: new PdfHexPlaceholder(8) }));
    const bytes = w.toBuffer();
    const [br, hex] = w.placeholders;
    expect(br?.kind).toBe('byteRange');
    expect(br?.length).toBe(BYTE_RANGE_LENGTH);
    expect(bytes.toString('latin1', br!.offset, br!.offset + 1)).toBe('[');
    expect(bytes.toString('latin1', hex!.offset, hex!.offset + hex!.length)).toBe(`<${'0'.repeat(16)}>`);
    const range = byteRangeAround({ offset: 1000 + hex!.offset, length: hex!.length }, 5_000_000_000);
    const patched = patchByteRange(br!, range);
    expect(patched.length).toBe(br!.length);
    expect(patched.toString('latin1')).toMatch(/^\[0 1\d+ 1\d+ 4999\d+ +\]$/);
    const contents = patchHexContents(hex!, Buffer.from([0xde, 0xad]));
    expect(contents.toString('latin1')).toBe(`<dead${'0'.repeat(12)}>`);
    expect(() => patchHexContents(hex!, Buffer.alloc(9))).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_TOO_LARGE' }),
    );
    // a 13-digit range (files up to ~9.9 TB) still fits
    expect(patchByteRange(br!, [0, 9_999_999_999_000, 9_999_999_999_100, 9_999_999_999_999]).length).toBe(
      br!.length,
    );
  });
});

describe('stream decoder', () => {
  it('inflates with a hard limit', async () => {
    const bomb = zlib.deflateSync(Buffer.alloc(10_000_000));
    await expect(inflateLimited(bomb, 1_000_000)).rejects.toMatchObject({ code: 'PDF_TOO_LARGE' });
    const ok = await inflateLimited(bomb, 20_000_000);
    expect(ok.bytes.length).toBe(10_000_000);
    expect(ok.complete).toBe(true);
  });

  it('keeps what inflates from damaged data', async () => {
    const data = zlib.deflateSync(Buffer.from('hello world '.repeat(1000)));
    const noChecksum = await inflateLimited(data.subarray(0, data.length - 4), 1e6);
    expect(noChecksum.bytes.toString()).toBe('hello world '.repeat(1000));
    const cut = await inflateLimited(data.subarray(0, Math.floor(data.length / 2)), 1e6);
    expect(cut.complete).toBe(false);
    expect('hello world '.repeat(1000).startsWith(cut.bytes.toString())).toBe(true);
    const corrupt = Buffer.from(data);
    corrupt[corrupt.length - 10] = (corrupt[corrupt.length - 10] ?? 0) ^ 0xff;
    const r = await inflateLimited(corrupt, 1e6);
    expect(r.complete).toBe(false);
  });

  it('undoes the PNG Up predictor', () => {
    // two rows of 3 columns, filter type 2 (Up)
    const encoded = Buffer.from([2, 1, 2, 3, 2, 1, 1, 1]);
    const parms = pdfDict({ Predictor: pdfInt(12), Columns: pdfInt(3) });
    expect([...applyPredictor(encoded, parms, 1e6)]).toEqual([1, 2, 3, 2, 3, 4]);
  });

  it('decodes ASCIIHex and ASCII85, and leaves unsupported filters', async () => {
    const hex = await decodeStream(Buffer.from('48656C6C6F>'), [{ name: 'AHx', parms: null }], 1e6);
    expect(hex.bytes.toString()).toBe('Hello');
    const a85 = await decodeStream(
      Buffer.from('87cURD]i,"Ebo80~>'),
      [{ name: 'ASCII85Decode', parms: null }],
      1e6,
    );
    expect(a85.bytes.toString()).toBe('Hello World!');
    const dct = await decodeStream(Buffer.from('jpeg'), [{ name: 'DCTDecode', parms: null }], 1e6);
    expect(dct.remainingFilters).toEqual(['DCTDecode']);
  });
});
