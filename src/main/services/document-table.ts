// The documents the renderer has open: an opaque id per document, so that requests name a document
// the user chose (through a dialog, a drop or "Open with") rather than any path on the disk.
import { randomBytes } from 'node:crypto';
import { KysoError } from '../../shared/errors.js';

export class DocumentTable {
  readonly #paths = new Map<string, string>();

  open(path: string): string {
    const id = randomBytes(12).toString('base64url');
    this.#paths.set(id, path);
    return id;
  }

  /** After an engine restart the host hands back what was open, under the same ids. */
  restore(id: string, path: string): void {
    this.#paths.set(id, path);
  }

  pathOf(id: string): string {
    const path = this.#paths.get(id);
    if (path === undefined) throw new KysoError('DOCUMENT_NOT_OPEN', `no open document ${id}`);
    return path;
  }

  close(id: string): void {
    this.#paths.delete(id);
  }
}
