// Reads the signed byte ranges of a document from the file in fixed-size chunks, so that hashing a
// 500 MB scan keeps one 1 MiB buffer in memory; several digests are computed in one pass.
import { createHash, type Hash } from 'node:crypto';
import type { PositionalFile } from '../pdf/index.js';
import { KysoError } from '../../shared/errors.js';
import type { HashName } from './signature-algorithms.js';

const CHUNK = 1 << 20;

export type SignedRanges = ReadonlyArray<readonly [offset: number, length: number]>;

/** Calls `onChunk` with the bytes of each range in order; PDF_TRUNCATED if the file ends early. */
export async function feedRanges(
  file: PositionalFile,
  ranges: SignedRanges,
  onChunk: (chunk: Uint8Array) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (file.bytes !== undefined) return feedBytes(file.bytes, ranges, onChunk, signal);
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

/** feedRanges over a document held in memory: views of its bytes, no buffer and no copies. */
function feedBytes(
  bytes: Buffer,
  ranges: SignedRanges,
  onChunk: (chunk: Uint8Array) => void,
  signal: AbortSignal | undefined,
): void {
  for (const [offset, length] of ranges) {
    if (offset + length > bytes.length) {
      throw new KysoError('PDF_TRUNCATED', 'The file ended inside a signed range.');
    }
    for (let done = 0; done < length; done += CHUNK) {
      if (signal?.aborted) throw new KysoError('CANCELLED', 'Verification was cancelled.');
      onChunk(bytes.subarray(offset + done, offset + Math.min(length, done + CHUNK)));
    }
  }
}

/** The digests of the concatenated ranges, one per requested hash, in one pass over the file. */
export async function digestRanges(
  file: PositionalFile,
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
