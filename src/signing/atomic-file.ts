// A file written whole or not at all: a temporary sibling, flushed to the disk, renamed over the
// target. A crash or a full disk leaves the old file (or none), never half of the new one.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `data` to `target` atomically, creating its folder. `mode` for a new file: 0o600 (the data
 * folder's files hold documents and signing state) unless the caller writes something for people to
 * share (a report).
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: { readonly mode?: number } = {},
): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
