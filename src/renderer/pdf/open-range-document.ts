// Opens a document for display by range reads over the contract (`document.read`), never the whole
// file: pdf.js asks for the parts it needs (the cross-reference at the end, then page 1's objects),
// so the first page of a 200 MB scan shows after a few hundred kilobytes.
import {
  PDFDataRangeTransport,
  getDocument,
  pdfWorker,
  pdfjsAssets,
  type PDFDocumentProxy,
} from './pdfjs.js';

export type ReadRange = (offset: number, length: number) => Promise<Uint8Array>;
/** Several ranges in one call (document.readMany), their bytes in the order asked. */
export type ReadRanges = (ranges: readonly { offset: number; length: number }[]) => Promise<Uint8Array[]>;

/**
 * pdf.js asks for chunks of this size and merges neighbouring ones into one request. Small: before
 * the first page, pdf.js checks the last page by walking the page tree, and in a scan every page
 * object sits beside its image, so it touches one chunk per page across the whole file.
 */
const CHUNK = 16 * 1024;
/** The contract's largest document.read, and the most one document.readMany carries in all. */
const MAX_READ = 16 * 1024 * 1024;
/** The contract's most ranges in one document.readMany. */
const MAX_RANGES = 512;

interface Wanted {
  readonly begin: number;
  readonly end: number;
}

/**
 * pdf.js's requests, carried in batches: the first goes at once; those that come while a batch is
 * on its way (a hundred before the first page of a scan) leave together, in one document.readMany,
 * when it returns — one round trip instead of a hundred.
 */
class ContractRangeTransport extends PDFDataRangeTransport {
  #waiting: Wanted[] = [];
  #busy = false;
  #closed = false;

  constructor(
    size: number,
    initial: Uint8Array,
    private readonly read: ReadRange,
    private readonly readMany: ReadRanges,
    private readonly onError: (error: unknown) => void,
  ) {
    super(size, initial);
  }

  override requestDataRange(begin: number, end: number): void {
    if (end - begin > MAX_READ) {
      this.#readLarge(begin, end);
      return;
    }
    this.#waiting.push({ begin, end });
    if (!this.#busy) this.#send();
  }

  /**
   * The document was closed (another one opened): what it still wanted is not read, so that the
   * host reads the new document's first page instead of the old one's thumbnails.
   */
  close(): void {
    this.#closed = true;
    this.#waiting = [];
  }

  #send(): void {
    if (this.#closed) return;
    const batch: Wanted[] = [];
    let bytes = 0;
    while (this.#waiting.length > 0 && batch.length < MAX_RANGES) {
      const next = this.#waiting[0]!;
      if (batch.length > 0 && bytes + next.end - next.begin > MAX_READ) break;
      batch.push(next);
      bytes += next.end - next.begin;
      this.#waiting.shift();
    }
    if (batch.length === 0) return;
    this.#busy = true;
    this.readMany(batch.map((w) => ({ offset: w.begin, length: w.end - w.begin })))
      .then(
        (parts) => {
          if (!this.#closed)
            batch.forEach((w, i) => this.onDataRange(w.begin, parts[i] ?? new Uint8Array(0)));
        },
        (error: unknown) => this.onError(error),
      )
      .finally(() => {
        this.#busy = false;
        this.#send();
      });
  }

  /** A range over the contract's bound (a huge image): in pieces, put together here. */
  #readLarge(begin: number, end: number): void {
    const parts: Promise<Uint8Array>[] = [];
    for (let at = begin; at < end; at += MAX_READ) parts.push(this.read(at, Math.min(MAX_READ, end - at)));
    Promise.all(parts)
      .then((chunks) => {
        const all = new Uint8Array(end - begin);
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        return all;
      })
      .then(
        (bytes) => this.onDataRange(begin, bytes),
        (error: unknown) => this.onError(error),
      );
  }
}

export interface RangeDocument {
  readonly pdf: PDFDocumentProxy;
  destroy(): Promise<void>;
}

export async function openRangeDocument(
  size: number,
  read: ReadRange,
  readMany: ReadRanges,
): Promise<RangeDocument> {
  const initial = await read(0, Math.min(size, CHUNK));
  let failure: unknown = null;
  const transport = new ContractRangeTransport(size, initial, read, readMany, (error) => {
    failure = error;
    void task.destroy();
  });
  transport.transportReady();
  const task = getDocument({
    ...pdfjsAssets,
    worker: pdfWorker(),
    range: transport,
    length: size,
    rangeChunkSize: CHUNK,
    disableAutoFetch: true,
    disableStream: true,
  });
  try {
    const pdf = await task.promise;
    return {
      pdf,
      destroy: () => {
        transport.close();
        return task.destroy();
      },
    };
  } catch (error) {
    throw failure ?? error;
  }
}

/** A small in-memory PDF (the appearance preview). */
export async function openBytesDocument(bytes: Uint8Array): Promise<RangeDocument> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = getDocument({ ...pdfjsAssets, worker: pdfWorker(), data: bytes.slice() });
  const pdf = await task.promise;
  return { pdf, destroy: () => task.destroy() };
}
