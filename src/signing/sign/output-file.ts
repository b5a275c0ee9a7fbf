// Writes a signed document safely: into a temporary file beside the output, renamed into place only
// when complete and flushed. The original is never opened for writing; a failure leaves no trace.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  access,
  copyFile,
  open,
  readdir,
  realpath,
  rename,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';

export function fileSystemFailure(err: unknown, target: string): KysoError {
  if (err instanceof KysoError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return new KysoError('DISK_FULL', `No space left to write ${target}.`, {
        details: { path: target },
        cause: err,
      });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOENT':
    case 'ENOTDIR':
      return new KysoError('OUTPUT_NOT_WRITABLE', `Cannot write ${target}.`, {
        details: { path: path.dirname(target) },
        cause: err,
      });
    default:
      return new KysoError('OUTPUT_NOT_WRITABLE', `Writing ${target} failed.`, {
        details: { path: target },
        cause: err,
      });
  }
}

async function canonical(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    // the output does not exist yet: canonicalise its folder
    try {
      return path.join(await realpath(path.dirname(p)), path.basename(p));
    } catch {
      return path.resolve(p);
    }
  }
}

/** Refuses an output that is the input (even through a link) or that exists, unless allowed. */
export async function checkOutputPath(input: string, output: string, overwrite: boolean): Promise<void> {
  if ((await canonical(input)) === (await canonical(output))) {
    throw new KysoError('OUTPUT_SAME_AS_INPUT', 'The output file is the input file.', {
      details: { path: output },
    });
  }
  const exists = await stat(output).then(
    () => true,
    () => false,
  );
  if (exists && !overwrite) {
    throw new KysoError('OUTPUT_EXISTS', `${output} already exists.`, { details: { path: output } });
  }
  const dir = path.dirname(path.resolve(output));
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    throw fileSystemFailure(err, output);
  }
}

/** The name of a temporary sibling of `target` (see PendingOutput). */
function temporaryName(target: string): string {
  return `.${path.basename(target)}.kyso-${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Removes the temporary siblings a killed process left for `target` (a process that dies between
 * its copy and its rename cannot discard them itself). Returns the paths it removed.
 */
export async function removeStaleOutputs(target: string): Promise<string[]> {
  const dir = path.dirname(path.resolve(target));
  const prefix = `.${path.basename(target)}.kyso-`;
  const stale = (await readdir(dir).catch(() => [] as string[])).filter(
    (name) => name.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length)),
  );
  const removed: string[] = [];
  for (const name of stale) {
    const file = path.join(dir, name);
    if (
      await unlink(file).then(
        () => true,
        () => false,
      )
    )
      removed.push(file);
  }
  return removed;
}

/** A temporary sibling of the output: same folder, so the final rename is atomic. */
export class PendingOutput {
  readonly target: string;
  readonly temp: string;
  #handle: FileHandle | undefined;

  private constructor(target: string) {
    this.target = path.resolve(target);
    this.temp = path.join(path.dirname(this.target), temporaryName(this.target));
  }

  /** Starts the output as a copy of the input (copy-on-write where the file system allows). */
  static async fromCopy(input: string, target: string): Promise<PendingOutput> {
    const out = new PendingOutput(target);
    try {
      await copyFile(input, out.temp, constants.COPYFILE_FICLONE);
      out.#handle = await open(out.temp, 'r+');
    } catch (err) {
      await out.discard();
      throw fileSystemFailure(err, target);
    }
    return out;
  }

  get handle(): FileHandle {
    if (!this.#handle) throw new KysoError('INTERNAL', 'output already closed');
    return this.#handle;
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  async append(bytes: Uint8Array): Promise<number> {
    const at = await this.size();
    await this.writeAt(at, bytes);
    return at;
  }

  async writeAt(offset: number, bytes: Uint8Array): Promise<void> {
    try {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, offset + done);
        done += bytesWritten;
      }
    } catch (err) {
      throw fileSystemFailure(err, this.target);
    }
  }

  async truncate(length: number): Promise<void> {
    await this.handle.truncate(length);
  }

  /** Flushes and renames into place. */
  async commit(): Promise<void> {
    try {
      await this.handle.sync();
      await this.handle.close();
      this.#handle = undefined;
      await rename(this.temp, this.target);
    } catch (err) {
      await this.discard();
      throw fileSystemFailure(err, this.target);
    }
  }

  /** Removes the temporary file; safe to call more than once. */
  async discard(): Promise<void> {
    if (this.#handle) {
      await this.#handle.close().catch(() => undefined);
      this.#handle = undefined;
    }
    await unlink(this.temp).catch(() => undefined);
  }
}
