// document.read answered in the host, from a file handle kept open per document. pdf.js shows the
// first page of a 120-page scan after ~120 small reads, one after the other (it walks the page tree
// object by object); through the engine process each read cost a second process hop and an
// open/stat/close, 8–19 ms, over a second in all. The engine process still opens every document (the
// host only learns its path from document.open's answer) and owns everything else.
import { open, type FileHandle } from 'node:fs/promises';
import { KysoError } from '../shared/errors.js';
import { readRange } from './services/read-range.js';

interface OpenFile {
  readonly handle: FileHandle;
  readonly size: number;
}

export class DocumentRanges {
  readonly #files = new Map<string, Promise<OpenFile>>();

  async read(
    documentId: string,
    file: string,
    offset: number,
    length: number,
  ): Promise<{ bytes: Uint8Array; size: number }> {
    let opened = this.#files.get(documentId);
    if (!opened) {
      opened = (async () => {
        const handle = await open(file, 'r');
        try {
          return { handle, size: (await handle.stat()).size };
        } catch (err) {
          await handle.close();
          throw err;
        }
      })();
      this.#files.set(documentId, opened);
      // A file that could not be opened is tried again on the next read.
      opened.catch(() => this.#files.delete(documentId));
    }
    const { handle, size } = await opened.catch(() => {
      throw new KysoError('INPUT_UNREADABLE', `cannot open ${file}`, { details: { path: file } });
    });
    return readRange(handle, size, offset, length);
  }

  /** Several ranges at once (document.readMany), in the order asked. */
  async readMany(
    documentId: string,
    file: string,
    ranges: readonly { readonly offset: number; readonly length: number }[],
  ): Promise<{ parts: Uint8Array[]; size: number }> {
    const read = await Promise.all(ranges.map((r) => this.read(documentId, file, r.offset, r.length)));
    return { parts: read.map((r) => r.bytes), size: read[0]?.size ?? 0 };
  }

  close(documentId: string): void {
    const opened = this.#files.get(documentId);
    this.#files.delete(documentId);
    void opened?.then(
      (f) => f.handle.close(),
      () => undefined,
    );
  }

  closeAll(): void {
    for (const id of [...this.#files.keys()]) this.close(id);
  }
}
