// Large files: opening a 200 MB PDF and reading its catalog and page must read a few blocks, not the
// file; a big stream is refused past the caller's limit; an update appends without loading the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PdfDict, PdfRef } from '../../../src/signing/pdf/index.js';
import {
  IncrementalUpdate,
  PdfReader,
  PdfStream,
  pdfDict,
  pdfTextString,
} from '../../../src/signing/pdf/index.js';
import { run } from './corpus.js';

const BIG = 200 * 1024 * 1024;
let dir = '';
let file = '';

/**
 * Writes a one-page PDF whose page shows a 200 MB image XObject (an unfiltered stream written in
 * chunks). The big object comes first, so the page, the catalog and the xref sit at the far end.
 */
function writeBigPdf(target: string): void {
  const fd = fs.openSync(target, 'w');
  let pos = 0;
  const offsets: number[] = [];
  const put = (data: string | Buffer): void => {
    const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    fs.writeSync(fd, b);
    pos += b.length;
  };
  const obj = (num: number, body: string): void => {
    offsets[num] = pos;
    put(`${num} 0 obj\n${body}\nendobj\n`);
  };
  put('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  // 1: the image, 10240 x 20480 gray pixels = 200 MB.
  offsets[1] = pos;
  put(
    `1 0 obj\n<< /Type /XObject /Subtype /Image /Width 10240 /Height 20480 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${BIG} >>\nstream\n`,
  );
  const chunk = Buffer.alloc(8 * 1024 * 1024, 0x80);
  for (let written = 0; written < BIG; written += chunk.length)
    put(chunk.subarray(0, Math.min(chunk.length, BIG - written)));
  put('\nendstream\nendobj\n');
  const content = 'q 500 0 0 800 50 20 cm /Im1 Do Q BT /F1 12 Tf 50 820 Td (KYSO-MARKER big p1) Tj ET';
  obj(2, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  obj(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  obj(
    4,
    '<< /Type /Page /Parent 5 0 R /MediaBox [0 0 600 842] /Resources << /XObject << /Im1 1 0 R >> /Font << /F1 3 0 R >> >> /Contents 2 0 R >>',
  );
  obj(5, '<< /Type /Pages /Kids [4 0 R] /Count 1 >>');
  obj(6, '<< /Type /Catalog /Pages 5 0 R >>');
  const xref = pos;
  put('xref\n0 7\n0000000000 65535 f\r\n');
  for (let n = 1; n <= 6; n++) put(`${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`);
  put(`trailer\n<< /Size 7 /Root 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  fs.closeSync(fd);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-pdf-big-'));
  file = path.join(dir, 'big.pdf');
  writeBigPdf(file);
});
afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

describe('a 200 MB file', () => {
  it('opens and reads the catalog and page without reading the file', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const r = await PdfReader.open(file);
    expect(r.size).toBeGreaterThan(BIG);
    expect((await r.catalog()).getName('Type')).toBe('Catalog');
    expect(await r.pageCount()).toBe(1);
    const page = await r.getPage(0);
    expect(page.mediaBox).toEqual([0, 0, 600, 842]);
    const image = await r.resolve((page.resources?.get('XObject') as PdfDict).get('Im1') ?? null);
    expect(image).toBeInstanceOf(PdfStream);
    expect((image as PdfStream).data).toMatchObject({ kind: 'file', length: BIG });
    // The caller's limit is enforced before anything is read.
    await expect(
      r.getStreamData(image as PdfStream, { decode: true, maxBytes: 16 * 1024 * 1024 }),
    ).rejects.toMatchObject({
      code: 'PDF_TOO_LARGE',
    });
    process.stdout.write(`200 MB file: ${r.stats.bytesRead} bytes read in ${r.stats.reads} reads\n`);
    expect(r.stats.bytesRead).toBeLessThan(2 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);

    // An incremental update is written from the reader alone and appended to the file.
    const update = new IncrementalUpdate(r);
    const ref = update.allocate();
    update.set(ref, pdfDict({ Name: pdfTextString('Nguyễn Thị Hồng Nhung') }));
    const catalog = (await r.catalog()).clone();
    catalog.set('KysoTest', ref);
    update.set(r.trailer.get('Root') as PdfRef, catalog);
    const { bytes } = update.serialize();
    await r.close();
    const sizeBefore = fs.statSync(file).size;
    fs.appendFileSync(file, bytes);

    const again = await PdfReader.open(file);
    expect(again.revisions.map((v) => v.endOffset)).toEqual([sizeBefore, sizeBefore + bytes.length]);
    expect((await again.catalog()).get('KysoTest')).toEqual(ref);
    expect(again.stats.bytesRead).toBeLessThan(2 * 1024 * 1024);
    await again.close();
    const check = run('qpdf', ['--check', file]);
    expect([0, 3]).toContain(check.status);
  }, 120_000);
});
