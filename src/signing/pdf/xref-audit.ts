// The cross-reference chain exactly as written, for auditing it rather than reading the document:
// every section with its own entries (a hybrid section's table and stream kept apart), the /Prev
// each trailer names, where the walk looped or broke, the object header found where an entry
// points, and the object definitions a byte range holds. The verifier uses this to see what a
// conforming viewer would show for each revision, where the reader itself prefers to be lenient.
import { isKysoError, type KysoError } from '../../shared/errors.js';
import { openByteSource, type ByteSource } from './byte-source.js';
import { Lexer } from './lexer.js';
import { findStartXref, readXrefSection, type XrefEntry, type XrefKind } from './xref.js';

export interface AuditedSection {
  /** Where the section starts. */
  readonly offset: number;
  /** Just past the section. */
  readonly end: number;
  readonly kind: XrefKind;
  /** The /Prev its trailer names, if any. */
  readonly prev: number | undefined;
  /** The section's own entries (for a hybrid file: the table's). */
  readonly entries: ReadonlyMap<number, XrefEntry>;
  /** A hybrid section's /XRefStm entries, kept apart from the table's. */
  readonly streamEntries: ReadonlyMap<number, XrefEntry> | null;
}

export interface ObjectHeader {
  readonly num: number;
  readonly gen: number;
}

export interface ObjectDefinition extends ObjectHeader {
  readonly offset: number;
}

/** How far a definition scan goes before giving up (an update this large is not audited byte by byte). */
export const MAX_DEFINITION_SCAN = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const OVERLAP = 64;
// "N G obj" preceded by whitespace, a delimiter or the start of the range.
const OBJ_RE =
  /(?<![^\0\t\n\f\r ()<>[\]{}/%])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]*obj(?![A-Za-z0-9])/g;

const EOF_RE = /startxref[\0\t\n\f\r ]+(\d{1,15})[\0\t\n\f\r ]+%%EOF(\r\n|\r|\n)?/g;

export class XrefAudit {
  private constructor(
    private readonly src: ByteSource,
    /** Sections in chain order, newest first. */
    readonly sections: readonly AuditedSection[],
    /** Offset of the section whose /Prev leads back to a section already read, or null. */
    readonly loopFrom: number | null,
    /** Why the walk stopped early (an unreadable section), or null. */
    readonly chainError: KysoError | null,
  ) {}

  /** File size (or the prefix length). */
  get size(): number {
    return this.src.size;
  }

  /**
   * Reads the chain of the file at `path`, or of bytes already read, or of its first `length` bytes;
   * PDF_TRUNCATED when there is no startxref.
   */
  static async open(path: string | Buffer, options: { length?: number } = {}): Promise<XrefAudit> {
    const src = await openByteSource(path, options.length !== undefined ? { length: options.length } : {});
    try {
      const head = await src.read(0, 1024);
      const headerOffset = Math.max(0, head.indexOf('%PDF-', 0, 'latin1'));
      const startxref = await findStartXref(src);
      const sections: AuditedSection[] = [];
      const visited = new Set<number>();
      let loopFrom: number | null = null;
      let chainError: KysoError | null = null;
      let next: number | undefined = startxref;
      while (next !== undefined && sections.length < 10_000) {
        if (visited.has(next)) {
          loopFrom = sections.at(-1)?.offset ?? null;
          break;
        }
        visited.add(next);
        let section;
        try {
          section = await readXrefSection(src, next, { headerOffset });
        } catch (err) {
          if (!isKysoError(err)) throw err;
          chainError = err;
          break;
        }
        visited.add(section.offset);
        const prev = section.trailer.getInt('Prev');
        sections.push({
          offset: section.offset,
          end: section.xrefStm === null ? section.end : Math.max(section.end, section.xrefStm.end),
          kind: section.kind,
          prev,
          entries: section.entries,
          streamEntries: section.xrefStm?.entries ?? null,
        });
        next = prev;
      }
      return new XrefAudit(src, sections, loopFrom, chainError);
    } catch (err) {
      await src.close().catch(() => undefined);
      throw err;
    }
  }

  /** The `N G obj` header at `offset`, or null when none starts there. */
  async headerAt(offset: number): Promise<ObjectHeader | null> {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.src.size) return null;
    const buf = await this.src.read(offset, 48);
    try {
      const lexer = new Lexer(buf, true, 0);
      const a = lexer.next();
      const b = lexer.next();
      const c = lexer.next();
      if (a.type !== 'number' || !a.isInt || b.type !== 'number' || !b.isInt) return null;
      if (c.type !== 'keyword' || c.value !== 'obj') return null;
      return { num: a.value, gen: b.value };
    } catch (err) {
      if (isKysoError(err)) return null;
      throw err;
    }
  }

  /**
   * Every `N G obj` header in [from, to), in file order; null when the range is larger than
   * MAX_DEFINITION_SCAN (the caller cannot decide on it).
   */
  async definitions(from: number, to: number): Promise<ObjectDefinition[] | null> {
    const stop = Math.min(to, this.src.size);
    if (stop - from > MAX_DEFINITION_SCAN) return null;
    const found: ObjectDefinition[] = [];
    for (let s = from; s < stop; s += CHUNK) {
      const start = Math.max(from, s - 1); // one byte before, for the look-behind
      const buf = await this.src.read(start, Math.min(stop, s + CHUNK + OVERLAP) - start);
      const text = buf.toString('latin1');
      for (const m of text.matchAll(OBJ_RE)) {
        const at = start + m.index;
        if (at < s || at >= s + CHUNK || at >= stop) continue;
        found.push({ num: Number(m[1]), gen: Number(m[2]), offset: at });
      }
    }
    return found;
  }

  /**
   * Ends of revisions in [from, to): `startxref N %%EOF` whose N starts a readable cross-reference
   * section that ends before it. Finds a revision that the /Prev chain skips.
   */
  async revisionEndsIn(from: number, to: number): Promise<number[]> {
    const stop = Math.min(to, this.src.size);
    if (stop <= from || stop - from > MAX_DEFINITION_SCAN) return [];
    const ends: number[] = [];
    for (let s = from; s < stop; s += CHUNK) {
      const buf = await this.src.read(s, Math.min(stop, s + CHUNK + OVERLAP) - s);
      for (const m of buf.toString('latin1').matchAll(EOF_RE)) {
        const at = s + m.index;
        if (at >= s + CHUNK || at >= stop) continue;
        const startxref = Number(m[1]);
        const end = at + m[0].length;
        try {
          const section = await readXrefSection(this.src, startxref, { headerOffset: 0 });
          if (section.end <= at) ends.push(end);
        } catch (err) {
          if (!isKysoError(err)) throw err;
        }
      }
    }
    return ends;
  }

  /** Raw bytes (for comparing two definitions of one object). */
  read(offset: number, length: number): Promise<Buffer> {
    return this.src.read(offset, Math.max(0, Math.min(length, this.src.size - offset)));
  }

  close(): Promise<void> {
    return this.src.close();
  }
}
