// Generators of cross-reference tricks against a signed document: each appends, byte by byte, a
// revision whose cross-reference makes a viewer resolve an object differently from what was
// signed (the "hide via referenced object" shadow attacks and their relatives). Nothing is re-signed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PdfReader, type XrefEntry } from '../../../src/signing/pdf/index.js';
import type { CrossReferenceTrick } from '../../../src/signing/verify/cross-reference-audit.js';
import { HIDDEN_TEXT, OBJ } from './sample-documents.js';

export interface XrefTrickSample {
  readonly name: string;
  readonly file: string;
  /** The revision that plays the trick. */
  readonly revision: number;
  /** The trick the verifier must name (any cross-reference change when undefined). */
  readonly trick?: CrossReferenceTrick;
  /** An object number the description must mention. */
  readonly object?: number;
}

const stream = (data: string, dict = ''): string =>
  `<< ${dict} /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`;

const HIDDEN_PAGE = `BT /F1 16 Tf 72 760 Td (${HIDDEN_TEXT}) Tj ET`;

/** One appended revision written by hand. */
export class RawRevision {
  private text = '';
  constructor(private readonly base: Buffer) {}

  get pos(): number {
    return this.base.length + Buffer.byteLength(this.text, 'latin1');
  }

  /** Writes `num gen obj … endobj`; returns its offset. */
  object(num: number, gen: number, body: string): number {
    const at = this.pos;
    this.text += `${num} ${gen} obj\n${body}\nendobj\n`;
    return at;
  }

  raw(s: string): void {
    this.text += s;
  }

  /** A classic table (one subsection per entry) with its trailer; returns the table's offset. */
  table(
    entries: ReadonlyArray<{ num: number; offset: number; gen?: number; free?: boolean }>,
    trailer: string,
    startxref?: number,
  ): number {
    const at = this.pos;
    this.text += 'xref\n';
    for (const e of [...entries].sort((a, b) => a.num - b.num)) {
      const off = String(e.offset).padStart(10, '0');
      const gen = String(e.gen ?? 0).padStart(5, '0');
      this.text += `${e.num} 1\n${off} ${gen} ${e.free === true ? 'f' : 'n'} \n`;
    }
    this.text += `trailer\n<< ${trailer} >>\nstartxref\n${startxref ?? at}\n%%EOF\n`;
    return at;
  }

  /** An uncompressed cross-reference stream object (W 1 4 2); returns its offset. */
  xrefStream(
    num: number,
    rows: ReadonlyArray<{ num: number; type: 0 | 1 | 2; f2: number; f3: number }>,
    dict: string,
  ): number {
    const sorted = [...rows].sort((a, b) => a.num - b.num);
    let data = '';
    for (const r of sorted) {
      const b = Buffer.alloc(7);
      b.writeUInt8(r.type, 0);
      b.writeUInt32BE(r.f2, 1);
      b.writeUInt16BE(r.f3, 5);
      data += b.toString('latin1');
    }
    const index = sorted.map((r) => `${r.num} 1`).join(' ');
    return this.object(num, 0, stream(data, `/Type /XRef /W [1 4 2] /Index [${index}] ${dict}`));
  }

  end(startxref: number): void {
    this.text += `startxref\n${startxref}\n%%EOF\n`;
  }

  bytes(): Buffer {
    return Buffer.concat([this.base, Buffer.from(this.text, 'latin1')]);
  }
}

interface Base {
  readonly bytes: Buffer;
  readonly startxref: number;
  readonly size: number;
  readonly entries: ReadonlyMap<number, XrefEntry>;
}

async function baseOf(file: string): Promise<Base> {
  const reader = await PdfReader.open(file);
  try {
    return {
      bytes: readFileSync(file),
      startxref: reader.startxref,
      size: reader.trailer.getInt('Size') ?? 0,
      entries: new Map(reader.xrefEntries()),
    };
  } finally {
    await reader.close();
  }
}

function offsetOf(base: Base, num: number): number {
  const e = base.entries.get(num);
  if (e?.type !== 'offset') throw new Error(`object ${num} has no offset entry`);
  return e.offset;
}

/** The first definition of `num` in the file's first revision (before any update). */
function firstDefinition(bytes: Buffer, num: number): number {
  const at = bytes.indexOf(`\n${num} 0 obj`, 0, 'latin1');
  if (at < 0) throw new Error(`no definition of ${num}`);
  return at + 1;
}

/**
 * Every trick against `signed` (shadowReadyPdf signed once: revision 1 the original, 2 the
 * signature). `amended` is the same document with an unsigned update that replaced the page
 * content before signing, then signed (revisions 1, 2 and 3).
 */
export async function buildXrefTricks(
  signed: string,
  amended: string,
  dir: string,
): Promise<XrefTrickSample[]> {
  const out: XrefTrickSample[] = [];
  const base = await baseOf(signed);
  const root = `/Root ${OBJ.catalog} 0 R`;
  const trailer = `/Size ${base.size + 20} ${root} /Prev ${base.startxref}`;
  const write = (name: string, bytes: Buffer, sample: Omit<XrefTrickSample, 'name' | 'file'>): void => {
    const file = path.join(dir, `${name}.pdf`);
    writeFileSync(file, bytes);
    out.push({ name, file, ...sample });
  };

  // The page content's entry points at the unreferenced shadow content stream of the signed bytes.
  {
    const r = new RawRevision(base.bytes);
    r.table([{ num: OBJ.contents, offset: offsetOf(base, OBJ.shadowContents) }], trailer);
    write('xref-points-at-other-object', r.bytes(), {
      revision: 3,
      trick: 'wrong-object',
      object: OBJ.contents,
    });
  }
  // The same with the other object appended in the update under another number.
  {
    const r = new RawRevision(base.bytes);
    const at = r.object(base.size + 1, 0, stream(HIDDEN_PAGE));
    r.table([{ num: OBJ.contents, offset: at }], trailer);
    write('xref-points-at-appended-object', r.bytes(), {
      revision: 3,
      trick: 'wrong-object',
      object: OBJ.contents,
    });
  }
  // An entry that points at no object at all (a viewer repairs and may pick any definition).
  {
    const r = new RawRevision(base.bytes);
    r.object(OBJ.contents, 0, stream(HIDDEN_PAGE));
    r.table([{ num: OBJ.contents, offset: 17 }], trailer);
    write('xref-points-at-nothing', r.bytes(), { revision: 3 });
  }
  // Points back into the signed bytes at an older definition of the same object (header matches).
  {
    const amendedBase = await baseOf(amended);
    const r = new RawRevision(amendedBase.bytes);
    r.table(
      [{ num: OBJ.contents, offset: firstDefinition(amendedBase.bytes, OBJ.contents) }],
      `/Size ${amendedBase.size + 20} ${root} /Prev ${amendedBase.startxref}`,
    );
    write('xref-points-into-signed-bytes', r.bytes(), {
      revision: 4,
      trick: 'into-signed',
      object: OBJ.contents,
    });
  }
  // A generation trick: "4 1 obj" with new content while the page still says "4 0 R".
  {
    const r = new RawRevision(base.bytes);
    const at = r.object(OBJ.contents, 1, stream(HIDDEN_PAGE));
    r.table([{ num: OBJ.contents, offset: at, gen: 1 }], trailer);
    write('xref-generation-changed', r.bytes(), { revision: 3, trick: 'generation', object: OBJ.contents });
  }
  // A free entry for the cover XObject: the text it hid shows.
  {
    const r = new RawRevision(base.bytes);
    r.table([{ num: OBJ.cover, offset: 0, gen: 1, free: true }], trailer);
    write('xref-free-entry', r.bytes(), { revision: 3 });
  }
  // One object defined twice in the update: the entry names the signed copy, a repairing viewer
  // (which keeps the last definition) shows the other.
  {
    const signedContent = base.bytes.subarray(
      offsetOf(base, OBJ.contents),
      base.bytes.indexOf('endobj', offsetOf(base, OBJ.contents), 'latin1'),
    );
    const body = signedContent.toString('latin1').replace(/^\d+\s+\d+\s+obj\s*/, '');
    const r = new RawRevision(base.bytes);
    const at = r.object(OBJ.contents, 0, body.trimEnd());
    r.object(OBJ.contents, 0, stream(HIDDEN_PAGE));
    r.table([{ num: OBJ.contents, offset: at }], trailer);
    write('xref-defined-twice', r.bytes(), { revision: 3, trick: 'defined-twice', object: OBJ.contents });
  }
  // A compressed entry whose object stream holds another object at the index it names.
  {
    const r = new RawRevision(base.bytes);
    const objA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
    const objB = '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>';
    const a = base.size + 1;
    const b = base.size + 2;
    const header = `${a} 0 ${b} ${objA.length + 1} `;
    const objstm = base.size + 3;
    const at = r.object(
      objstm,
      0,
      stream(`${header}${objA}\n${objB}`, `/Type /ObjStm /N 2 /First ${header.length}`),
    );
    const xrefNum = base.size + 4;
    const xrefAt = r.pos;
    r.xrefStream(
      xrefNum,
      [
        { num: OBJ.font, type: 2, f2: objstm, f3: 1 },
        { num: objstm, type: 1, f2: at, f3: 0 },
        { num: xrefNum, type: 1, f2: xrefAt, f3: 0 },
      ],
      `/Size ${base.size + 5} ${root} /Prev ${base.startxref}`,
    );
    r.end(xrefAt);
    write('xref-object-stream-index', r.bytes(), { revision: 3, trick: 'stream-index', object: OBJ.font });
  }
  // A hybrid update whose table keeps the signed content while its stream points at new content.
  {
    const r = new RawRevision(base.bytes);
    const hidden = r.object(OBJ.contents, 0, stream(HIDDEN_PAGE));
    const xrefNum = base.size + 1;
    const stmAt = r.pos;
    r.xrefStream(
      xrefNum,
      [
        { num: OBJ.contents, type: 1, f2: hidden, f3: 0 },
        { num: xrefNum, type: 1, f2: stmAt, f3: 0 },
      ],
      `/Size ${base.size + 2} ${root}`,
    );
    r.table(
      [{ num: OBJ.contents, offset: offsetOf(base, OBJ.contents) }],
      `/Size ${base.size + 2} ${root} /Prev ${base.startxref} /XRefStm ${stmAt}`,
    );
    write('xref-hybrid-disagrees', r.bytes(), {
      revision: 3,
      trick: 'hybrid-disagrees',
      object: OBJ.contents,
    });
  }
  // /Prev pointing at the update's own section: a loop.
  {
    const r = new RawRevision(base.bytes);
    const at = r.object(OBJ.contents, 0, stream(HIDDEN_PAGE));
    const tableAt = r.pos;
    r.table([{ num: OBJ.contents, offset: at }], `/Size ${base.size + 20} ${root} /Prev ${tableAt}`);
    write('xref-prev-loop', r.bytes(), { revision: 3 });
  }
  // /Prev skipping the signature's revision: the update builds on the unsigned original.
  {
    const r = new RawRevision(base.bytes);
    const at = r.object(OBJ.contents, 0, stream(HIDDEN_PAGE));
    const original = firstXref(base.bytes);
    r.table([{ num: OBJ.contents, offset: at }], `/Size ${base.size + 20} ${root} /Prev ${original}`);
    write('xref-prev-gap', r.bytes(), { revision: 3, trick: 'prev-gap' });
  }
  // No /Prev: a complete table of its own that cuts the earlier revisions off.
  {
    const r = new RawRevision(base.bytes);
    const at = r.object(OBJ.contents, 0, stream(HIDDEN_PAGE));
    const entries = [...base.entries]
      .filter(([num, e]) => num > 0 && e.type === 'offset')
      .map(([num, e]) => ({ num, offset: num === OBJ.contents ? at : (e as { offset: number }).offset }));
    r.table([{ num: 0, offset: 0, gen: 65535, free: true }, ...entries], `/Size ${base.size} ${root}`);
    write('xref-no-prev', r.bytes(), { revision: 3, trick: 'no-prev' });
  }
  // A startxref that points nowhere: the update can only be read by rebuilding its cross-reference.
  {
    const r = new RawRevision(base.bytes);
    const at = r.object(OBJ.contents, 0, stream(HIDDEN_PAGE));
    r.table([{ num: OBJ.contents, offset: at }], trailer, 5);
    write('xref-needs-repair', r.bytes(), { revision: 3 });
  }
  return out;
}

/** The offset the first startxref of the file names (the original revision's section). */
function firstXref(bytes: Buffer): number {
  const m = /startxref\s+(\d+)/.exec(bytes.toString('latin1'));
  if (!m) throw new Error('no startxref');
  return Number(m[1]);
}
