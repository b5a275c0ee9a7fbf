// appearance.preview of the seal: the seal keeps its real size (115.2 pt for the test image, 480 px
// at 300 dpi), centred on the box, so a box smaller than the seal must still give a preview whose
// page holds all of it — it used to fail with RECT_OUTSIDE_PAGE (the seal overflowed a page the size
// of the box). Checked with qpdf and by rendering the page with poppler.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAppearancePreview, type AppearanceSigner } from '../../../src/signing/appearance/index.js';
import { PdfReader, type PdfArray, type PdfNumber } from '../../../src/signing/pdf/index.js';
import { qpdfCheck } from '../../support/signed-output.js';
import {
  changedPixels,
  isRed,
  makeAssets,
  removeTemp,
  renderPage,
  type Assets,
} from './appearance-support.js';

let assets: Assets;
let out: string;

const signer: AppearanceSigner = {
  subjectCN: 'Văn thư Ủy ban',
  subjectDN: 'CN=Văn thư Ủy ban',
  subjectOrganization: 'Ủy ban nhân dân xã',
  subjectTitle: undefined,
  sha256: '0'.repeat(64),
};

beforeAll(() => {
  assets = makeAssets();
  out = mkdtempSync(path.join(os.tmpdir(), 'kyso-preview-seal-'));
}, 60_000);

afterAll(() => removeTemp(assets?.dir, out));

async function mediaBox(file: string): Promise<number[]> {
  const reader = await PdfReader.open(file);
  try {
    const page = await reader.getPage(0);
    const box = (await reader.resolve(page.dict.get('MediaBox') ?? null)) as PdfArray;
    return box.items.map((n) => Math.round((n as PdfNumber).value * 10) / 10);
  } finally {
    await reader.close();
  }
}

async function preview(width: number, height: number, name: string): Promise<string> {
  const { pdf } = await renderAppearancePreview({
    width,
    height,
    signer,
    signingTime: new Date(),
    appearance: { template: 'seal', image: assets.image('seal.png') },
  });
  const file = path.join(out, name);
  writeFileSync(file, pdf);
  return file;
}

describe('appearance preview of the seal', () => {
  it('renders a seal larger than the box: the page holds the whole seal', async () => {
    const file = await preview(113, 113, 'small-box.pdf');
    await qpdfCheck(file);
    // The page grew from the 113 pt box to the seal's real size.
    expect(await mediaBox(file)).toEqual([0, 0, 115.2, 115.2]);
    const page = renderPage(file, 1);
    const red = changedPixels(page, page, isRed);
    expect(red).not.toBeNull();
    // The red ring (472 of 480 px) spans nearly the whole page, cut nowhere.
    expect(red!.x2 - red!.x1).toBeGreaterThan(105);
    expect(red!.y2 - red!.y1).toBeGreaterThan(105);
  });

  it('keeps the box as the page when the seal fits in it, the seal centred', async () => {
    const file = await preview(200, 150, 'large-box.pdf');
    await qpdfCheck(file);
    expect(await mediaBox(file)).toEqual([0, 0, 200, 150]);
    const page = renderPage(file, 1);
    const red = changedPixels(page, page, isRed)!;
    expect(red).not.toBeNull();
    expect(Math.abs((red.x1 + red.x2) / 2 - 100)).toBeLessThan(3);
    expect(Math.abs((red.y1 + red.y2) / 2 - 75)).toBeLessThan(3);
  });
});
