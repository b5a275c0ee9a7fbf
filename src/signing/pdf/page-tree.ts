// The page tree: page count, and page N with its inherited attributes (MediaBox, CropBox, Rotate,
// Resources). Descends by /Count so page 400 of a big file does not load 400 page objects.
import { KysoError } from '../../shared/errors.js';
import { PdfArray, PdfDict, PdfNumber, PdfRef } from './objects.js';
import type { PdfValue } from './objects.js';

export type PdfRect = [number, number, number, number];

export interface PdfPage {
  readonly index: number;
  readonly ref: PdfRef;
  readonly dict: PdfDict;
  /** Normalised so that x1 < x2 and y1 < y2. US Letter when the file has none (as viewers do). */
  readonly mediaBox: PdfRect;
  /** Clipped to the MediaBox; the MediaBox when absent. */
  readonly cropBox: PdfRect;
  readonly rotate: 0 | 90 | 180 | 270;
  readonly resources: PdfDict | null;
}

/** What the page tree needs from the reader. */
export interface Resolver {
  resolve(value: PdfValue | undefined): Promise<PdfValue>;
  catalog(): Promise<PdfDict>;
}

const INHERITABLE = ['MediaBox', 'CropBox', 'Rotate', 'Resources'] as const;
type Inherited = Partial<Record<(typeof INHERITABLE)[number], PdfValue>>;

interface Leaf {
  readonly ref: PdfRef;
  readonly dict: PdfDict;
  readonly inherited: Inherited;
}

const MAX_DEPTH = 64;
const MAX_PAGES = 5_000_000;
const LETTER: PdfRect = [0, 0, 612, 792];

const malformed = (message: string): KysoError => new KysoError('PDF_MALFORMED', message);

function inherit(from: Inherited, node: PdfDict): Inherited {
  const out: Inherited = { ...from };
  for (const key of INHERITABLE) {
    const v = node.get(key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function isPagesNode(d: PdfDict): boolean {
  const type = d.getName('Type');
  if (type === 'Pages') return true;
  if (type === 'Page') return false;
  return d.has('Kids');
}

export class PageTree {
  private leaves: Leaf[] | null = null;
  private rootCache: { ref: PdfRef | null; dict: PdfDict } | null = null;

  constructor(
    private readonly r: Resolver,
    private readonly fileSize: number,
  ) {}

  private async root(): Promise<{ ref: PdfRef | null; dict: PdfDict }> {
    if (this.rootCache !== null) return this.rootCache;
    const catalog = await this.r.catalog();
    const pagesValue = catalog.get('Pages');
    const dict = await this.r.resolve(pagesValue);
    if (!(dict instanceof PdfDict)) throw malformed('The PDF file has no page tree.');
    this.rootCache = { ref: pagesValue instanceof PdfRef ? pagesValue : null, dict };
    return this.rootCache;
  }

  /**
   * The root's /Count when it is plausible (every page takes more than a few bytes of file), as
   * viewers report it; otherwise the pages found by walking the tree.
   */
  async count(): Promise<number> {
    const { dict } = await this.root();
    const count = await this.int(dict.get('Count'));
    if (count !== null && count <= this.fileSize / 16) return count;
    return (await this.allLeaves()).length;
  }

  async page(index: number): Promise<PdfPage> {
    const count = await this.count();
    if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw outOfRange(index, count);
    let leaf = await this.descend(index);
    if (leaf === null) {
      // /Count lied somewhere below the root, or the tree loops: walk it all.
      const leaves = await this.allLeaves();
      leaf = leaves[index] ?? null;
      if (leaf === null) throw outOfRange(index, leaves.length);
    }
    return this.describe(index, leaf);
  }

  /** Finds leaf `index` using each node's /Count; null when the counts do not add up. */
  private async descend(index: number): Promise<Leaf | null> {
    const root = await this.root();
    let node = root.dict;
    let inherited = inherit({}, node);
    const visited = new Set<string>(root.ref ? [root.ref.key] : []);
    let remaining = index;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const kids = await this.r.resolve(node.get('Kids'));
      if (!(kids instanceof PdfArray)) return null;
      // A node whose /Count equals its number of kids has only pages below it: jump straight there.
      if ((await this.int(node.get('Count'))) === kids.length) {
        const kid = kids.items[remaining];
        if (kid instanceof PdfRef) {
          const d = await this.r.resolve(kid);
          if (d instanceof PdfDict && !isPagesNode(d)) return { ref: kid, dict: d, inherited };
        }
      }
      let next: PdfDict | null = null;
      for (const kid of kids.items) {
        if (!(kid instanceof PdfRef) || visited.has(kid.key)) return null;
        const d = await this.r.resolve(kid);
        if (!(d instanceof PdfDict)) return null;
        if (isPagesNode(d)) {
          const c = await this.int(d.get('Count'));
          if (c === null) return null;
          if (remaining < c) {
            visited.add(kid.key);
            next = d;
            break;
          }
          remaining -= c;
        } else {
          if (remaining === 0) return { ref: kid, dict: d, inherited };
          remaining--;
        }
      }
      if (next === null) return null;
      node = next;
      inherited = inherit(inherited, node);
    }
    return null;
  }

  /** Every page, in order, by walking the whole tree (loops are errors, not hangs). */
  private async allLeaves(): Promise<Leaf[]> {
    if (this.leaves !== null) return this.leaves;
    const root = await this.root();
    const leaves: Leaf[] = [];
    const visited = new Set<string>(root.ref ? [root.ref.key] : []);
    const walk = async (node: PdfDict, inherited: Inherited, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH) throw malformed('The page tree of the PDF file is too deep.');
      const kids = await this.r.resolve(node.get('Kids'));
      if (!(kids instanceof PdfArray)) return;
      for (const kid of kids.items) {
        if (kid === null) continue;
        if (!(kid instanceof PdfRef))
          throw malformed('The page tree of the PDF file holds a page that is not an object of its own.');
        const d = await this.r.resolve(kid);
        if (!(d instanceof PdfDict)) continue; // a missing page object: viewers skip it too
        if (isPagesNode(d)) {
          if (visited.has(kid.key)) throw malformed('The page tree of the PDF file loops.');
          visited.add(kid.key);
          await walk(d, inherit(inherited, d), depth + 1);
        } else {
          if (leaves.length >= MAX_PAGES)
            throw new KysoError('PDF_TOO_LARGE', 'The PDF file has too many pages.');
          leaves.push({ ref: kid, dict: d, inherited });
        }
      }
    };
    await walk(root.dict, inherit({}, root.dict), 0);
    this.leaves = leaves;
    return leaves;
  }

  private async describe(index: number, leaf: Leaf): Promise<PdfPage> {
    const own = inherit(leaf.inherited, leaf.dict);
    const mediaBox = (await this.rect(own.MediaBox)) ?? LETTER;
    const crop = await this.rect(own.CropBox);
    const cropBox = crop === null ? mediaBox : (intersect(crop, mediaBox) ?? mediaBox);
    const rot = await this.r.resolve(own.Rotate);
    const resources = await this.r.resolve(own.Resources);
    return {
      index,
      ref: leaf.ref,
      dict: leaf.dict,
      mediaBox,
      cropBox,
      rotate: normaliseRotate(rot instanceof PdfNumber ? rot.value : 0),
      resources: resources instanceof PdfDict ? resources : null,
    };
  }

  private async int(value: PdfValue | undefined): Promise<number | null> {
    const v = await this.r.resolve(value);
    return v instanceof PdfNumber && Number.isSafeInteger(v.value) && v.value >= 0 ? v.value : null;
  }

  private async rect(value: PdfValue | undefined): Promise<PdfRect | null> {
    const arr = await this.r.resolve(value);
    if (!(arr instanceof PdfArray) || arr.length < 4) return null;
    const n: number[] = [];
    for (const item of arr.items.slice(0, 4)) {
      const v = await this.r.resolve(item);
      if (!(v instanceof PdfNumber) || !Number.isFinite(v.value)) return null;
      n.push(v.value);
    }
    const [a, b, c, d] = n as [number, number, number, number];
    const r: PdfRect = [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
    return r[2] > r[0] && r[3] > r[1] ? r : null;
  }
}

function intersect(a: PdfRect, b: PdfRect): PdfRect | null {
  const r: PdfRect = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[2] > r[0] && r[3] > r[1] ? r : null;
}

/** /Rotate must be a multiple of 90; anything else is ignored, as viewers do. */
export function normaliseRotate(value: number): 0 | 90 | 180 | 270 {
  if (!Number.isInteger(value) || value % 90 !== 0) return 0;
  return (((value % 360) + 360) % 360) as 0 | 90 | 180 | 270;
}

function outOfRange(index: number, count: number): KysoError {
  return new KysoError('PDF_PAGE_OUT_OF_RANGE', `The PDF file has no page ${index + 1}; it has ${count}.`, {
    details: { page: index + 1, pageCount: count },
  });
}
