// IncrementalUpdate over the corpus: original bytes stay a prefix, qpdf accepts the result, our reader
// reads the new objects back, the xref kind is kept, and it works twice in a row (update on update).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IncrementalUpdate,
  PdfArray,
  PdfByteRangePlaceholder,
  PdfHexPlaceholder,
  PdfName,
  PdfReader,
  PdfRef,
  PdfStream,
  PdfString,
  byteRangeAround,
  decodeTextString,
  patchByteRange,
  patchHexContents,
  pdfDict,
  pdfInt,
  pdfTextString,
} from '../../../src/signing/pdf/index.js';
import type { UpdateBase, PdfDict, PdfNumber } from '../../../src/signing/pdf/index.js';
import { parseValueAt } from '../../../src/signing/pdf/object-parser.js';
import { parseXrefStreamData } from '../../../src/signing/pdf/xref.js';
import { CORPUS_FILES, corpusMarker, listFiles, makeCorpus, run, corpusPdfDir } from './corpus.js';

const NAME = 'Nguyễn Thị Hồng Nhung';
let dir = '';

beforeAll(() => {
  dir = makeCorpus();
});
afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

/** qpdf --check: 0 is clean, 3 is warnings only (printed so they are seen). */
function qpdfCheck(file: string): void {
  const r = run('qpdf', ['--check', file]);
  if (r.status === 3) process.stdout.write(`qpdf warnings for ${path.basename(file)}:\n${r.stderr}\n`);
  expect([0, 3], `qpdf --check ${file}: ${r.stderr}`).toContain(r.status);
  expect(r.stderr).not.toMatch(/damaged|reconstruct/i);
}

interface Appended {
  output: string;
  newRef: PdfRef;
  placeholders: {
    contents: { offset: number; length: number };
    byteRange: { offset: number; length: number };
  };
}

/**
 * Appends one update to `input`: a new dict holding a Vietnamese text string, a signature-like dict
 * with both placeholders, and the catalog replaced by a copy with an extra key.
 */
async function appendUpdate(input: string, output: string, round: number): Promise<Appended> {
  const reader = await PdfReader.open(input);
  try {
    const update = new IncrementalUpdate(reader);
    const newRef = update.allocate();
    update.set(
      newRef,
      pdfDict({ Type: new PdfName('KysoTest'), Name: pdfTextString(NAME), Round: pdfInt(round) }),
    );
    const sigRef = update.allocate();
    update.set(
      sigRef,
      pdfDict({
        Type: new PdfName('Sig'),
        Filter: new PdfName('Adobe.PPKLite'),
        SubFilter: new PdfName('ETSI.CAdES.detached'),
        ByteRange: new PdfByteRangePlaceholder(),
        Contents: new PdfHexPlaceholder(256),
      }),
    );
    const streamRef = update.allocate();
    update.set(streamRef, PdfStream.fromBytes(pdfDict({}), Buffer.from(`% kyso round ${round}\n`)));
    const rootRef = reader.trailer.get('Root') as PdfRef;
    const catalog = (await reader.catalog()).clone();
    catalog.set(`KysoTest${round}`, newRef);
    catalog.set(`KysoSig${round}`, sigRef);
    update.set(rootRef, catalog);
    const { bytes, placeholders, xrefKind } = update.serialize();
    expect(xrefKind).toBe(reader.lastXrefKind);
    const original = fs.readFileSync(input);
    const out = Buffer.concat([original, bytes]);
    fs.writeFileSync(output, out);
    const contents = placeholders.find((p) => p.kind === 'hex')!;
    const byteRange = placeholders.find((p) => p.kind === 'byteRange')!;
    return {
      output,
      newRef,
      placeholders: {
        contents: { offset: original.length + contents.offset, length: contents.length },
        byteRange: { offset: original.length + byteRange.offset, length: byteRange.length },
      },
    };
  } finally {
    await reader.close();
  }
}

function pdfinfoPages(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [file]).stdout)?.[1] ?? -1);
}

describe('IncrementalUpdate on the corpus', () => {
  for (const name of CORPUS_FILES) {
    it(`appends two updates to ${name}`, async () => {
      const first = await PdfReader.open(path.join(dir, name));
      const originalKind = first.lastXrefKind;
      const originalRevisions = first.revisions.length;
      const pages = await first.pageCount();
      await first.close();

      let input = path.join(dir, name);
      for (const round of [1, 2]) {
        const output = path.join(dir, `${path.basename(name, '.pdf')}.update${round}.pdf`);
        const before = fs.readFileSync(input);
        const appended = await appendUpdate(input, output, round);
        const after = fs.readFileSync(output);
        // The original is an exact prefix: earlier signatures stay valid.
        expect(after.subarray(0, before.length).equals(before)).toBe(true);

        // Placeholders point at `<000` and `[`, and patching keeps the length.
        const { contents, byteRange } = appended.placeholders;
        expect(after.toString('latin1', contents.offset, contents.offset + 4)).toBe('<000');
        expect(
          after.toString('latin1', contents.offset + contents.length - 1, contents.offset + contents.length),
        ).toBe('>');
        expect(after.toString('latin1', byteRange.offset, byteRange.offset + 1)).toBe('[');
        const range = byteRangeAround(contents, after.length);
        const patched = Buffer.from(after);
        patchByteRange({ kind: 'byteRange', length: byteRange.length }, range).copy(
          patched,
          byteRange.offset,
        );
        patchHexContents({ kind: 'hex', length: contents.length }, Buffer.from('3082', 'hex')).copy(
          patched,
          contents.offset,
        );
        expect(patched.length).toBe(after.length);
        const reparsed = parseValueAt(patched, byteRange.offset).value as PdfArray;
        expect(reparsed.items.map((v) => (v as PdfNumber).value)).toEqual([...range]);
        fs.writeFileSync(output, patched);

        qpdfCheck(output);
        expect(pdfinfoPages(output)).toBe(pages);
        const text = run('pdftotext', ['-f', '1', '-l', '1', output, '-']).stdout;
        expect(text).toContain(corpusMarker(name, 1));

        const r = await PdfReader.open(output);
        try {
          expect(r.lastXrefKind).toBe(originalKind);
          expect(r.revisions.length).toBe(originalRevisions + round);
          expect(r.revisions[r.revisions.length - 1]?.endOffset).toBe(after.length);
          const obj = (await r.getObject(appended.newRef)) as PdfDict;
          expect(decodeTextString(obj.get('Name') as PdfString)).toBe(NAME);
          expect(obj.get('Round')).toEqual(pdfInt(round));
          const catalog = await r.catalog();
          expect(catalog.get(`KysoTest${round}`)).toEqual(appended.newRef);
          if (round === 2) expect(catalog.has('KysoTest1')).toBe(true);
          expect(await r.pageCount()).toBe(pages);
          const sig = (await r.resolve(catalog.get(`KysoSig${round}`) ?? null)) as PdfDict;
          expect((sig.get('ByteRange') as PdfArray).items.map((v) => (v as PdfNumber).value)).toEqual([
            ...range,
          ]);
          expect((sig.get('Contents') as PdfString).bytes.subarray(0, 2)).toEqual(Buffer.from('3082', 'hex'));
        } finally {
          await r.close();
        }
        input = output;
      }
    });
  }

  it('refuses encrypted files', async () => {
    const r = await PdfReader.open(path.join(dir, 'encrypted.pdf'));
    expect(() => new IncrementalUpdate(r)).toThrow(expect.objectContaining({ code: 'PDF_ENCRYPTED' }));
    await r.close();
  });

  it('counts offsets from the header when the file does (bytes before %PDF-)', async () => {
    const shifted = path.join(dir, 'leading-junk.pdf');
    // Offsets in the copy stay what they were: counted from the header, as qpdf and Acrobat read them.
    fs.writeFileSync(
      shifted,
      Buffer.concat([
        Buffer.from('\n\n\t\t\t\t\n\n\n\n'),
        fs.readFileSync(path.join(dir, 'simple-table.pdf')),
      ]),
    );
    const r = await PdfReader.open(shifted);
    expect(r.headerOffset).toBe(10);
    expect(r.offsetShift).toBe(10);
    expect(r.needsFullXref).toBe(false);
    const update = new IncrementalUpdate(r);
    const ref = update.allocate();
    update.set(ref, pdfDict({ Name: pdfTextString(NAME) }));
    const { bytes } = update.serialize();
    await r.close();
    const out = path.join(dir, 'leading-junk.update.pdf');
    fs.writeFileSync(out, Buffer.concat([fs.readFileSync(shifted), bytes]));
    qpdfCheck(out);
    const again = await PdfReader.open(out);
    expect(again.revisions.length).toBe(2);
    expect(decodeTextString(((await again.getObject(ref)) as PdfDict).get('Name') as PdfString)).toBe(NAME);
    await again.close();
  });

  it('writes a complete cross-reference (no /Prev) for a repaired file', async () => {
    const text = fs.readFileSync(path.join(dir, 'objstm.pdf')).toString('latin1');
    const broken = path.join(dir, 'objstm-broken.pdf');
    // Damage the startxref: the xref stream can no longer be found.
    fs.writeFileSync(broken, Buffer.from(text.replace(/startxref\s+\d+/, 'startxref\n17'), 'latin1'));
    await expect(PdfReader.open(broken)).rejects.toMatchObject({ code: 'PDF_XREF_BROKEN' });
    const r = await PdfReader.open(broken, { repair: true });
    expect(r.needsFullXref).toBe(true);
    const update = new IncrementalUpdate(r);
    const ref = update.allocate();
    update.set(ref, pdfDict({ Name: pdfTextString(NAME) }));
    const { bytes, xrefKind } = update.serialize();
    await r.close();
    expect(xrefKind).toBe('stream'); // the repaired file has compressed objects
    const out = path.join(dir, 'objstm-repaired.pdf');
    fs.writeFileSync(out, Buffer.concat([fs.readFileSync(broken), bytes]));
    qpdfCheck(out);
    const again = await PdfReader.open(out);
    expect(again.needsFullXref).toBe(false);
    expect(await again.pageCount()).toBe(2);
    expect(decodeTextString(((await again.getObject(ref)) as PdfDict).get('Name') as PdfString)).toBe(NAME);
    await again.close();
  });
});

describe('IncrementalUpdate beyond 4 GB', () => {
  const base = (kind: 'table' | 'stream', size: number): UpdateBase => ({
    size,
    endsWithEol: true,
    lastXrefKind: kind,
    startxref: size - 1000,
    trailer: pdfDict({
      Root: new PdfRef(1, 0),
      Size: pdfInt(10),
      ID: new PdfArray([
        new PdfString(Buffer.from('first-id'), true),
        new PdfString(Buffer.from('second'), true),
      ]),
    }),
    nextObjectNumber: 10,
    isEncrypted: false,
    needsFullXref: false,
    offsetShift: 0,
    xrefEntries: () => new Map(),
  });

  it('writes 5-byte offsets in an xref stream and keeps the first /ID', () => {
    const size = 5_000_000_000;
    const update = new IncrementalUpdate(base('stream', size));
    const ref = update.allocate();
    update.set(ref, pdfDict({ A: pdfInt(1) }));
    const { bytes, xrefOffset } = update.serialize();
    const at = xrefOffset - size;
    const text = bytes.toString('latin1');
    expect(text.slice(at)).toMatch(/^11 0 obj\n<<\/Type \/XRef \/Size 12 \/W \[1 5 2\] \/Index \[10 2\]/);
    const dictEnd = text.indexOf('stream\n', at);
    const dict = parseValueAt(bytes, at + '11 0 obj\n'.length).value as PdfDict;
    expect((dict.get('ID') as PdfArray).items[0]).toEqual(new PdfString(Buffer.from('first-id'), true));
    expect(dict.get('Prev')).toEqual(pdfInt(size - 1000));
    const data = bytes.subarray(dictEnd + 7, dictEnd + 7 + (dict.get('Length') as PdfNumber).value);
    const entries = parseXrefStreamData(data, dict);
    expect(entries.get(10)).toEqual({ type: 'offset', offset: size, gen: 0 });
    expect(entries.get(11)).toEqual({ type: 'offset', offset: xrefOffset, gen: 0 });
    expect(text.endsWith(`startxref\n${xrefOffset}\n%%EOF\n`)).toBe(true);
  });

  it('writes 10-digit offsets in a classic table', () => {
    const size = 5_000_000_000;
    const update = new IncrementalUpdate(base('table', size));
    update.set(update.allocate(), pdfDict({ A: pdfInt(1) }));
    const text = update.serialize().bytes.toString('latin1');
    expect(text).toContain('xref\n10 1\n5000000000 00000 n\r\ntrailer\n<</Size 11 /Root 1 0 R');
  });
});

describe('IncrementalUpdate on real-world files', () => {
  /** qpdf's verdict, coarse: clean, warnings, damaged (it had to reconstruct), or errors. */
  const verdict = (file: string): string => {
    const r = run('qpdf', ['--check', file]);
    if (/damaged|reconstruct/i.test(r.stderr)) return 'damaged';
    return r.status === 0 ? 'clean' : r.status === 3 ? 'warnings' : 'errors';
  };
  const rank: Record<string, number> = { clean: 0, warnings: 1, damaged: 2, errors: 3 };

  it('never makes a file of the signed corpus worse for qpdf (every 5th file)', async () => {
    const files = listFiles(path.join(corpusPdfDir, 'signed')).filter((_f, i) => i % 5 === 0);
    expect(files.length).toBeGreaterThan(0);
    const worse: string[] = [];
    let updated = 0;
    for (const f of files) {
      let r: PdfReader;
      try {
        r = await PdfReader.open(f);
        await r.catalog();
      } catch {
        continue; // unreadable files are the robustness test's business
      }
      if (r.isEncrypted) {
        await r.close();
        continue;
      }
      const update = new IncrementalUpdate(r);
      const ref = update.allocate();
      update.set(ref, pdfDict({ Name: pdfTextString(NAME) }));
      const catalog = (await r.catalog()).clone();
      catalog.set('KysoTest', ref);
      update.set(r.trailer.get('Root') as PdfRef, catalog);
      const { bytes } = update.serialize();
      await r.close();
      const out = path.join(dir, 'real-world.pdf');
      fs.writeFileSync(out, Buffer.concat([fs.readFileSync(f), bytes]));
      updated++;
      const before = verdict(f);
      const after = verdict(out);
      const again = await PdfReader.open(out);
      const readBack = (await again.catalog()).get('KysoTest');
      await again.close();
      if (rank[after]! > rank[before]! || !(readBack instanceof PdfRef && readBack.equals(ref))) {
        worse.push(`${path.relative(corpusPdfDir, f)}: ${before} -> ${after}`);
      }
    }
    process.stdout.write(`real-world updates: ${updated} files updated, ${worse.length} worse\n`);
    expect(worse).toEqual([]);
  }, 300_000);
});
