// Cross-reference tricks after a signature: the "hide via referenced object" shadow attacks
// (Mainka, Mladenov, Rohlmann, NDSS 2021) and their relatives. A conforming viewer follows each
// revision's own cross-reference (offset, object stream index, generation) and shows whatever it
// finds there; the object comparison in modification-analysis.ts reads objects through a reader
// that checks numbers and repairs, so it would see the original where a viewer sees another
// object. Every revision after the first is checked here entry by entry, and anything a viewer
// could resolve differently from what was signed is a change that is never allowed.
import { isKysoError } from '../../shared/errors.js';
import { XrefAudit, type AuditedSection, type PdfReader, type XrefEntry } from '../pdf/index.js';
import type { ChangeFact } from './modification-analysis.js';
import type { ViewResult } from './revision-views.js';

/** Why a revision's cross-reference is a trick (stable; cross-reference-texts.ts says it in words). */
export type CrossReferenceTrick =
  | 'wrong-object'
  | 'no-object'
  | 'into-signed'
  | 'stream-index'
  | 'generation'
  | 'defined-twice'
  | 'hybrid-disagrees'
  | 'prev-loop'
  | 'prev-gap'
  | 'no-prev'
  | 'chain-broken'
  | 'repaired';

export interface CrossReferenceFindings {
  readonly facts: ChangeFact[];
  /** Revisions Kyso could not audit (too large, unreadable): their signatures are indeterminate. */
  readonly undecided: Set<number>;
}

export interface CrossReferenceAuditRequest {
  /** The file's path, or its bytes when read whole. */
  readonly input: string | Buffer;
  /** Revision ends, ascending; the last one the final revision. */
  readonly boundaries: readonly number[];
  /** The reader of revision `n` (for object stream indexes). */
  readonly view: (n: number) => Promise<ViewResult>;
  /** The final revision could only be read by rebuilding its cross-reference. */
  readonly finalRepaired: boolean;
}

/** A fact's subject: the trick and the object numbers or offsets it concerns, e.g. "wrong-object:4,7". */
export function trickSubject(trick: CrossReferenceTrick, values: readonly number[]): string {
  return `${trick}:${values.join(',')}`;
}

function sameEntry(a: XrefEntry | undefined, b: XrefEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.type === 'offset' && b.type === 'offset') return a.offset === b.offset && a.gen === b.gen;
  if (a.type === 'compressed' && b.type === 'compressed') return a.stream === b.stream && a.index === b.index;
  return a.type === b.type;
}

const inUse = (e: XrefEntry | undefined): boolean => e !== undefined && e.type !== 'free';

/** A section's entries as a hybrid-aware viewer reads them: the table wins except where it says "free". */
function viewerEntries(section: AuditedSection): Map<number, XrefEntry> {
  const merged = new Map(section.entries);
  if (section.streamEntries === null) return merged;
  for (const [num, e] of section.streamEntries) {
    const inTable = merged.get(num);
    if (inTable === undefined || (inTable.type === 'free' && e.type !== 'free')) merged.set(num, e);
  }
  return merged;
}

export async function auditCrossReferences(
  request: CrossReferenceAuditRequest,
): Promise<CrossReferenceFindings> {
  const { boundaries } = request;
  const count = boundaries.length;
  const facts: ChangeFact[] = [];
  const undecided = new Set<number>();
  const add = (revision: number, trick: CrossReferenceTrick, values: readonly number[]): void => {
    facts.push({
      revision,
      kind: 'cross-reference-changed',
      requirement: 'never',
      subject: trickSubject(trick, values),
      objects:
        trick.startsWith('prev') || trick === 'chain-broken' || trick === 'repaired' ? [] : [values[0]!],
    });
  };
  if (request.finalRepaired && count >= 2) add(count, 'repaired', []);
  if (count < 2) return { facts, undecided };

  let audit: XrefAudit;
  try {
    audit = await XrefAudit.open(request.input);
  } catch (err) {
    if (!isKysoError(err)) throw err;
    add(count, 'chain-broken', []);
    return { facts, undecided };
  }
  try {
    /** 1-based revision whose bytes hold `offset` (count + 1 past the last boundary). */
    const revisionOf = (offset: number): number => {
      for (let i = 0; i < count; i++) if (offset < boundaries[i]!) return i + 1;
      return count + 1;
    };
    const byRevision = new Map<number, AuditedSection[]>();
    for (const s of audit.sections) {
      const r = revisionOf(s.offset);
      byRevision.set(r, [...(byRevision.get(r) ?? []), s]);
    }

    // The chain: each revision after the first must lead, through /Prev, to the one just before it.
    if (audit.loopFrom !== null) {
      const r = revisionOf(audit.loopFrom);
      add(r > 1 ? r : count, 'prev-loop', [audit.loopFrom]);
    }
    if (audit.chainError !== null) {
      const last = audit.sections.at(-1);
      add(last === undefined ? count : Math.max(2, revisionOf(last.offset)), 'chain-broken', []);
    }
    for (let r = 2; r <= count; r++) {
      const sections = byRevision.get(r) ?? [];
      const exit = sections.at(-1);
      if (exit === undefined) continue; // a revision the chain skips: reported by the later one
      if (audit.loopFrom === exit.offset || (audit.chainError !== null && exit === audit.sections.at(-1)))
        continue;
      if (exit.prev === undefined) add(r, 'no-prev', [r - 1]);
      else {
        const target = revisionOf(exit.prev);
        if (target !== r - 1) add(r, 'prev-gap', [exit.prev, target]);
      }
    }

    // Entries: what a viewer finds where each entry of each later revision points, compared with
    // the previous revision as its own cross-reference shows it (the chain may not reach it).
    const chained = new Map<number, XrefEntry>();
    const applyRevision = (r: number): void => {
      const sections = byRevision.get(r) ?? [];
      for (let i = sections.length - 1; i >= 0; i--) {
        for (const [num, e] of viewerEntries(sections[i]!)) chained.set(num, e);
      }
    };
    applyRevision(1);
    for (let r = 2; r <= count; r++) {
      const start = boundaries[r - 2]!;
      const previous = await request.view(r - 1);
      const before: ReadonlyMap<number, XrefEntry> =
        previous.ok && !previous.reader.needsFullXref && previous.reader.offsetShift === 0
          ? previous.reader.xrefEntries()
          : chained;
      const sections = byRevision.get(r) ?? [];
      let reader: PdfReader | null = null;
      const readerOf = async (): Promise<PdfReader | null> => {
        if (reader !== null) return reader;
        const v = await request.view(r);
        reader = v.ok ? v.reader : null;
        return reader;
      };
      for (const section of sections) {
        if (section.streamEntries !== null) {
          for (const [num, e] of section.streamEntries) {
            const t = section.entries.get(num);
            if (inUse(t) && inUse(e) && !sameEntry(t, e)) add(r, 'hybrid-disagrees', [num]);
          }
        }
        for (const [num, e] of viewerEntries(section)) {
          if (num === 0) continue;
          const old = before.get(num);
          if (e.type === 'offset') {
            const header = await audit.headerAt(e.offset);
            if (header === null) add(r, 'no-object', [num, e.offset]);
            else if (header.num !== num || header.gen !== e.gen) add(r, 'wrong-object', [num, header.num]);
            const unchanged = old?.type === 'offset' && old.offset === e.offset && old.gen === e.gen;
            if (e.offset < start && !unchanged) add(r, 'into-signed', [num, revisionOf(e.offset)]);
            if (old?.type === 'offset' && old.gen !== e.gen) add(r, 'generation', [num, old.gen, e.gen]);
          } else if (e.type === 'compressed') {
            if (old?.type === 'offset' && old.gen !== 0) add(r, 'generation', [num, old.gen, 0]);
            const rd = await readerOf();
            if (rd === null) continue; // an unreadable revision is reported as such
            let found: number | null = null;
            try {
              found = await rd.objectNumberInStream(e.stream, e.index);
            } catch (err) {
              if (!isKysoError(err)) throw err;
            }
            if (found !== num) add(r, 'stream-index', [num, e.stream]);
          }
        }
      }
      await findDoubleDefinitions(audit, r, start, boundaries[r - 1]!, sections, add, undecided);
      applyRevision(r);
    }
  } finally {
    await audit.close();
  }
  return { facts: dedupe(facts), undecided };
}

/** One object number defined twice in one revision's bytes with different content. */
async function findDoubleDefinitions(
  audit: XrefAudit,
  revision: number,
  start: number,
  end: number,
  sections: readonly AuditedSection[],
  add: (revision: number, trick: CrossReferenceTrick, values: readonly number[]) => void,
  undecided: Set<number>,
): Promise<void> {
  const defs = await audit.definitions(start, end);
  if (defs === null) {
    undecided.add(revision);
    return;
  }
  const seen = new Map<number, number[]>();
  for (const d of defs) seen.set(d.num, [...(seen.get(d.num) ?? []), d.offset]);
  const stops = [...defs.map((d) => d.offset), ...sections.map((s) => s.offset), end].sort((a, b) => a - b);
  const bodyOf = async (offset: number): Promise<string> => {
    const next = stops.find((s) => s > offset) ?? end;
    const bytes = await audit.read(offset, Math.min(next - offset, 16 * 1024 * 1024));
    // The header itself ("N G obj") differs in spacing only; what follows is the definition.
    return bytes
      .toString('latin1')
      .replace(/^\d+\s+\d+\s*obj/, '')
      .trim();
  };
  for (const [num, offsets] of seen) {
    if (offsets.length < 2) continue;
    const first = await bodyOf(offsets[0]!);
    for (const o of offsets.slice(1)) {
      if ((await bodyOf(o)) !== first) {
        add(revision, 'defined-twice', [num]);
        break;
      }
    }
  }
}

/** Each finding once, and at most a few of one trick per revision (a rewritten table lists hundreds). */
function dedupe(facts: readonly ChangeFact[]): ChangeFact[] {
  const seen = new Set<string>();
  const perTrick = new Map<string, number>();
  return facts.filter((f) => {
    const key = `${f.revision}|${f.subject}`;
    const trick = `${f.revision}|${f.subject.split(':')[0] ?? ''}`;
    const n = perTrick.get(trick) ?? 0;
    if (seen.has(key) || n >= MAX_PER_TRICK) return false;
    seen.add(key);
    perTrick.set(trick, n + 1);
    return true;
  });
}

const MAX_PER_TRICK = 3;

/**
 * Ends of revisions that the /Prev chain skips: a `startxref … %%EOF` with a readable section
 * between two revisions the chain knows. Without them, a signature whose revision an update
 * cut out of the chain would not even be found.
 */
export async function skippedRevisionEnds(
  input: string | Buffer,
  revisions: ReadonlyArray<{ readonly endOffset: number; readonly xrefOffset: number }>,
): Promise<number[]> {
  if (revisions.length < 2) return [];
  let audit: XrefAudit;
  try {
    audit = await XrefAudit.open(input);
  } catch (err) {
    if (isKysoError(err)) return [];
    throw err;
  }
  try {
    const ends: number[] = [];
    for (let k = 0; k + 1 < revisions.length; k++) {
      ends.push(...(await audit.revisionEndsIn(revisions[k]!.endOffset, revisions[k + 1]!.xrefOffset)));
    }
    return ends;
  } finally {
    await audit.close();
  }
}
