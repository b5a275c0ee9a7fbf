// "Cài đặt" in the browser: a signature image imported for the chairman's certificate (a red one
// first, which the engine warns about, then a blue one) is drawn by the next signature on the
// signing screen, which stays valid for Kyso, pdfsig and qpdf.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, testToken } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { appForEachTest, type AppSession, screenshot } from './support/app-session.js';
import { writeDecision } from './support/documents.js';
import { chooseCertificate, openPdf, signWithPin, signedOutput } from './support/screen-actions.js';

const CHAIRMAN = 'Nguyễn Thị Hồng Nhung';
let app: AppSession;
// A fresh app for each test, closed after it with no page error allowed; the browser shared.
appForEachTest((opened) => (app = opened));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A WIDTH×HEIGHT RGBA PNG: a transparent background with a thick stroke of `rgb` across it. */
function strokePng(file: string, width: number, height: number, rgb: [number, number, number]): void {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 4); // filter 0, then RGBA pixels
    for (let x = 0; x < width; x++) {
      const onStroke = Math.abs(y - height / 2 - Math.sin(x / 12) * (height / 4)) < 5;
      if (onStroke) row.set([...rgb, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.concat(rows))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

describe('Cài đặt', () => {
  it('an imported signature image is checked, previewed, and drawn by the next signature', async () => {
    const { page } = app;
    const red = path.join(app.files, 'chu-ky-do.png');
    const blue = path.join(app.files, 'chu-ky-xanh.png');
    strokePng(red, 300, 90, [200, 20, 20]);
    strokePng(blue, 241, 87, [20, 40, 190]);

    await page.getByRole('button', { name: 'Cài đặt' }).click();
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    const card = page.getByTestId('image-card-signature');
    await card.waitFor({ timeout: 60_000 });

    // A red signature: stored, with the engine's warning.
    await app.host.answerDialog('openImage', red);
    await card.getByRole('button', { name: 'Nhập ảnh…' }).click();
    await card.getByText('Ảnh PNG 300×90 điểm ảnh').waitFor();
    await expect(card.getByTestId('image-warning').getAttribute('data-code')).resolves.toBe(
      'SIGNATURE_NOT_BLUE',
    );

    // The blue one replaces it: no warning.
    await app.host.answerDialog('openImage', blue);
    await card.getByRole('button', { name: 'Nhập ảnh…' }).click();
    await card.getByText('Ảnh PNG 241×87 điểm ảnh').waitFor();
    await expect(card.getByTestId('image-warning').count()).resolves.toBe(0);
    await card.locator('canvas').waitFor();
    await screenshot(page, 'settings');

    // The next signature draws it.
    await page.getByRole('button', { name: 'Ký văn bản' }).first().click();
    const input = path.join(app.files, 'quyet-dinh.pdf');
    writeDecision(input);
    await openPdf(app, input);
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    await signWithPin(page, testToken(CHAIRMAN_TOKEN).pin);
    const output = await signedOutput(page);
    const added = readFileSync(output).subarray(readFileSync(input).length).toString('latin1');
    // The image XObject of the signature's appearance, in the update the signature added.
    expect(added).toMatch(/\/Subtype\s*\/Image[^>]*\/Width 241[^>]*\/Height 87|\/Height 87[^>]*\/Width 241/);
    await expectKysoVerifies(output);
    await expectPdfsigValid(output, 1);
    await qpdfCheck(output);
  });
});
