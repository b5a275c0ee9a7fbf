// Opening a PDF: header, version, the cross-reference chain (or its repair), revisions, and the
// check that the table's offsets really point at objects. PdfReader builds on the result.
import { KysoError, isKysoError } from '../../shared/errors.js';
import type { ByteSource } from './byte-source.js';
import { Lexer, NeedMoreData } from './lexer.js';
import { parseIndirectHeader } from './object-parser.js';
import { PdfDict } from './objects.js';
import { findStartXref, mergeSections, mergeTrailers, readXrefChain, revisionsOf } from './xref.js';
import type { Revision, XrefEntry, XrefKind, XrefSection } from './xref.js';
import { rebuildXref } from './xref-repair.js';

export interface StructureOptions {
  repair?: boolean;
  maxObjectStreamBytes?: number;
}

export const DEFAULT_MAX_OBJSTM = 64 * 1024 * 1024;
/** Objects checked at open to catch a cross-reference whose offsets do not match the file. */
const XREF_SAMPLES = 6;

const XREF_ADVICE =
  'Run again with --repair to rebuild it (this changes the file, so existing signatures break).';

/** PDF_XREF_BROKEN with the advice the user needs. */
export function xrefBroken(
  options: { details?: Record<string, string | number>; cause?: unknown } = {},
): KysoError {
  return new KysoError(
    'PDF_XREF_BROKEN',
    `The cross-reference table of the PDF file is broken. ${XREF_ADVICE}`,
    {
      details: options.details ?? {},
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    },
  );
}

export interface ReaderInit {
  header: string;
  isLinearized: boolean;
  headerOffset: number;
  trailer: PdfDict;
  entries: Map<number, XrefEntry>;
  lastXrefKind: XrefKind;
  isHybrid: boolean;
  revisions: Revision[];
  startxref: number;
  endsWithEol: boolean;
  repaired: boolean;
}

export async function readStructure(src: ByteSource, options: StructureOptions): Promise<ReaderInit> {
  if (src.size === 0) throw new KysoError('PDF_EMPTY', 'The PDF file is empty.');
  const head = await src.read(0, 1024);
  const headerOffset = head.indexOf('%PDF-', 0, 'latin1');
  if (headerOffset < 0) throw new KysoError('PDF_NOT_PDF', 'The file is not a PDF document.');
  const versionText = head.toString('latin1', headerOffset + 5, headerOffset + 5 + 16);
  const header = /^\d+\.\d+/.exec(versionText)?.[0] ?? versionText.split(/[\s%]/)[0] ?? '';
  const last = await src.read(src.size - 1, 1);
  const endsWithEol = last[0] === 0x0a || last[0] === 0x0d;
  const base = { header, headerOffset, endsWithEol, isLinearized: await detectLinearized(src, headerOffset) };

  let sections: XrefSection[];
  let startxref: number;
  try {
    startxref = await findStartXref(src);
    sections = await readXrefChain(src, startxref, { headerOffset });
  } catch (err) {
    if (!isKysoError(err) || options.repair !== true) throw xrefError(err);
    return repairedStructure(src, options, base);
  }
  const newest = sections[0]!;
  const trailer = mergeTrailers(sections);
  if (!trailer.has('Root') && options.repair === true) return repairedStructure(src, options, base);
  return {
    ...base,
    trailer,
    entries: mergeSections(sections),
    lastXrefKind: newest.kind,
    isHybrid: sections.some((s) => s.xrefStm !== null),
    revisions: await revisionsOf(src, sections),
    startxref: newest.offset,
    repaired: false,
  };
}

async function repairedStructure(
  src: ByteSource,
  options: StructureOptions,
  base: { header: string; headerOffset: number; endsWithEol: boolean; isLinearized: boolean },
): Promise<ReaderInit> {
  const rebuilt = await rebuildXref(src, {
    maxObjectStreamBytes: options.maxObjectStreamBytes ?? DEFAULT_MAX_OBJSTM,
  });
  const lastRevision = rebuilt.revisions[rebuilt.revisions.length - 1];
  return {
    ...base,
    trailer: rebuilt.trailer,
    entries: rebuilt.entries,
    lastXrefKind: lastRevision?.kind ?? 'table',
    isHybrid: false,
    revisions: rebuilt.revisions,
    startxref: lastRevision?.xrefOffset ?? 0,
    repaired: true,
  };
}

/** Xref problems other than a missing end become PDF_XREF_BROKEN with the repair advice. */
function xrefError(err: unknown): unknown {
  if (!isKysoError(err)) return err;
  if (err.code === 'PDF_TRUNCATED' || err.code === 'PDF_TOO_LARGE' || err.code === 'INPUT_UNREADABLE')
    return err;
  const details: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(err.details))
    if (typeof v === 'string' || typeof v === 'number') details[k] = v;
  return xrefBroken({ details, cause: err });
}

/** The catalog, the info dictionary, and a few entries spread over the table. */
export function sampleEntries(
  entries: Map<number, XrefEntry>,
  trailer: PdfDict,
): Array<{ num: number; offset: number }> {
  const out: Array<{ num: number; offset: number }> = [];
  const add = (num: number | undefined): void => {
    if (num === undefined || out.some((s) => s.num === num)) return;
    const e = entries.get(num);
    if (e?.type === 'offset') out.push({ num, offset: e.offset });
  };
  add(trailer.getRef('Root')?.num);
  const nums = [...entries.keys()].filter((n) => entries.get(n)?.type === 'offset').sort((a, b) => a - b);
  for (let i = 0; i < XREF_SAMPLES && nums.length > 0; i++) {
    add(nums[Math.floor((i * (nums.length - 1)) / Math.max(1, XREF_SAMPLES - 1))]);
  }
  return out;
}

export async function allAt(
  src: ByteSource,
  sample: ReadonlyArray<{ num: number; offset: number }>,
  shift: number,
): Promise<boolean> {
  for (const s of sample) {
    const buf = await src.read(s.offset + shift, 48);
    const lexer = new Lexer(buf, true, 0);
    try {
      const a = lexer.next();
      const b = lexer.next();
      const c = lexer.next();
      if (
        a.type !== 'number' ||
        a.value !== s.num ||
        b.type !== 'number' ||
        c.type !== 'keyword' ||
        c.value !== 'obj'
      ) {
        return false;
      }
    } catch (err) {
      if (isKysoError(err)) return false;
      throw err;
    }
  }
  return true;
}

/** True when the first object after the header is a linearization dictionary. */
async function detectLinearized(src: ByteSource, headerOffset: number): Promise<boolean> {
  const buf = await src.read(headerOffset, 2048);
  try {
    // The header line and the binary comment are comments to the lexer.
    const lexer = new Lexer(buf, buf.length < 2048, 0);
    lexer.skipWhitespace();
    const obj = parseIndirectHeader(buf.subarray(lexer.pos), headerOffset + lexer.pos, buf.length < 2048);
    return obj !== null && obj.value instanceof PdfDict && obj.value.has('Linearized');
  } catch (err) {
    if (err instanceof NeedMoreData || isKysoError(err)) return false;
    throw err;
  }
}
