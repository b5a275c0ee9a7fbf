// Visible signatures end to end: each template signed with signPdf and a .p12 identity of the test
// PKI, then looked at with poppler as a person would see it (72-dpi renders: the appearance lies in
// the requested box, upright, on portrait, landscape, rotated and offset pages), read back with
// pdftotext (the Vietnamese lines exactly), pdfimages (the soft mask), and checked by pdfsig, qpdf
// and openssl; earlier signatures stay valid.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appearanceFor,
  importSignatureImage,
  placeAppearance,
  prepareAppearance,
  signedWidgets,
  type AppearanceRequest,
} from '../../../src/signing/appearance/index.js';
import { pageGeometry, userRectToDisplay } from '../../../src/signing/appearance/placement.js';
import type { KeySigner } from '../../../src/signing/identity/index.js';
import type { PdfArray, PdfNumber } from '../../../src/signing/pdf/index.js';
import { PdfReader, PdfStream } from '../../../src/signing/pdf/index.js';
import { signPdf, type PdfSignOptions, type SignPdfResult } from '../../../src/signing/sign/sign-pdf.js';
import { loadTrustStore, verifyPdf } from '../../../src/signing/verify/index.js';
import { parseCertificate } from '../../../src/signing/x509/certificate-info.js';
import { pkiFile } from '../../support/fixtures.js';
import { latestUtcTime, vietnamDate } from '../../support/recent-time.js';
import { makeCorpus } from '../pdf/corpus.js';
import { checkSignedOutput, expectPdfsigValid, qpdfCheck } from '../../support/signed-output.js';
import {
  changedPixels,
  isBlue,
  isRed,
  makeAssets,
  removeTemp,
  p12Signer,
  pdfimagesList,
  pdftotext,
  renderPage,
  type Assets,
  type PixelBox,
} from './appearance-support.js';

let assets: Assets;
let out: string;
let chairman: KeySigner;
let agency: KeySigner;
// 09:15:02 in Vietnam on the latest day that has had that time: the certificates of the test PKI
// are made relative to today, so a fixed date would fall outside them some day.
const SIGNING_TIME = latestUtcTime(2, 15, 2);
const SIGNING_DAY = vietnamDate(SIGNING_TIME);
const TIME_LINE = `Thời gian ký: ${SIGNING_DAY.day}.${SIGNING_DAY.month}.${SIGNING_DAY.year} 09:15:02 +07:00`;

beforeAll(async () => {
  assets = makeAssets();
  out = mkdtempSync(path.join(os.tmpdir(), 'kyso-appearance-'));
  chairman = await p12Signer('chairman-rsa2048');
  agency = await p12Signer('agency-rsa3072');
}, 120_000);

afterAll(() => removeTemp(assets?.dir, out));

let counter = 0;
async function sign(
  input: string,
  signer: KeySigner,
  request: AppearanceRequest,
  options: { page?: number; check?: number } = {},
): Promise<{ output: string; result: SignPdfResult; page: number }> {
  const prepared = await prepareAppearance(input, request, options.page);
  const output = path.join(out, `${++counter}-${request.template}-${path.basename(input)}`);
  const signOptions: PdfSignOptions = {
    page: prepared.page,
    appearance: prepared.appearance,
    signingTime: SIGNING_TIME,
  };
  const result = await signPdf({ input, output, signer, options: signOptions });
  if (options.check !== undefined) await checkSignedOutput(input, output, result, options.check);
  return { output, result, page: prepared.page };
}

const DOCS = [
  ['portrait.pdf', 595, 842],
  ['landscape.pdf', 842, 595],
  ['rotated-90.pdf', 842, 595],
  ['rotated-180.pdf', 595, 842],
  ['rotated-270.pdf', 842, 595],
  ['offset.pdf', 500, 700],
  ['offset-rotated-90.pdf', 700, 500],
] as const;

function expectInside(
  box: PixelBox | null,
  r: { x: number; y: number; width: number; height: number },
  tolerance = 1,
): asserts box is PixelBox {
  expect(box).not.toBeNull();
  const b = box!;
  expect(b.x1).toBeGreaterThanOrEqual(r.x - tolerance);
  expect(b.y1).toBeGreaterThanOrEqual(r.y - tolerance);
  expect(b.x2).toBeLessThanOrEqual(r.x + r.width + tolerance);
  expect(b.y2).toBeLessThanOrEqual(r.y + r.height + tolerance);
}

describe('personal signature: image and lines inside the requested box, upright', () => {
  const rect = { x: 250, y: 180, width: 200, height: 90 };
  for (const [name, w, h] of DOCS) {
    it(`${name} (${w} × ${h} as displayed)`, async () => {
      const input = assets.pdf(name);
      const { output, page } = await sign(
        input,
        chairman,
        { template: 'personal', image: assets.image('signature.png'), rect },
        { page: 1, check: 1 },
      );
      expect(page).toBe(1);
      const before = renderPage(input, 1);
      const after = renderPage(output, 1);
      expect([after.width, after.height]).toEqual([w, h]);
      const all = changedPixels(before, after);
      expectInside(all, rect);
      // It fills the box, not a corner of it.
      expect(all.x2 - all.x1).toBeGreaterThan(rect.width * 0.6);
      expect(all.y2 - all.y1).toBeGreaterThan(rect.height * 0.8);
      // Upright: the blue signature above the dark text lines.
      const blue = changedPixels(before, after, isBlue);
      const dark = changedPixels(before, after, (p, q) => q[0] < 90 && q[1] < 90 && q[2] < 90 && p[0] > 200);
      expectInside(blue, rect);
      expectInside(dark, rect);
      expect(blue.y2).toBeLessThanOrEqual(dark.y1 + 2);
      expect(blue.x2 - blue.x1).toBeGreaterThan(blue.y2 - blue.y1); // wide, as the image is
      const text = pdftotext(output, 1);
      expect(text).toContain('Ký bởi: Nguyễn Thị Hồng Nhung');
      expect(text).toContain(TIME_LINE);
    });
  }
});

describe('anchor text: the box goes right below it', () => {
  for (const name of [
    'portrait.pdf',
    'rotated-90.pdf',
    'rotated-180.pdf',
    'rotated-270.pdf',
    'offset-rotated-90.pdf',
    'helvetica.pdf',
  ] as const) {
    it(name, async () => {
      const input = assets.pdf(name);
      const anchor = name === 'helvetica.pdf' ? 'CHU TICH' : 'CHỦ TỊCH';
      const { output, page } = await sign(input, chairman, {
        template: 'personal',
        image: assets.image('signature.png'),
        anchor,
      });
      expect(page).toBe(1);
      const a = assets.layouts[name]!.anchor;
      const box = changedPixels(renderPage(input, 1), renderPage(output, 1));
      expect(box).not.toBeNull();
      expect(box!.y1).toBeGreaterThanOrEqual(Math.floor(a.y + a.h) - 1);
      expect(box!.y1).toBeLessThan(a.y + a.h + 20);
      // …and stays above the printed name, 110 pt below the title's baseline.
      if (name !== 'helvetica.pdf') expect(box!.y2).toBeLessThanOrEqual(a.y + a.h * 0.75 + 110 - 12 * 0.7);
      const centre = (box!.x1 + box!.x2) / 2;
      expect(Math.abs(centre - (a.x + a.w / 2))).toBeLessThan(6);
      await expectPdfsigValid(output, 1);
    });
  }

  it('anchorCandidates: the first text the document has places the box; none found, the usual place', async () => {
    const input = assets.pdf('portrait.pdf');
    const anchored = await placeAppearance(input, { template: 'personal', anchor: 'CHỦ TỊCH' });
    const candidates = ['KHÔNG CÓ DÒNG NÀY', 'CHỦ TỊCH', 'GIÁM ĐỐC'];
    expect(await placeAppearance(input, { template: 'personal', anchorCandidates: candidates })).toEqual(
      anchored,
    );
    const usual = await placeAppearance(input, { template: 'personal' });
    expect(usual).not.toEqual(anchored);
    expect(
      await placeAppearance(input, { template: 'personal', anchorCandidates: ['KHÔNG CÓ DÒNG NÀY'] }),
    ).toEqual(usual);
    // Signing with the candidates draws the box where the anchor would (the widget's rectangle).
    const byAnchor = await sign(input, chairman, { template: 'personal', anchor: 'CHỦ TỊCH' });
    const byCandidates = await sign(input, chairman, { template: 'personal', anchorCandidates: candidates });
    expect(byCandidates.page).toBe(byAnchor.page);
    expect(await widgetRect(byCandidates.output, byCandidates.result.fieldName)).toEqual(
      await widgetRect(byAnchor.output, byAnchor.result.fieldName),
    );
  });

  it('finds the anchor on the last page that has it', async () => {
    const { page } = await sign(assets.pdf('three-pages.pdf'), chairman, {
      template: 'personal',
      anchor: 'CHỦ TỊCH',
    });
    expect(page).toBe(3);
  });
});

describe('seal: real size, over the left third of the personal signature image', () => {
  for (const name of ['portrait.pdf', 'rotated-90.pdf', 'offset.pdf'] as const) {
    it(name, async () => {
      const input = assets.pdf(name);
      const personal = await sign(input, chairman, {
        template: 'personal',
        image: assets.image('signature.png'),
        anchor: 'CHỦ TỊCH',
      });
      const sealed = await sign(personal.output, agency, {
        template: 'seal',
        image: assets.image('seal.png'),
      });
      expect(sealed.page).toBe(1);
      await checkSignedOutput(personal.output, sealed.output, sealed.result, 2);
      const before = renderPage(input, 1);
      const blue = changedPixels(before, renderPage(personal.output, 1), isBlue)!;
      const red = changedPixels(before, renderPage(sealed.output, 1), isRed)!;
      const image = await imageBoxOnDisplay(personal.output);
      // 480 px at 300 dpi = 1.6 in = 115.2 pt: the seal's real size, not scaled to any box. Its
      // outer ring is 472 px across (113.3 pt), less the anti-aliased edge the red test leaves out.
      expect(await widgetSize(sealed.output, sealed.result.fieldName)).toEqual([115.2, 115.2]);
      expect(Math.abs(red.x2 - red.x1 - 113.3)).toBeLessThan(4);
      expect(Math.abs(red.y2 - red.y1 - 113.3)).toBeLessThan(4);
      // The blue ink lies in the image's box; the seal's right edge is a third into that box (its
      // red ring stops a point short of the seal image's edge).
      expectInside(blue, image, 1.5);
      const third = image.x + image.width / 3;
      expect(Math.abs(red.x2 - (third - 1))).toBeLessThan(2.5);
      expect(red.x2).toBeGreaterThan(blue.x1 + 5);
      expect(red.y1).toBeLessThan(blue.y2);
      expect(red.y2).toBeGreaterThan(blue.y1);
    });
  }

  it('takes its size from a configured diameter when the image has no DPI', async () => {
    const input = assets.pdf('portrait.pdf');
    const personal = await sign(input, chairman, {
      template: 'personal',
      image: assets.image('signature.png'),
      anchor: 'CHỦ TỊCH',
    });
    const sealed = await sign(personal.output, agency, {
      template: 'seal',
      image: assets.image('seal-nodpi.png'),
      sealDiameterMm: 30,
    });
    const red = changedPixels(renderPage(input, 1), renderPage(sealed.output, 1), isRed)!;
    const width = (30 / 25.4) * 72;
    expect((await widgetSize(sealed.output, sealed.result.fieldName))[0]).toBeCloseTo(width, 2);
    expect(Math.abs(red.x2 - red.x1 - (width * 472) / 480)).toBeLessThan(4);
  });

  it('refuses a document without a signature of the competent person, unless overridden', async () => {
    const input = assets.pdf('portrait.pdf');
    const request: AppearanceRequest = { template: 'seal', image: assets.image('seal.png') };
    await expect(prepareAppearance(input, request)).rejects.toMatchObject({ code: 'SEAL_WITHOUT_SIGNATURE' });
    const output = path.join(out, 'refused-seal.pdf');
    await expect(
      signPdf({ input, output, signer: agency, options: { appearance: appearanceFor(request) } }),
    ).rejects.toMatchObject({ code: 'SEAL_WITHOUT_SIGNATURE' });
    expect(existsSync(output)).toBe(false);
    // A signature the verifier found invalid does not count either.
    const personal = await sign(input, chairman, { template: 'personal', anchor: 'CHỦ TỊCH' });
    const judged: AppearanceRequest = {
      ...request,
      existingSignatures: [{ fieldName: 'Signature1', valid: false }],
    };
    await expect(prepareAppearance(personal.output, judged)).rejects.toMatchObject({
      code: 'SEAL_WITHOUT_SIGNATURE',
    });
    const forced = await sign(input, agency, { ...request, allowSealWithoutSignature: true }, { check: 1 });
    expect(changedPixels(renderPage(input, 1), renderPage(forced.output, 1), isRed)).not.toBeNull();
  });
});

describe('text template: agency, number and time at the top right of page 1', () => {
  it('draws Times-like 10 pt black text, extracts exactly, and adds less than 150 KB', async () => {
    const input = assets.pdf('three-pages.pdf');
    const { output, page, result } = await sign(
      input,
      agency,
      { template: 'text', docNumber: '123/QĐ-UBND' },
      { check: 1 },
    );
    expect(page).toBe(1);
    const text = pdftotext(output, 1, ['-layout']);
    expect(text).toContain('UBND phường Đoàn Kết');
    expect(text).toContain('Số: 123/QĐ-UBND');
    expect(text).toContain(TIME_LINE);
    const box = changedPixels(renderPage(input, 1), renderPage(output, 1))!;
    expect(box.x2).toBeLessThanOrEqual(595 - 14 + 1);
    expect(box.y1).toBeGreaterThanOrEqual(14 - 1);
    expect(box.y2).toBeLessThan(14 + 50);
    expect(box.x1).toBeGreaterThan(595 / 2);
    const added = statSync(output).size - statSync(input).size;
    expect(added).toBeLessThan(150 * 1024);
    // The appearance's own objects (font subset, ToUnicode, form) are a small part of it.
    expect(added - 2 * result.reservedBytes).toBeLessThan(40 * 1024);
    // 10 pt, black.
    const reader = await PdfReader.open(output);
    try {
      const field = await reader.findField(result.fieldName);
      const ap = await reader.resolve(field.dict.get('AP') ?? null);
      const n =
        ap && typeof ap === 'object' && 'get' in ap ? await reader.resolve(ap.get('N') ?? null) : null;
      expect(n).toBeInstanceOf(PdfStream);
      const content = (
        await reader.getStreamData(n as PdfStream, { decode: true, maxBytes: 1e6 })
      ).bytes.toString('latin1');
      expect(content).toContain('/F1 10 Tf');
      expect(content).toContain('0 0 0 rg');
    } finally {
      await reader.close();
    }
  });

  it('leaves the number line out when no number is given, and takes a configured agency', async () => {
    const input = assets.pdf('landscape.pdf');
    const { output } = await sign(input, agency, {
      template: 'text',
      organization: 'Văn phòng HĐND và UBND quận Hải Châu',
    });
    const text = pdftotext(output, 1);
    expect(text).toContain('Văn phòng HĐND và UBND quận Hải Châu');
    expect(text).not.toContain('Số:');
    expect(text).toContain(TIME_LINE);
  });
});

describe('certified copy: the statement on the last page', () => {
  it('fills the template fields', async () => {
    const input = assets.pdf('three-pages.pdf');
    const { output, page } = await sign(
      input,
      chairman,
      { template: 'certified-copy', certification: { number: '15', book: '01/2026-SCT/BS' } },
      { check: 1 },
    );
    expect(page).toBe(3);
    const text = pdftotext(output, 3);
    for (const line of [
      'Chứng thực bản sao đúng với bản chính.',
      'Số chứng thực: 15',
      'Quyển số: 01/2026-SCT/BS',
      `Ngày ${SIGNING_DAY.day} tháng ${SIGNING_DAY.month} năm ${SIGNING_DAY.year}`,
      'Người ký: Nguyễn Thị Hồng Nhung',
      TIME_LINE,
    ]) {
      expect(text).toContain(line);
    }
    expect(pdftotext(output, 1)).not.toContain('Chứng thực');
  });
});

describe('images', () => {
  it('keeps the PNG transparency as a soft mask', async () => {
    const { output } = await sign(assets.pdf('portrait.pdf'), chairman, {
      template: 'personal',
      image: assets.image('signature.png'),
      rect: { x: 300, y: 600, width: 200, height: 90 },
    });
    const list = pdfimagesList(output);
    expect(list).toMatch(/\bimage\s+600\s+240\s+rgb\b/);
    expect(list).toMatch(/\bsmask\s+600\s+240\s+gray\b/);
  });

  it('accepts a JPEG as it is (DCTDecode) and a palette PNG with tRNS', async () => {
    const jpeg = await sign(
      assets.pdf('portrait.pdf'),
      chairman,
      {
        template: 'personal',
        image: assets.image('gray.jpg'),
        rect: { x: 50, y: 600, width: 150, height: 90 },
      },
      { check: 1 },
    );
    expect(pdfimagesList(jpeg.output)).toMatch(/\bimage\s+150\s+150\s+\w+\s+\d\s+8\s+jpeg\b/);
    const palette = await sign(
      assets.pdf('portrait.pdf'),
      chairman,
      {
        template: 'personal',
        image: assets.image('signature-palette.png'),
        rect: { x: 50, y: 600, width: 150, height: 90 },
      },
      { check: 1 },
    );
    expect(pdfimagesList(palette.output)).toMatch(/\bsmask\s+300\s+120\b/);
    const cmyk = await sign(assets.pdf('portrait.pdf'), agency, {
      template: 'seal',
      image: assets.image('cmyk.jpg'),
      allowSealWithoutSignature: true,
    });
    await qpdfCheck(cmyk.output);
    const red = changedPixels(renderPage(assets.pdf('portrait.pdf'), 1), renderPage(cmyk.output, 1), isRed);
    expect(red).not.toBeNull(); // the CMYK seal shows red, not inverted
  });
});

describe('existing fields and stored images', () => {
  it('draws into an existing empty signature field (--field), whatever the page or box asked', async () => {
    const corpus = makeCorpus();
    const input = path.join(corpus, 'empty-sigfield.pdf');
    const request: AppearanceRequest = {
      template: 'personal',
      image: assets.image('signature.png'),
      fieldName: 'ChuTich_Sig',
    };
    const prepared = await prepareAppearance(input, request);
    const output = path.join(out, 'field.pdf');
    const result = await signPdf({
      input,
      output,
      signer: chairman,
      options: {
        fieldName: 'ChuTich_Sig',
        page: prepared.page,
        appearance: prepared.appearance,
        signingTime: SIGNING_TIME,
      },
    });
    await checkSignedOutput(input, output, result, 1);
    // The field's /Rect [50 100 250 160] on an A4 page: x 50, y 842 − 160, 200 × 60 as displayed.
    const box = changedPixels(renderPage(input, 1), renderPage(output, 1));
    expectInside(box, { x: 50, y: 682, width: 200, height: 60 });
    expect(pdftotext(output, 1)).toContain('Ký bởi: Nguyễn Thị Hồng Nhung');
  });

  it("uses the signer's stored images when no --image is given", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kyso-home-'));
    const sha = (s: KeySigner): string => parseCertificate(s.certificate).sha256;
    await importSignatureImage({
      certificateSha256: sha(chairman),
      kind: 'signature',
      source: assets.image('signature.png'),
      home,
    });
    await importSignatureImage({
      certificateSha256: sha(agency),
      kind: 'seal',
      source: assets.image('seal.png'),
      home,
    });
    const input = assets.pdf('landscape.pdf');
    const personal = await sign(input, chairman, { template: 'personal', anchor: 'CHỦ TỊCH', home });
    const sealed = await sign(personal.output, agency, { template: 'seal', home }, { check: 2 });
    const before = renderPage(input, 1);
    expect(changedPixels(before, renderPage(personal.output, 1), isBlue)).not.toBeNull();
    expect(changedPixels(before, renderPage(sealed.output, 1), isRed)).not.toBeNull();
    // Without a stored seal, the seal template has nothing to show.
    const empty = mkdtempSync(path.join(os.tmpdir(), 'kyso-home-'));
    await expect(sign(personal.output, agency, { template: 'seal', home: empty })).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
  });
});

describe('three signatures in a row stay valid', () => {
  it('personal, seal, then a text signature', async () => {
    const input = assets.pdf('rotated-270.pdf');
    const a = await sign(
      input,
      chairman,
      { template: 'personal', image: assets.image('signature.png'), anchor: 'CHỦ TỊCH' },
      { check: 1 },
    );
    const b = await sign(
      a.output,
      agency,
      { template: 'seal', image: assets.image('seal.png') },
      { check: 2 },
    );
    const c = await sign(b.output, agency, { template: 'text', docNumber: '45/TB-UBND' }, { check: 3 });
    expect(readFileSync(c.output).subarray(0, statSync(input).size).equals(readFileSync(input))).toBe(true);
    // Our verifier agrees with pdfsig: three valid signatures, the last covering the whole file.
    const trust = await loadTrustStore({ files: [pkiFile('root-ca.pem')], managed: false });
    const report = await verifyPdf({ input: c.output, trust, at: SIGNING_TIME, lang: 'en' });
    expect(report.signatures.map((x) => x.status)).toEqual(['valid', 'valid', 'valid']);
    expect(report.signatures.at(-1)?.coverage.wholeDocument).toBe(true);
  });
});

describe('bad input: a specific error before anything is signed, nothing written', () => {
  const input = (): string => assets.pdf('portrait.pdf');
  const cases: Array<[string, () => AppearanceRequest, string, number?]> = [
    [
      'a missing image',
      () => ({ template: 'personal', image: path.join(assets.dir, 'nope.png') }),
      'IMAGE_NOT_FOUND',
    ],
    [
      'a text file named .png',
      () => ({ template: 'personal', image: assets.image('not-an-image.png') }),
      'IMAGE_UNSUPPORTED',
    ],
    ['a GIF', () => ({ template: 'personal', image: assets.image('image.gif') }), 'IMAGE_UNSUPPORTED'],
    [
      'a truncated PNG',
      () => ({ template: 'personal', image: assets.image('truncated.png') }),
      'IMAGE_UNREADABLE',
    ],
    [
      'a box off the page',
      () => ({ template: 'personal', rect: { x: 500, y: 800, width: 200, height: 90 } }),
      'RECT_OUTSIDE_PAGE',
    ],
    ['a page past the end', () => ({ template: 'personal' }), 'PDF_PAGE_OUT_OF_RANGE', 2],
    [
      'an anchor not on the page',
      () => ({ template: 'personal', anchor: 'PHÓ CHỦ TỊCH' }),
      'ANCHOR_NOT_FOUND',
    ],
    [
      'a font without Vietnamese',
      () => ({
        template: 'text',
        settings: { ...defaults(), font: '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf' },
      }),
      'FONT_NO_VIETNAMESE',
    ],
    [
      'a font file that is not a font',
      () => ({ template: 'text', settings: { ...defaults(), font: assets.image('signature.png') } }),
      'FONT_UNREADABLE',
    ],
  ];
  for (const [label, request, code, page] of cases) {
    it(label, async () => {
      await expect(prepareAppearance(input(), request(), page)).rejects.toMatchObject({ code });
      const output = path.join(out, `bad-${code}.pdf`);
      let signed = false;
      const counting = Object.create(chairman, {
        sign: {
          value: (...args: unknown[]) => (
            (signed = true),
            (chairman.sign as (...a: unknown[]) => unknown)(...args)
          ),
        },
      }) as KeySigner;
      await expect(
        signPdf({
          input: input(),
          output,
          signer: counting,
          options: { appearance: appearanceFor(request()), ...(page ? { page } : {}) },
        }),
      ).rejects.toMatchObject({ code });
      expect(signed).toBe(false);
      expect(existsSync(output)).toBe(false);
    });
  }
});

/** The personal signature image's box on page 1 as displayed (from its appearance stream). */
async function imageBoxOnDisplay(
  file: string,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const reader = await PdfReader.open(file);
  try {
    const [widget] = await signedWidgets(reader);
    const box = widget!.imageBoxes[0]!;
    const page = await reader.getPage(0);
    const g = pageGeometry(page);
    return userRectToDisplay(g, box);
  } finally {
    await reader.close();
  }
}

/** Width and height of a field's widget, as displayed (rounded to 0.01 pt). */
/** A signature widget's /Rect, rounded to hundredths of a point. */
async function widgetRect(file: string, fieldName: string): Promise<number[]> {
  const reader = await PdfReader.open(file);
  try {
    const field = await reader.findField(fieldName);
    const rect = await reader.resolve(field.widgets[0]!.dict.get('Rect') ?? null);
    return (rect as PdfArray).items.map((v) => Math.round((v as PdfNumber).value * 100) / 100);
  } finally {
    await reader.close();
  }
}

async function widgetSize(file: string, fieldName: string): Promise<[number, number]> {
  const reader = await PdfReader.open(file);
  try {
    const field = await reader.findField(fieldName);
    const rect = await reader.resolve(field.widgets[0]!.dict.get('Rect') ?? null);
    const n = (rect as PdfArray).items.map((v) => (v as PdfNumber).value);
    const r = (x: number): number => Math.round(x * 100) / 100;
    const [w, h] = [Math.abs(n[2]! - n[0]!), Math.abs(n[3]! - n[1]!)];
    const page = await reader.getPage(0);
    return page.rotate % 180 === 0 ? [r(w), r(h)] : [r(h), r(w)];
  } finally {
    await reader.close();
  }
}

function defaults(): NonNullable<AppearanceRequest['settings']> {
  return {
    timeFormat: 'dd.MM.yyyy HH:mm:ss XXX',
    utcOffsetMinutes: 420,
    templates: { personal: {}, seal: {}, text: {}, 'certified-copy': {} },
  };
}
