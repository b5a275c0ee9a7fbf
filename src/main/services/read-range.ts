// One range of an open file, as document.read answers it: at most `length` bytes from `offset`,
// fewer at the end of the file.
import type { FileHandle } from 'node:fs/promises';

export async function readRange(
  handle: FileHandle,
  size: number,
  offset: number,
  length: number,
): Promise<{ bytes: Uint8Array; size: number }> {
  const n = Math.max(0, Math.min(length, size - offset));
  const bytes = new Uint8Array(n);
  let done = 0;
  while (done < n) {
    const { bytesRead } = await handle.read(bytes, done, n - done, offset + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return { bytes: done === n ? bytes : bytes.subarray(0, done), size };
}
