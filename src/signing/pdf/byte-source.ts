// Random-access reads from a PDF file (or a Buffer) through a small LRU cache of fixed blocks, so a
// reader touching a few objects of a 500 MB file keeps only a few blocks in memory.
import { openRegularFile, readAt } from './document-file.js';

export interface ByteSourceStats {
  /** Bytes actually read from the file (cache hits are not counted). */
  bytesRead: number;
  reads: number;
}

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `offset`; shorter at the end of the file, empty past it. */
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
  readonly stats: ByteSourceStats;
}

export interface ByteSourceOptions {
  blockSize?: number;
  /** How many blocks the cache keeps. */
  maxBlocks?: number;
  /**
   * Only the first `length` bytes: the file as it was at the end of an earlier revision, read in
   * place (the verifier opens every signed revision this way, whatever the file's size).
   */
  length?: number;
}

function prefixSize(size: number, options: ByteSourceOptions): number {
  const length = options.length;
  if (length === undefined) return size;
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`prefix length ${length}`);
  return Math.min(size, length);
}

const DEFAULT_BLOCK = 64 * 1024;
const DEFAULT_MAX_BLOCKS = 64;

type RawRead = (offset: number, length: number) => Promise<Buffer>;

class CachedByteSource implements ByteSource {
  readonly stats: ByteSourceStats = { bytesRead: 0, reads: 0 };
  private readonly blocks = new Map<number, Promise<Buffer>>();
  private readonly blockSize: number;
  private readonly maxBlocks: number;

  constructor(
    readonly size: number,
    private readonly raw: RawRead,
    private readonly onClose: () => Promise<void>,
    options: ByteSourceOptions,
  ) {
    this.blockSize = options.blockSize ?? DEFAULT_BLOCK;
    this.maxBlocks = Math.max(2, options.maxBlocks ?? DEFAULT_MAX_BLOCKS);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.size || length <= 0) {
      return Buffer.alloc(0);
    }
    const end = Math.min(this.size, offset + Math.floor(length));
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((end - 1) / this.blockSize);
    // Large reads (stream data) bypass the cache: caching them would evict the small, hot blocks
    // (xref, page tree) and hold big buffers alive.
    if (last - first + 1 > this.maxBlocks / 4) return this.readRaw(offset, end - offset);
    if (first === last) {
      const block = await this.block(first);
      const start = offset - first * this.blockSize;
      return block.subarray(start, start + (end - offset));
    }
    const parts: Buffer[] = [];
    for (let b = first; b <= last; b++) parts.push(await this.block(b));
    const joined = Buffer.concat(parts);
    const start = offset - first * this.blockSize;
    return joined.subarray(start, start + (end - offset));
  }

  private block(index: number): Promise<Buffer> {
    const hit = this.blocks.get(index);
    if (hit !== undefined) {
      this.blocks.delete(index); // re-insert: Map order is the LRU order
      this.blocks.set(index, hit);
      return hit;
    }
    const start = index * this.blockSize;
    const p = this.readRaw(start, Math.min(this.blockSize, this.size - start));
    this.blocks.set(index, p);
    p.catch(() => this.blocks.delete(index));
    while (this.blocks.size > this.maxBlocks) {
      const oldest = this.blocks.keys().next().value;
      if (oldest === undefined) break;
      this.blocks.delete(oldest);
    }
    return p;
  }

  private async readRaw(offset: number, length: number): Promise<Buffer> {
    this.stats.reads++;
    this.stats.bytesRead += length;
    return this.raw(offset, length);
  }

  close(): Promise<void> {
    this.blocks.clear();
    return this.onClose();
  }
}

/** A source over bytes already in memory (tests, small documents). */
export function bufferByteSource(bytes: Buffer, options: ByteSourceOptions = {}): ByteSource {
  return new CachedByteSource(
    prefixSize(bytes.length, options),
    (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)),
    () => Promise.resolve(),
    options,
  );
}

/** Opens `path` for reading; INPUT_NOT_FOUND / INPUT_UNREADABLE when it cannot be. */
export async function fileByteSource(path: string, options: ByteSourceOptions = {}): Promise<ByteSource> {
  const { handle, size } = await openRegularFile(path);
  const raw: RawRead = (offset, length) => readAt(handle, path, Buffer.allocUnsafe(length), offset);
  return new CachedByteSource(prefixSize(size, options), raw, () => handle.close(), options);
}

export function openByteSource(
  source: string | Buffer,
  options: ByteSourceOptions = {},
): Promise<ByteSource> {
  return typeof source === 'string'
    ? fileByteSource(source, options)
    : Promise.resolve(bufferByteSource(source, options));
}
