// Opens a document for display by range reads over the contract (`document.read`), never the whole
// file: pdf.js asks for the parts it needs (the cross-reference at the end, then page 1's objects),
// so the first page of a 200 MB scan shows after a few hundred kilobytes.
import { PDFDataRangeTransport, getDocument, pdfjsAssets, type PDFDocumentProxy } from './pdfjs.js';

export type ReadRange = (offset: number, length: number) => Promise<Uint8Array>;

/** pdf.js asks for chunks of this size (and merges neighbouring requests). */
const CHUNK = 256 * 1024;

class ContractRangeTransport extends PDFDataRangeTransport {
  constructor(
    size: number,
    initial: Uint8Array,
    private readonly read: ReadRange,
    private readonly onError: (error: unknown) => void,
  ) {
    super(size, initial);
  }

  override requestDataRange(begin: number, end: number): void {
    this.read(begin, end - begin).then(
      (bytes) => this.onDataRange(begin, bytes),
      (error: unknown) => this.onError(error),
    );
  }
}

export interface RangeDocument {
  readonly pdf: PDFDocumentProxy;
  destroy(): Promise<void>;
}

export async function openRangeDocument(size: number, read: ReadRange): Promise<RangeDocument> {
  const initial = await read(0, Math.min(size, CHUNK));
  let failure: unknown = null;
  const transport = new ContractRangeTransport(size, initial, read, (error) => {
    failure = error;
    void task.destroy();
  });
  transport.transportReady();
  const task = getDocument({
    ...pdfjsAssets,
    range: transport,
    length: size,
    rangeChunkSize: CHUNK,
    disableAutoFetch: true,
    disableStream: true,
  });
  try {
    const pdf = await task.promise;
    return { pdf, destroy: () => task.destroy() };
  } catch (error) {
    throw failure ?? error;
  }
}

/** A small in-memory PDF (the appearance preview). */
export async function openBytesDocument(bytes: Uint8Array): Promise<RangeDocument> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = getDocument({ ...pdfjsAssets, data: bytes.slice() });
  const pdf = await task.promise;
  return { pdf, destroy: () => task.destroy() };
}
