// Reads the signed byte ranges of a document from the file in fixed-size chunks, so that hashing a
// 500 MB scan keeps one 1 MiB buffer in memory; several digests are computed in one pass.
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';
import type { HashName } from './signature-algorithms.js';

const CHUNK = 1 << 20;

export type SignedRanges = ReadonlyArray<readonly [offset: number, length: number]>;

/** Calls `onChunk` with the bytes of each range in order; PDF_TRUNCATED if the file ends early. */
export async function feedRanges(
  file: FileHandle,
  ranges: SignedRanges,
  onChunk: (chunk: Uint8Array) => void,
  signal?: AbortSignal,
): Promise<void> {
  const buf = Buffer.allocUnsafe(CHUNK);
  for (const [offset, length] of ranges) {
    let done = 0;
    while (done < length) {
      if (signal?.aborted) throw new KysoError('CANCELLED', 'Verification was cancelled.');
      const { bytesRead } = await file.read(buf, 0, Math.min(CHUNK, length - done), offset + done);
      if (bytesRead === 0) throw new KysoError('PDF_TRUNCATED', 'The file ended inside a signed range.');
      // A copy: the buffer is reused for the next read, and a consumer may keep the chunk.
      onChunk(Buffer.from(buf.subarray(0, bytesRead)));
      done += bytesRead;
    }
  }
}

/** The digests of the concatenated ranges, one per requested hash, in one pass over the file. */
export async function digestRanges(
  file: FileHandle,
  ranges: SignedRanges,
  hashes: readonly HashName[],
  signal?: AbortSignal,
): Promise<Map<HashName, Buffer>> {
  const running = new Map<HashName, Hash>();
  for (const h of hashes) if (!running.has(h)) running.set(h, createHash(h));
  await feedRanges(file, ranges, (chunk) => running.forEach((h) => h.update(chunk)), signal);
  const out = new Map<HashName, Buffer>();
  running.forEach((h, name) => out.set(name, h.digest()));
  return out;
}
