// Helpers of the appearance tests: the generated assets (fixtures/appearance/make-assets.mjs), a
// .p12 signer from the test PKI, and what poppler sees of a signed page: a 72-dpi render (1 pixel =
// 1 point, CropBox as displayed), the extracted text, the image list.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openP12 } from '../../../src/signing/identity/index.js';
import type { KeySigner } from '../../../src/signing/identity/index.js';
import { decodePng } from '../../../src/signing/appearance/png-image.js';
import { pkiFile } from '../../support/fixtures.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface AnchorLayout {
  anchor: { x: number; y: number; w: number; h: number };
  display: [number, number];
  rotate: number;
}

export interface Assets {
  dir: string;
  image(name: string): string;
  pdf(name: string): string;
  layouts: Record<string, AnchorLayout>;
}

/** Removes the temp folders a test file made (KYSO_KEEP_FIXTURES keeps them to look at). */
export function removeTemp(...dirs: Array<string | undefined>): void {
  if (process.env['KYSO_KEEP_FIXTURES']) return;
  for (const d of dirs) if (d !== undefined) rmSync(d, { recursive: true, force: true });
}

/** Generates the images and documents into a fresh temp folder. */
export function makeAssets(): Assets {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-appearance-assets-'));
  execFileSync(process.execPath, [path.join(projectRoot, 'fixtures/appearance/make-assets.mjs'), dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    dir,
    image: (name) => path.join(dir, 'images', name),
    pdf: (name) => path.join(dir, 'pdf', name),
    layouts: JSON.parse(readFileSync(path.join(dir, 'pdf', 'layouts.json'), 'utf8')) as Record<
      string,
      AnchorLayout
    >,
  };
}

export const P12_PASSWORD = 'kyso-p12';

export function p12Signer(id: string): Promise<KeySigner> {
  return openP12(pkiFile(`${id}.p12`), P12_PASSWORD);
}

export interface RenderedPage {
  width: number;
  height: number;
  /** RGB at (x, y). */
  pixel(x: number, y: number): [number, number, number];
}

/** Renders page `page` (1-based) at 72 dpi: the CropBox, turned by /Rotate, as viewers show it. */
export function renderPage(file: string, page: number): RenderedPage {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-render-'));
  const out = path.join(dir, 'page');
  let raster;
  try {
    execFileSync('pdftoppm', [
      '-r',
      '72',
      '-cropbox',
      '-png',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      file,
      out,
    ]);
    raster = decodePng(readFileSync(`${out}.png`), `${out}.png`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ch = raster.colorSpace === 'DeviceRGB' ? 3 : 1;
  return {
    width: raster.width,
    height: raster.height,
    pixel: (x, y) => {
      const i = (y * raster.width + x) * ch;
      return ch === 3
        ? [raster.color[i]!, raster.color[i + 1]!, raster.color[i + 2]!]
        : [raster.color[i]!, raster.color[i]!, raster.color[i]!];
    },
  };
}

export interface PixelBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  count: number;
}

/** The bounding box of the pixels that differ between two renders (or that `select` picks in `after`). */
export function changedPixels(
  before: RenderedPage,
  after: RenderedPage,
  select: (p: [number, number, number], q: [number, number, number]) => boolean = (p, q) =>
    Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]) + Math.abs(p[2] - q[2]) > 30,
): PixelBox | null {
  let box: PixelBox | null = null;
  for (let y = 0; y < after.height; y++) {
    for (let x = 0; x < after.width; x++) {
      if (!select(before.pixel(x, y), after.pixel(x, y))) continue;
      if (box === null) box = { x1: x, y1: y, x2: x + 1, y2: y + 1, count: 1 };
      else {
        box.x1 = Math.min(box.x1, x);
        box.y1 = Math.min(box.y1, y);
        box.x2 = Math.max(box.x2, x + 1);
        box.y2 = Math.max(box.y2, y + 1);
        box.count++;
      }
    }
  }
  return box;
}

/** Strongly red or strongly blue pixels. */
export const isRed = (_: unknown, q: [number, number, number]): boolean =>
  q[0] > 150 && q[1] < 110 && q[2] < 110;
export const isBlue = (_: unknown, q: [number, number, number]): boolean =>
  q[2] > 120 && q[0] < 110 && q[2] - q[1] > 50;

export function pdftotext(file: string, page: number, extra: string[] = []): string {
  return execFileSync(
    'pdftotext',
    ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), ...extra, file, '-'],
    {
      encoding: 'utf8',
    },
  );
}

export function pdfimagesList(file: string): string {
  return execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
}
