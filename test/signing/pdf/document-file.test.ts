// openDocumentFile: a document read whole up to the in-memory limit (one snapshot that every reader
// of the verifier shares), a larger one kept as a path and an open handle; the same errors as the
// readers give for missing and unreadable inputs; positional reads that stop at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDocumentFile, PdfReader } from '../../../src/signing/pdf/index.js';
import { isKysoError } from '../../../src/shared/errors.js';
import { makeCorpus } from './corpus.js';

let dir = '';
let corpus = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-document-file-'));
  corpus = makeCorpus();
});
afterAll(() => {
  for (const d of [dir, corpus]) if (d !== '') fs.rmSync(d, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return isKysoError(err) ? err.code : 'not a KysoError';
  }
  return 'no error';
}

describe('openDocumentFile', () => {
  it('reads a small document whole: the reader on its bytes sees what the reader on the path sees', async () => {
    const file = path.join(
      corpus,
      fs.readdirSync(corpus).find((f) => f.endsWith('.pdf'))!,
    );
    const doc = await openDocumentFile(file);
    try {
      expect(Buffer.isBuffer(doc.source)).toBe(true);
      expect(doc.source).toEqual(fs.readFileSync(file));
      expect(doc.file.bytes).toBe(doc.source);
      const fromBytes = await PdfReader.open(doc.source);
      const fromPath = await PdfReader.open(file);
      expect(await fromBytes.pageCount()).toBe(await fromPath.pageCount());
      expect(fromBytes.revisions).toEqual(fromPath.revisions);
      await Promise.all([fromBytes.close(), fromPath.close()]);
    } finally {
      await doc.file.close();
    }
  });

  it('keeps a document over the limit as its path, read in place through an open handle', async () => {
    const file = path.join(dir, 'big.bin');
    fs.writeFileSync(file, Buffer.from('%PDF-1.7\n0123456789'));
    const doc = await openDocumentFile(file, { inMemoryLimit: 8 });
    try {
      expect(doc.source).toBe(file);
      expect(doc.size).toBe(19);
      expect(doc.file.bytes).toBeUndefined();
      const buf = Buffer.alloc(4);
      expect((await doc.file.read(buf, 0, 4, 9)).bytesRead).toBe(4);
      expect(buf.toString('latin1')).toBe('0123');
    } finally {
      await doc.file.close();
    }
  });

  it('positional reads in memory stop at the end of the document, as a file handle does', async () => {
    const file = path.join(dir, 'small.bin');
    fs.writeFileSync(file, Buffer.from('abcdef'));
    const doc = await openDocumentFile(file);
    const buf = Buffer.alloc(8, 0x2e);
    expect((await doc.file.read(buf, 2, 6, 3)).bytesRead).toBe(3);
    expect(buf.toString('latin1')).toBe('..def...');
    expect((await doc.file.read(buf, 0, 4, 6)).bytesRead).toBe(0);
    expect((await doc.file.read(buf, 0, 4, 99)).bytesRead).toBe(0);
    await doc.file.close();
  });

  it('blocking reads give the same bytes; over the limit they give way to the file handle', async () => {
    const file = path.join(dir, 'blocking.bin');
    fs.writeFileSync(file, Buffer.from('%PDF-1.7\nblocking'));
    const small = await openDocumentFile(file, { blocking: true });
    expect(small.source).toEqual(fs.readFileSync(file));
    expect(small.file.bytes).toBe(small.source);
    await small.file.close();
    const large = await openDocumentFile(file, { blocking: true, inMemoryLimit: 4 });
    expect(large.source).toBe(file);
    expect(large.file.bytes).toBeUndefined();
    await large.file.close();
  });

  it('a missing file is INPUT_NOT_FOUND, a folder INPUT_UNREADABLE, as for the readers', async () => {
    for (const blocking of [false, true]) {
      expect(await codeOf(openDocumentFile(path.join(dir, 'nowhere.pdf'), { blocking }))).toBe(
        'INPUT_NOT_FOUND',
      );
      expect(await codeOf(openDocumentFile(dir, { blocking }))).toBe('INPUT_UNREADABLE');
    }
    expect(await codeOf(openDocumentFile(path.join(dir, 'nowhere.pdf')))).toBe('INPUT_NOT_FOUND');
    expect(await codeOf(PdfReader.open(path.join(dir, 'nowhere.pdf')))).toBe('INPUT_NOT_FOUND');
    expect(await codeOf(openDocumentFile(dir))).toBe('INPUT_UNREADABLE');
    expect(await codeOf(PdfReader.open(dir))).toBe('INPUT_UNREADABLE');
  });
});
