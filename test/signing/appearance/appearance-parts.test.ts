// The parts of the appearance module on their own: PNG and JPEG readers, image checks and the
// per-certificate store, page geometry, time format, template lines, text layout, fonts and their
// Vietnamese coverage, ToUnicode CMaps and glyph names, and the seal rule.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create } from '@cantoo/fontkit';
import {
  AppearanceSettingsSchema,
  assertSealAllowed,
  fillLines,
  formatSigningTime,
  importSignatureImage,
  loadAppearanceFont,
  missingVietnamese,
  openAppearanceFont,
  storedImagePath,
  templateStyle,
  VIETNAMESE_LETTERS,
} from '../../../src/signing/appearance/index.js';
import { glyphNameToText, parseToUnicode } from '../../../src/signing/appearance/font-decoder.js';
import { readJpegInfo } from '../../../src/signing/appearance/jpeg-image.js';
import { findText, transformRect } from '../../../src/signing/appearance/page-content.js';
import {
  assertInsidePage,
  displayRectToUser,
  displayToUser,
  pageGeometry,
  parseDisplayRect,
  uprightMatrix,
  userRectToDisplay,
  userToDisplay,
  type Rotation,
} from '../../../src/signing/appearance/placement.js';
import { decodePng } from '../../../src/signing/appearance/png-image.js';
import { imageWarnings } from '../../../src/signing/appearance/signature-image-store.js';
import { parseSignatureImage, readSignatureImage } from '../../../src/signing/appearance/signature-image.js';
import { layoutText } from '../../../src/signing/appearance/text-layout.js';
import { toUnicodeCMap } from '../../../src/signing/appearance/to-unicode-cmap.js';
import { makeAssets, removeTemp, type Assets } from './appearance-support.js';

let assets: Assets;
beforeAll(() => {
  assets = makeAssets();
}, 120_000);

afterAll(() => removeTemp(assets?.dir));

const png = (name: string) => decodePng(readFileSync(assets.image(name)), name);

describe('PNG', () => {
  it('reads RGBA with its DPI and keeps the alpha apart', () => {
    const r = png('signature.png');
    expect([r.width, r.height, r.colorSpace]).toEqual([600, 240, 'DeviceRGB']);
    expect(r.dpi?.x).toBeCloseTo(300, 0);
    expect(r.alpha).not.toBeNull();
    expect(r.alpha![0]).toBe(0); // the corner is transparent
    expect(r.color.length).toBe(600 * 240 * 3);
  });

  it('expands a 4-bit palette with tRNS to RGB and alpha', () => {
    const r = png('signature-palette.png');
    expect(r.colorSpace).toBe('DeviceRGB');
    const values = new Set(r.alpha!);
    expect([...values].sort((a, b) => a - b)).toEqual([0, 160, 255]);
    const i = r.alpha!.indexOf(255);
    expect([...r.color.subarray(i * 3, i * 3 + 3)]).toEqual([22, 48, 170]);
  });

  it('reads grey with alpha, 2-bit grey, 16-bit RGBA and Adam7', () => {
    const ga = png('gray-alpha.png');
    expect(ga.colorSpace).toBe('DeviceGray');
    expect(ga.color[5]).toBe(35);
    expect(ga.alpha![37 * 3 + 20]).toBe((3 * 11) & 255);
    const g = png('gray.png');
    expect(g.alpha).toBeNull();
    expect([...g.color.subarray(0, 5)]).toEqual([0, 85, 170, 255, 0]);
    const r16 = png('rgba16.png');
    expect([...r16.color.subarray(3 * 3, 3 * 3 + 3)]).toEqual([(3 * 7000) >> 8, 0, 40000 >> 8]);
    expect(r16.alpha![0]).toBe(0);
    const il = png('interlaced.png');
    for (const [x, y] of [
      [0, 0],
      [5, 3],
      [18, 10],
      [7, 6],
    ] as const) {
      const i = y * 19 + x;
      expect([...il.color.subarray(i * 3, i * 3 + 3)]).toEqual([x * 13, y * 23, (x * y) & 255]);
      expect(il.alpha![i]).toBe((x + y) % 3 === 0 ? 0 : 255);
    }
  });

  it('refuses damaged files with IMAGE_UNREADABLE', () => {
    expect(() => png('truncated.png')).toThrow(expect.objectContaining({ code: 'IMAGE_UNREADABLE' }));
    const bytes = Buffer.from(readFileSync(assets.image('signature.png')));
    bytes[40] = bytes[40]! ^ 0xff; // inside a chunk: its CRC no longer matches
    expect(() => decodePng(bytes, 'x.png')).toThrow(expect.objectContaining({ code: 'IMAGE_UNREADABLE' }));
  });

  it('tells PNG, JPEG and anything else apart by content', async () => {
    expect(parseSignatureImage(readFileSync(assets.image('seal.png')), 'a').format).toBe('png');
    expect(parseSignatureImage(readFileSync(assets.image('seal.jpg')), 'a.png').format).toBe('jpeg');
    await expect(readSignatureImage(assets.image('image.gif'))).rejects.toMatchObject({
      code: 'IMAGE_UNSUPPORTED',
    });
    await expect(readSignatureImage(assets.image('not-an-image.png'))).rejects.toMatchObject({
      code: 'IMAGE_UNSUPPORTED',
    });
    await expect(readSignatureImage(path.join(assets.dir, 'missing.png'))).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
    await expect(readSignatureImage(assets.dir)).rejects.toMatchObject({ code: 'IMAGE_UNREADABLE' });
  });
});

describe('JPEG', () => {
  it('reads size, components and JFIF density', () => {
    const info = readJpegInfo(readFileSync(assets.image('seal.jpg')), 'seal.jpg');
    expect(info).toMatchObject({ width: 150, height: 150, components: 3, dpi: { x: 150, y: 150 } });
    expect(readJpegInfo(readFileSync(assets.image('cmyk.jpg')), 'cmyk.jpg').components).toBe(4);
  });

  it('reads the resolution from Exif when there is no JFIF', () => {
    const tiff = Buffer.alloc(8 + 2 + 3 * 12 + 4 + 16);
    tiff.write('II', 0, 'latin1');
    tiff.writeUInt16LE(42, 2);
    tiff.writeUInt32LE(8, 4);
    tiff.writeUInt16LE(3, 8);
    const entry = (i: number, tag: number, type: number, value: number): void => {
      const o = 10 + i * 12;
      tiff.writeUInt16LE(tag, o);
      tiff.writeUInt16LE(type, o + 2);
      tiff.writeUInt32LE(1, o + 4);
      tiff.writeUInt32LE(value, o + 8);
    };
    const ratOffset = 10 + 36 + 4;
    entry(0, 0x011a, 5, ratOffset);
    entry(1, 0x011b, 5, ratOffset + 8);
    entry(2, 0x0128, 3, 3); // dots per centimetre
    tiff.writeUInt32LE(118, ratOffset);
    tiff.writeUInt32LE(1, ratOffset + 4);
    tiff.writeUInt32LE(118, ratOffset + 8);
    tiff.writeUInt32LE(1, ratOffset + 12);
    const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
    const seg = (marker: number, data: Buffer): Buffer => {
      const h = Buffer.from([0xff, marker, 0, 0]);
      h.writeUInt16BE(data.length + 2, 2);
      return Buffer.concat([h, data]);
    };
    const sof = Buffer.from([8, 0, 10, 0, 20, 1, 1, 0x11, 0]);
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      seg(0xe1, app1),
      seg(0xc0, sof),
      seg(0xda, Buffer.from([1, 1, 0, 0, 63, 0])),
      Buffer.from([0x12, 0x34, 0xff, 0xd9]),
    ]);
    const info = readJpegInfo(jpeg, 'exif.jpg');
    expect(info).toMatchObject({ width: 20, height: 10, components: 1 });
    expect(info.dpi!.x).toBeCloseTo(299.72, 1);
    expect(() => readJpegInfo(jpeg.subarray(0, jpeg.length - 2), 'cut.jpg')).toThrow(
      expect.objectContaining({ code: 'IMAGE_UNREADABLE' }),
    );
  });
});

describe('image checks and the per-certificate store', () => {
  const kinds = async (name: string, kind: 'seal' | 'signature') =>
    imageWarnings(await readSignatureImage(assets.image(name)), kind).map((w) => w.code);

  it('warns about a seal that is not red, a missing transparency or resolution', async () => {
    expect(await kinds('seal.png', 'seal')).toEqual([]);
    expect(await kinds('signature.png', 'signature')).toEqual([]);
    expect(await kinds('seal-blue.png', 'seal')).toEqual(['SEAL_NOT_RED']);
    expect(await kinds('signature-opaque.png', 'signature')).toEqual(['NO_TRANSPARENCY']);
    expect(await kinds('seal-nodpi.png', 'seal')).toEqual(['NO_RESOLUTION']);
    expect(await kinds('seal.jpg', 'seal')).toEqual(['NO_TRANSPARENCY']);
  });

  it('keeps one image of each kind per certificate', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kyso-home-'));
    const sha = 'ab'.repeat(32);
    expect(await storedImagePath(sha, 'seal', home)).toBeNull();
    const first = await importSignatureImage({
      certificateSha256: sha,
      kind: 'seal',
      source: assets.image('seal.png'),
      home,
    });
    expect(first.path).toBe(path.join(home, 'images', sha, 'seal.png'));
    expect(first.warnings).toEqual([]);
    expect(await storedImagePath(sha, 'seal', home)).toBe(first.path);
    const second = await importSignatureImage({
      certificateSha256: sha,
      kind: 'seal',
      source: assets.image('seal.jpg'),
      home,
    });
    expect(second.path.endsWith('seal.jpg')).toBe(true);
    expect(await storedImagePath(sha, 'seal', home)).toBe(second.path);
    await expect(
      importSignatureImage({ certificateSha256: sha, kind: 'seal', source: assets.image('image.gif'), home }),
    ).rejects.toMatchObject({ code: 'IMAGE_UNSUPPORTED' });
    expect(await storedImagePath(sha, 'seal', home)).toBe(second.path);
    const sig = await importSignatureImage({
      certificateSha256: sha,
      kind: 'signature',
      source: assets.image('signature-opaque.png'),
      home,
    });
    expect(sig.warnings.map((w) => w.code)).toEqual(['NO_TRANSPARENCY']);
    expect(sig.warnings[0]!.vi).toContain('trong suốt');
  });
});

describe('page geometry', () => {
  const boxes: Array<[number, number, number, number]> = [
    [0, 0, 595, 842],
    [150, 250, 650, 950],
  ];
  for (const rotate of [0, 90, 180, 270] as Rotation[]) {
    for (const cropBox of boxes) {
      it(`/Rotate ${rotate}, CropBox ${cropBox.join(' ')}`, () => {
        const g = pageGeometry({ cropBox, rotate });
        const swap = rotate % 180 !== 0;
        expect([g.width, g.height]).toEqual(
          swap
            ? [cropBox[3] - cropBox[1], cropBox[2] - cropBox[0]]
            : [cropBox[2] - cropBox[0], cropBox[3] - cropBox[1]],
        );
        // The displayed top-left corner is a corner of the CropBox; points go there and back.
        const [ux, uy] = displayToUser(g, 0, 0);
        expect([cropBox[0], cropBox[2]]).toContain(ux);
        expect([cropBox[1], cropBox[3]]).toContain(uy);
        expect(userToDisplay(g, ...displayToUser(g, 30, 70))).toEqual([30, 70]);
        const r = { x: 40, y: 60, width: 200, height: 80 };
        const user = displayRectToUser(g, r);
        expect(user[2] - user[0]).toBe(swap ? 80 : 200);
        expect(userRectToDisplay(g, user)).toEqual(r);
        // The appearance matrix turns the upright w × h box onto the rotated /Rect.
        const m = uprightMatrix(rotate, r.width, r.height);
        expect(transformRect(m, [0, 0, r.width, r.height])).toEqual([0, 0, swap ? 80 : 200, swap ? 200 : 80]);
        assertInsidePage(g, { x: 0, y: 0, width: g.width, height: g.height });
        expect(() => assertInsidePage(g, { x: g.width - 10, y: 0, width: 20, height: 20 })).toThrow(
          expect.objectContaining({ code: 'RECT_OUTSIDE_PAGE' }),
        );
      });
    }
  }

  it('a rotated page: the displayed top-left corner and the text direction', () => {
    // /Rotate 90 turns the page clockwise: the top-left corner shown is the user space origin,
    // and the displayed x axis runs along user y.
    const g = pageGeometry({ cropBox: [0, 0, 595, 842], rotate: 90 });
    expect(displayToUser(g, 0, 0)).toEqual([0, 0]);
    expect(displayToUser(g, 100, 0)).toEqual([0, 100]);
    expect(displayToUser(g, 0, 100)).toEqual([100, 0]);
  });

  it('parses --rect', () => {
    expect(parseDisplayRect('10, 20.5,30,40')).toEqual({ x: 10, y: 20.5, width: 30, height: 40 });
    for (const bad of ['1,2,3', '1,2,3,x', '1,2,0,4', '1,2,3,-4', '']) {
      expect(() => parseDisplayRect(bad)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
  });
});

describe('template text', () => {
  it('formats the signing time as dd.MM.yyyy HH:mm:ss +07:00 by default', () => {
    const t = new Date('2026-11-26T02:15:02Z');
    expect(formatSigningTime(t)).toBe('26.11.2026 09:15:02 +07:00');
    expect(formatSigningTime(new Date('2026-12-31T20:00:00Z'))).toBe('01.01.2027 03:00:00 +07:00');
    expect(formatSigningTime(t, 'yyyy-MM-ddTHH:mm:ssXXX', 0)).toBe('2026-11-26T02:15:02+00:00');
    expect(formatSigningTime(t, 'HH:mm XXX', -150)).toBe('23:45 -02:30');
  });

  it('fills placeholders, leaves out lines without a value, and normalises to NFC', () => {
    const lines = fillLines(['{organization}', 'Số: {docNumber}', 'Ký bởi: {signer}', '{unknown}'], {
      organization: 'UBND phu\u031bo\u031b\u0300ng Đoàn Kết',
      docNumber: ' ',
      signer: 'Nguyễn Thị Hồng Nhung',
    });
    expect(lines).toEqual(['UBND phường Đoàn Kết', 'Ký bởi: Nguyễn Thị Hồng Nhung', '{unknown}']);
    expect(lines[0]).toBe(lines[0]!.normalize('NFC'));
  });

  it('takes template overrides from the settings and validates them', () => {
    const settings = AppearanceSettingsSchema.parse({
      templates: { text: { fontSize: 11, color: '#1A2B3C' } },
    });
    expect(templateStyle('text', settings)).toMatchObject({ fontSize: 11, color: '#1A2B3C', align: 'left' });
    expect(templateStyle('personal', settings).lines).toEqual(['Ký bởi: {signer}', 'Thời gian ký: {time}']);
    expect(settings.timeFormat).toBe('dd.MM.yyyy HH:mm:ss XXX');
    expect(AppearanceSettingsSchema.safeParse({ templates: { text: { color: 'red' } } }).success).toBe(false);
  });
});

describe('text layout', () => {
  const measure = { widthOf: (s: string) => s.length * 0.5 };
  it('keeps the size when the lines fit', () => {
    const l = layoutText(measure, ['abcd', 'ef'], { width: 100, height: 100 }, 10, 5);
    expect(l).toMatchObject({ size: 10, lines: ['abcd', 'ef'] });
  });
  it('wraps at spaces, then shrinks, and breaks a word too long for the box', () => {
    const l = layoutText(measure, ['aaaa bbbb cccc dddd'], { width: 20, height: 30 }, 10, 5);
    expect(l.lines.join(' ')).toBe('aaaa bbbb cccc dddd');
    expect(l.height).toBeLessThanOrEqual(30);
    expect(l.width).toBeLessThanOrEqual(20);
    const long = layoutText(measure, ['x'.repeat(50)], { width: 20, height: 100 }, 10, 5);
    expect(long.lines.length).toBeGreaterThan(1);
    expect(long.width).toBeLessThanOrEqual(20);
  });
});

describe('fonts', () => {
  it('lists every Vietnamese letter, upper and lower case, with every tone', () => {
    expect(VIETNAMESE_LETTERS.length).toBe(146);
    for (const c of 'ăâđêôơưẠỆỮỹ') expect(VIETNAMESE_LETTERS).toContain(c);
  });

  it('finds a default font with all of them', async () => {
    const font = await loadAppearanceFont();
    expect(missingVietnamese(font.font)).toEqual([]);
  });

  it('refuses a configured font without Vietnamese letters, and one that is not a font', async () => {
    const liberation = '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf';
    const err = await openAppearanceFont(liberation).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FONT_NO_VIETNAMESE', details: { path: liberation } });
    expect(String((err as { details: { missing: string } }).details.missing)).toContain('ệ');
    await expect(loadAppearanceFont(liberation)).rejects.toMatchObject({ code: 'FONT_NO_VIETNAMESE' });
    await expect(loadAppearanceFont(assets.image('seal.png'))).rejects.toMatchObject({
      code: 'FONT_UNREADABLE',
    });
    await expect(loadAppearanceFont(path.join(assets.dir, 'none.ttf'))).rejects.toMatchObject({
      code: 'FONT_UNREADABLE',
    });
  });

  it('writes a ToUnicode CMap that reads back', () => {
    const map = new Map<number, string>();
    for (let i = 1; i <= 250; i++) map.set(i, String.fromCharCode(0x1ea0 + (i % 90)));
    map.set(300, 'ffi');
    const back = parseToUnicode(toUnicodeCMap(map));
    expect(back).toEqual(map);
    const ranges = parseToUnicode(
      Buffer.from(
        '1 beginbfrange\n<0041> <0043> <0061>\n<0050> <0051> [<00410042> <1EC7>]\nendbfrange\n',
        'latin1',
      ),
    );
    expect([...ranges.entries()]).toEqual([
      [0x41, 'a'],
      [0x42, 'b'],
      [0x43, 'c'],
      [0x50, 'AB'],
      [0x51, 'ệ'],
    ]);
  });

  it('reads glyph names of simple fonts', () => {
    expect(glyphNameToText('Ohornacute')).toBe('Ớ');
    expect(glyphNameToText('ecircumflexdotbelow')).toBe('ệ');
    expect(glyphNameToText('uni1EE6')).toBe('Ủ');
    expect(glyphNameToText('u1EC7')).toBe('ệ');
    expect(glyphNameToText('dcroat')).toBe('đ');
    expect(glyphNameToText('f_i')).toBe('fi');
    expect(glyphNameToText('A.sc')).toBe('A');
    expect(glyphNameToText('g123')).toBe('');
  });

  it('the subset keeps the glyphs asked for', () => {
    const file = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';
    const font = create(readFileSync(file));
    if (!('createSubset' in font)) throw new Error('not a font');
    const subset = font.createSubset();
    for (const c of 'Đà Nẵng') subset.includeGlyph(font.glyphForCodePoint(c.codePointAt(0)!)!);
    const bytes = subset.encode();
    expect(bytes.length).toBeLessThan(20_000);
    writeFileSync(path.join(assets.dir, 'subset.ttf'), bytes);
  });
});

describe('finding text', () => {
  const glyph = (text: string, x: number) => ({
    text,
    box: [x, 0, x + 5, 10] as [number, number, number, number],
  });
  it('matches regardless of spaces and normalisation, the last occurrence first, exact case first', () => {
    const glyphs = [...'Chủ tịch UBND'].map((c, i) => glyph(c, i * 5));
    const upper = [...'CHỦ TỊCH'.normalize('NFD')].map((c, i) => glyph(c, 200 + i * 5));
    const all = [...glyphs, ...upper];
    expect(findText(all, 'CHỦ TỊCH')![0]).toBe(200);
    expect(findText(glyphs, 'CHỦ TỊCH')![0]).toBe(0);
    expect(findText(all, 'CHỦTỊCH')).not.toBeNull();
    expect(findText(all, 'PHÓ CHỦ TỊCH')).toBeNull();
  });
});

describe('the seal rule (Decree 30, art. 32)', () => {
  it('needs a valid earlier signature unless overridden', () => {
    expect(() => assertSealAllowed([], false)).toThrow(
      expect.objectContaining({ code: 'SEAL_WITHOUT_SIGNATURE' }),
    );
    expect(() => assertSealAllowed([{ fieldName: 'a', valid: false }], false)).toThrow(
      expect.objectContaining({ code: 'SEAL_WITHOUT_SIGNATURE' }),
    );
    expect(() => assertSealAllowed([{ fieldName: 'a', valid: true }], false)).not.toThrow();
    expect(() => assertSealAllowed([], true)).not.toThrow();
  });
});
