// A document opened once for all the readers that look at it. A verifier reads the same file many
// times over (the final revision, every earlier revision's view, the cross-reference audit, the
// signed ranges, the /Contents gaps); for an everyday document, each of those opening, statting and
// reading the file again through the thread pool cost more than all the parsing. So a document up
// to IN_MEMORY_LIMIT is read whole, once, and every reader works on those bytes (which are also one
// consistent snapshot of the file); a larger one (a scanned dossier) is read in place as before, so
// memory never grows with the file.
import { closeSync, fstatSync, openSync, promises as fsp, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';

/** The reads a verifier makes at given offsets: FileHandle's, or the same over bytes in memory. */
export interface PositionalFile {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  /** The whole document, when it is held in memory: readers may then take views instead of copies. */
  readonly bytes?: Buffer;
  close(): Promise<void>;
}

export interface DocumentFile {
  /** What PdfReader.open and XrefAudit.open take: the bytes when in memory, else the path. */
  readonly source: string | Buffer;
  readonly size: number;
  readonly file: PositionalFile;
}

/** Documents up to this size are read whole (a one-page decision is ~30 KB, a signed scan ~5 MB). */
export const IN_MEMORY_LIMIT = 32 * 1024 * 1024;

class BytesFile implements PositionalFile {
  constructor(readonly bytes: Buffer) {}

  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    const start = Math.min(Math.max(0, position), this.bytes.length);
    const end = Math.min(this.bytes.length, start + Math.max(0, length));
    const bytesRead = this.bytes.copy(buffer, offset, start, end);
    return Promise.resolve({ bytesRead });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** INPUT_NOT_FOUND for a path that does not exist, INPUT_UNREADABLE for anything else. */
export function documentOpenError(path: string, err: unknown): KysoError {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new KysoError('INPUT_NOT_FOUND', 'The PDF file does not exist.', {
      details: { path },
      cause: err,
    });
  }
  return new KysoError('INPUT_UNREADABLE', 'The PDF file could not be opened for reading.', {
    details: { path },
    cause: err,
  });
}

export interface DocumentFileOptions {
  /** Read whole up to this size (default IN_MEMORY_LIMIT). */
  readonly inMemoryLimit?: number;
  /**
   * Read a document that fits in memory with blocking calls: four system calls instead of four
   * round trips through the thread pool (`kyso verify --in` over 100 one-page documents: 9% less
   * time). Never in a process that draws a window: a file on a slow network share would freeze it.
   */
  readonly blocking?: boolean;
}

/** The whole file, read with blocking calls; undefined when it is larger than `limit`. */
function readWholeBlocking(path: string, limit: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw documentOpenError(path, err);
  }
  try {
    let size: number;
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
      size = st.size;
    } catch (err) {
      throw documentOpenError(path, err);
    }
    if (size > limit) return undefined;
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    try {
      while (done < size) {
        const n = readSync(fd, bytes, done, size - done, done);
        if (n === 0) break;
        done += n;
      }
    } catch (err) {
      throw new KysoError('INPUT_UNREADABLE', 'The PDF file could not be read.', {
        details: { path },
        cause: err,
      });
    }
    return done === size ? bytes : bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens `path` for reading: whole into memory up to `inMemoryLimit` bytes, else a file handle kept
 * open until `file.close()`. INPUT_NOT_FOUND / INPUT_UNREADABLE (a folder, say) when it cannot be.
 */
export async function openDocumentFile(
  path: string,
  options: DocumentFileOptions = {},
): Promise<DocumentFile> {
  if (options.blocking === true) {
    const whole = readWholeBlocking(path, options.inMemoryLimit ?? IN_MEMORY_LIMIT);
    if (whole !== undefined) return { source: whole, size: whole.length, file: new BytesFile(whole) };
  }
  const { handle, size } = await openRegularFile(path);
  if (size > (options.inMemoryLimit ?? IN_MEMORY_LIMIT)) return { source: path, size, file: handle };
  try {
    // One read of the size fstat gave: a file growing meanwhile is read as it was at the fstat (the
    // bytes past it belong to no revision the checks look at); one that shrank is read short.
    const whole = await readAt(handle, path, Buffer.allocUnsafe(size), 0);
    return { source: whole, size: whole.length, file: new BytesFile(whole) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Opens `path` for reading and gives its size; INPUT_NOT_FOUND / INPUT_UNREADABLE (a folder, say). */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await fsp.open(path, 'r');
  } catch (err) {
    throw documentOpenError(path, err);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    return { handle, size: st.size };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw documentOpenError(path, err);
  }
}

/**
 * Fills `buffer` from `position` of the file, or as much of it as the file still holds (one that
 * shrank under us is read short, and the parser sees a short read); INPUT_UNREADABLE on a read error.
 */
export async function readAt(
  handle: FileHandle,
  path: string,
  buffer: Buffer,
  position: number,
): Promise<Buffer> {
  let done = 0;
  try {
    while (done < buffer.length) {
      const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
  } catch (err) {
    throw new KysoError('INPUT_UNREADABLE', 'The PDF file could not be read.', {
      details: { path },
      cause: err,
    });
  }
  return done === buffer.length ? buffer : buffer.subarray(0, done);
}
