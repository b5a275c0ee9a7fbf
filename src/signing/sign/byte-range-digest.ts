// Hashes the signed byte ranges of a file in fixed-size chunks, so that memory stays flat whatever
// the document's size (a 500 MB scan is hashed with a 1 MiB buffer).
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';

const CHUNK = 1 << 20;

export async function digestRanges(
  file: FileHandle,
  ranges: ReadonlyArray<readonly [offset: number, length: number]>,
  algorithm: string,
  signal?: AbortSignal,
): Promise<Buffer> {
  const hash = createHash(algorithm);
  const buf = Buffer.allocUnsafe(CHUNK);
  for (const [offset, length] of ranges) {
    let done = 0;
    while (done < length) {
      if (signal?.aborted) throw new KysoError('CANCELLED', 'Cancelled.');
      const want = Math.min(CHUNK, length - done);
      const { bytesRead } = await file.read(buf, 0, want, offset + done);
      if (bytesRead === 0) throw new KysoError('PDF_TRUNCATED', 'The file ended inside a signed range.');
      hash.update(buf.subarray(0, bytesRead));
      done += bytesRead;
    }
  }
  return hash.digest();
}
