// The document as it was at the end of each revision: a reader over the file's first N bytes, so
// that each revision is read through its own cross-reference (what a viewer showed when it was
// signed), independently of what later updates claim. Each view reads the file in place through the
// PDF layer's prefix option: memory does not grow with the file, so a scanned dossier of any size
// gets the same analysis as a one-page decision.
import { isKysoError, type KysoError } from '../../shared/errors.js';
import { PdfReader } from '../pdf/index.js';

export type ViewResult =
  | { readonly ok: true; readonly reader: PdfReader }
  | { readonly ok: false; readonly error: KysoError | Error };

export class RevisionViews {
  private readonly views = new Map<number, Promise<ViewResult>>();

  /**
   * @param input the file's path, or its bytes when read whole
   * @param size its size
   * @param boundaries revision ends (ascending, the last one the final revision)
   * @param final the reader of the whole file, used as the last revision's view
   */
  constructor(
    private readonly input: string | Buffer,
    readonly size: number,
    readonly boundaries: readonly number[],
    private readonly final: PdfReader,
  ) {}

  get count(): number {
    return this.boundaries.length;
  }

  /** 1-based revision ending at `end` (its %%EOF with or without EOL), or 0 when none does. */
  revisionEndingAt(end: number, eolTolerance: number): number {
    for (let i = 0; i < this.boundaries.length; i++) {
      const b = this.boundaries[i]!;
      if (end <= b && b - end <= eolTolerance) return i + 1;
    }
    return 0;
  }

  /** The view of revision `n` (1-based). */
  view(n: number): Promise<ViewResult> {
    if (n === this.boundaries.length) return Promise.resolve({ ok: true, reader: this.final });
    const known = this.views.get(n);
    if (known !== undefined) return known;
    const opened = this.open(n);
    this.views.set(n, opened);
    return opened;
  }

  private async open(n: number): Promise<ViewResult> {
    const end = this.boundaries[n - 1];
    if (end === undefined) return { ok: false, error: new Error('no view') };
    try {
      return { ok: true, reader: await PdfReader.open(this.input, { length: end }) };
    } catch (err) {
      return { ok: false, error: isKysoError(err) || err instanceof Error ? err : new Error(String(err)) };
    }
  }

  async close(): Promise<void> {
    for (const [n, v] of this.views) {
      if (n === this.boundaries.length) continue;
      const r = await v;
      if (r.ok) await r.reader.close().catch(() => undefined);
    }
    this.views.clear();
  }
}
