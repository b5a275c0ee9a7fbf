// PdfReader over the generated corpus: page counts against pdfinfo, boxes and rotation, fields,
// revisions, xref kinds, encryption, and the error codes for files that are not usable PDFs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfReader,
  PdfStream,
  decodeTextString,
} from '../../../src/signing/pdf/index.js';
import type { XrefKind } from '../../../src/signing/pdf/index.js';
import { CORPUS_FILES, makeCorpus, run } from './corpus.js';

let dir = '';
const file = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = makeCorpus();
});
afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

async function withReader<T>(name: string, f: (r: PdfReader) => Promise<T>, options = {}): Promise<T> {
  const r = await PdfReader.open(file(name), options);
  try {
    return await f(r);
  } finally {
    await r.close();
  }
}

/** The page's content stream, or the first of its array of streams. */
async function firstContents(r: PdfReader, page: PdfDict): Promise<PdfStream> {
  let c = await r.resolve(page.get('Contents') ?? null);
  if (c instanceof PdfArray) c = await r.resolve(c.items[0] ?? null);
  if (!(c instanceof PdfStream)) throw new Error('page has no content stream');
  return c;
}

function pdfinfoPages(p: string): number {
  const out = run('pdfinfo', [p]);
  const m = /^Pages:\s+(\d+)/m.exec(out.stdout);
  if (m === null) throw new Error(`pdfinfo failed on ${p}: ${out.stderr}`);
  return Number(m[1]);
}

describe('PdfReader on the corpus', () => {
  const expected: Record<
    string,
    { kind: XrefKind; revisions: number; hybrid?: boolean; linearized?: boolean; header?: string }
  > = {
    'simple-table.pdf': { kind: 'table', revisions: 1 },
    'objstm.pdf': { kind: 'stream', revisions: 1 },
    'linearized.pdf': { kind: 'table', revisions: 1, linearized: true },
    'updated.pdf': { kind: 'table', revisions: 2 },
    'acroform.pdf': { kind: 'table', revisions: 1 },
    'empty-sigfield.pdf': { kind: 'table', revisions: 1 },
    'pages-500.pdf': { kind: 'stream', revisions: 1 },
    'rotated.pdf': { kind: 'table', revisions: 1 },
    'offset-box.pdf': { kind: 'table', revisions: 1 },
    'pdf20.pdf': { kind: 'table', revisions: 1, header: '2.0' },
    'hybrid.pdf': { kind: 'table', revisions: 1, hybrid: true },
  };

  for (const name of CORPUS_FILES) {
    it(`reads ${name}: pages as pdfinfo, xref kind, revisions`, async () => {
      const want = expected[name]!;
      await withReader(name, async (r) => {
        expect(await r.pageCount()).toBe(pdfinfoPages(file(name)));
        expect(r.lastXrefKind).toBe(want.kind);
        expect(r.revisions.length).toBe(want.revisions);
        expect(r.isHybrid).toBe(want.hybrid ?? false);
        expect(r.isLinearized).toBe(want.linearized ?? false);
        expect(r.header).toBe(want.header ?? (name === 'hybrid.pdf' ? '1.5' : '1.7'));
        expect(r.isEncrypted).toBe(false);
        expect((await r.catalog()).getName('Type')).toBe('Catalog');
        const size = fs.statSync(file(name)).size;
        expect(r.size).toBe(size);
        // The last revision ends at the end of the file; every revision ends after a %%EOF.
        expect(r.revisions[r.revisions.length - 1]?.endOffset).toBe(size);
        const bytes = fs.readFileSync(file(name));
        for (const rev of r.revisions)
          expect(bytes.toString('latin1', 0, rev.endOffset)).toMatch(/%%EOF\r?\n?$/);
        const first = await r.getPage(0);
        expect(first.dict.getName('Type')).toBe('Page');
        expect(first.resources).toBeInstanceOf(PdfDict);
      });
    });
  }

  it('reports the revisions of an updated file with their end offsets', async () => {
    await withReader('updated.pdf', async (r) => {
      const original = fs.statSync(file('simple-table.pdf')).size;
      // pdf-lib ends the file with "%%EOF" and no EOL; the update's first byte is the EOL.
      expect(r.revisions.map((v) => v.eofMarkerEnd)).toEqual([original, r.size - 1]);
      expect(r.revisions.map((v) => v.endOffset)).toEqual([original + 1, r.size]);
      expect(r.revisions.map((v) => v.kind)).toEqual(['table', 'table']);
      const info = await r.resolve(r.trailer.get('Info') ?? null);
      expect(info).toBeInstanceOf(PdfDict);
      expect(decodeTextString((info as PdfDict).get('Title') as never)).toBe('Updated once');
    });
  });

  it('gives page boxes off the origin and normalised rotation', async () => {
    await withReader('offset-box.pdf', async (r) => {
      const p = await r.getPage(0);
      expect(p.mediaBox).toEqual([100, 200, 712, 992]);
      expect(p.cropBox).toEqual([150, 250, 650, 950]);
    });
    await withReader('rotated.pdf', async (r) => {
      const rotations = [];
      for (let i = 0; i < 4; i++) rotations.push((await r.getPage(i)).rotate);
      expect(rotations).toEqual([90, 180, 270, 0]);
      expect((await r.getPage(3)).mediaBox).toEqual([0, 0, 842, 595]);
    });
  });

  it('walks 500 pages, any page directly, and rejects pages out of range', async () => {
    await withReader('pages-500.pdf', async (r) => {
      expect(await r.pageCount()).toBe(500);
      const last = await r.getPage(499);
      expect(last.index).toBe(499);
      const data = await r.getStreamData(await firstContents(r, last.dict), { decode: true, maxBytes: 1e6 });
      expect(data.bytes.toString('latin1')).toContain('Tj');
      await expect(r.getPage(500)).rejects.toMatchObject({ code: 'PDF_PAGE_OUT_OF_RANGE' });
      await expect(r.getPage(-1)).rejects.toMatchObject({ code: 'PDF_PAGE_OUT_OF_RANGE' });
    });
  });

  it('finds form fields by fully qualified name, with their widgets', async () => {
    await withReader('acroform.pdf', async (r) => {
      expect(await r.allFieldNames()).toEqual(['applicant.name', 'applicant.agree']);
      const name = await r.findField('applicant.name');
      expect(name.fieldType).toBe('Tx');
      expect(name.widgets.length).toBe(1);
      const agree = await r.findField('applicant.agree');
      expect(agree.fieldType).toBe('Btn');
      await expect(r.findField('applicant')).rejects.toMatchObject({ code: 'PDF_FIELD_NOT_FOUND' });
    });
    await withReader('empty-sigfield.pdf', async (r) => {
      expect(await r.allFieldNames()).toEqual(['ChuTich_Sig', 'Chữ ký Phó Chủ tịch']);
      const sig = await r.findField('ChuTich_Sig');
      expect(sig.fieldType).toBe('Sig');
      expect(sig.widgets[0]?.ref.equals(sig.ref)).toBe(true);
      expect(sig.dict.has('V')).toBe(false);
      // Found whether the caller's text is composed (NFC) or decomposed (NFD).
      const vi = await r.findField('Chữ ký Phó Chủ tịch'.normalize('NFD'));
      expect(vi.fieldType).toBe('Sig');
      const rect = vi.dict.get('Rect');
      expect(rect).toBeDefined();
    });
  });

  it('reads objects kept in object streams, and hidden ones of a hybrid file', async () => {
    await withReader('objstm.pdf', async (r) => {
      const compressed = [...r.xrefEntries().values()].filter((e) => e.type === 'compressed');
      expect(compressed.length).toBeGreaterThan(3);
      const page = await r.getPage(1);
      expect(r.xrefEntries().get(page.ref.num)?.type).toBe('compressed');
      const fonts = (await r.resolve(page.resources?.get('Font') ?? null)) as PdfDict;
      const [first] = [...fonts.entries()];
      const font = (await r.resolve(first?.[1] ?? null)) as PdfDict;
      expect(font.getName('BaseFont')).toBe('Helvetica');
    });
    await withReader('hybrid.pdf', async (r) => {
      const info = (await r.resolve(r.trailer.get('Info') ?? null)) as PdfDict;
      expect(decodeTextString(info.get('Title') as never)).toBe('Hybrid reference file');
      const fonts = (await r.resolve((await r.getPage(0)).resources?.get('Font') ?? null)) as PdfDict;
      const f1 = (await r.resolve(fonts.get('F1') ?? null)) as PdfDict;
      expect(f1.get('BaseFont')).toEqual(new PdfName('Helvetica'));
    });
  });

  it('detects encryption (made by qpdf --encrypt) and still reads the structure', async () => {
    await withReader('encrypted.pdf', async (r) => {
      expect(r.isEncrypted).toBe(true);
      expect(await r.pageCount()).toBe(2);
      const contents = await firstContents(r, (await r.getPage(0)).dict);
      await expect(r.getStreamData(contents, { decode: true, maxBytes: 1e6 })).rejects.toMatchObject({
        code: 'PDF_ENCRYPTED',
      });
    });
  });

  it('reads a file as it was at the end of an earlier revision (length), in place', async () => {
    const updated = file('updated.pdf');
    const whole = await PdfReader.open(updated);
    const firstEnd = whole.revisions[0]!.endOffset;
    await whole.close();
    const earlier = await PdfReader.open(updated, { length: firstEnd });
    try {
      expect(earlier.size).toBe(firstEnd);
      expect(earlier.revisions).toHaveLength(1);
      const info = await earlier.resolve(earlier.trailer.get('Info') ?? null);
      // the first revision's own Info, not the update's "Updated once"
      const title = info instanceof PdfDict ? info.get('Title') : undefined;
      expect(title === undefined ? undefined : decodeTextString(title as never)).not.toBe('Updated once');
      expect(await earlier.pageCount()).toBeGreaterThan(0);
    } finally {
      await earlier.close();
    }
    // The same from a Buffer, and a length past the end is the whole file.
    const fromBuffer = await PdfReader.open(fs.readFileSync(updated), { length: firstEnd });
    expect(fromBuffer.revisions).toHaveLength(1);
    await fromBuffer.close();
    const past = await PdfReader.open(updated, { length: Number.MAX_SAFE_INTEGER });
    expect(past.revisions).toHaveLength(2);
    await past.close();
  });

  it('opens from a Buffer as well as from a path', async () => {
    const r = await PdfReader.open(fs.readFileSync(file('objstm.pdf')));
    expect(await r.pageCount()).toBe(2);
    await r.close();
  });
});

describe('PdfReader errors', () => {
  const write = (name: string, bytes: Buffer | string): string => {
    const p = file(name);
    fs.writeFileSync(p, bytes);
    return p;
  };

  it('PDF_EMPTY for an empty file', async () => {
    await expect(PdfReader.open(write('empty.pdf', ''))).rejects.toMatchObject({ code: 'PDF_EMPTY' });
  });

  it('PDF_NOT_PDF for a file without a %PDF- header', async () => {
    await expect(PdfReader.open(write('not.pdf', 'not a pdf\n'.repeat(200)))).rejects.toMatchObject({
      code: 'PDF_NOT_PDF',
    });
  });

  it('INPUT_NOT_FOUND for a missing path', async () => {
    await expect(PdfReader.open(file('missing.pdf'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
  });

  it('PDF_TRUNCATED for a file cut in half', async () => {
    const bytes = fs.readFileSync(file('simple-table.pdf'));
    const p = write('truncated.pdf', bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(PdfReader.open(p)).rejects.toMatchObject({ code: 'PDF_TRUNCATED' });
  });

  it('PDF_XREF_BROKEN with advice for shifted offsets, and repair on request', async () => {
    const text = fs.readFileSync(file('simple-table.pdf')).toString('latin1');
    const shifted = text.replace(
      /^(\d{10}) (\d{5}) n/gm,
      (_m, off: string, gen: string) => `${String(Number(off) + 7).padStart(10, '0')} ${gen} n`,
    );
    expect(shifted).not.toBe(text);
    const p = write('shifted.pdf', Buffer.from(shifted, 'latin1'));
    const err = await PdfReader.open(p).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PDF_XREF_BROKEN' });
    expect((err as Error).message).toContain('--repair');
    const r = await PdfReader.open(p, { repair: true });
    expect(r.needsFullXref).toBe(true);
    expect(await r.pageCount()).toBe(2);
    expect((await r.getPage(1)).dict.getName('Type')).toBe('Page');
    await r.close();
  });

  it('repairs a file whose startxref is gone, only when asked', async () => {
    const bytes = fs.readFileSync(file('objstm.pdf'));
    const text = bytes.toString('latin1');
    const cut = Buffer.from(text.slice(0, text.lastIndexOf('startxref')), 'latin1');
    const p = write('no-startxref.pdf', cut);
    await expect(PdfReader.open(p)).rejects.toMatchObject({ code: 'PDF_TRUNCATED' });
    const r = await PdfReader.open(p, { repair: true });
    expect(await r.pageCount()).toBe(2);
    await r.close();
  });
});
