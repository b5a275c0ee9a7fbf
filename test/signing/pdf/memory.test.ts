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
import { writeBigPdf } from '../../support/big-pdf.js';

const BIG = 200 * 1024 * 1024;
let dir = '';
let file = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-pdf-big-'));
  file = path.join(dir, 'big.pdf');
  writeBigPdf(file, BIG);
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
