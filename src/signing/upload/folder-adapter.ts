// The shared-folder adapter (a network share the one-stop system watches): the PDF goes to
// <folder>/<dossier code>/<file name> under a temporary name, is flushed to disk and renamed, then a
// JSON sidecar <file name>.json with the metadata is written the same way. The sidecar comes last:
// a reader that waits for it never sees a half-written PDF. The idempotency key in the sidecar makes
// a retry after a crash recognise its own earlier delivery.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import type {
  DeliveryOutcome,
  DeliveryRequest,
  UploadAdapter,
  UploadDestination,
  UploadMetadata,
} from './upload-types.js';

async function fileSha256(file: string): Promise<string | undefined> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

async function readSidecar(file: string): Promise<{ idempotencyKey?: unknown } | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as { idempotencyKey?: unknown };
  } catch {
    return undefined;
  }
}

/** Writes `write`'s bytes to a temporary file beside `target`, flushes, renames into place. */
async function writeDurably(target: string, write: (fd: FileHandle) => Promise<void>): Promise<void> {
  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(tmp, 'wx');
  try {
    await write(handle);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the renames themselves durable; not every platform or share allows opening a folder.
  try {
    const handle = await open(dir, 'r');
    await handle.sync().catch(() => undefined);
    await handle.close();
  } catch {
    // Windows, some SMB mounts
  }
}

const RETRYABLE = new Set([
  'ENOENT',
  'EIO',
  'ETIMEDOUT',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'ENOTCONN',
  'ESTALE',
  'EBUSY',
  'EAGAIN',
]);

/** A file name that cannot leave the dossier's folder. */
function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what must go
  const base = path.basename(name).replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_');
  return base === '' || base === '.' || base === '..' ? 'result.pdf' : base;
}

export class FolderAdapter implements UploadAdapter {
  readonly destination: UploadDestination;

  constructor(private readonly folder: string) {
    this.destination = { kind: 'folder', path: folder };
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    const m = request.metadata;
    const dir = path.join(this.folder, safeName(m.dossierCode));
    try {
      await mkdir(dir, { recursive: true });
      const name = safeName(m.fileName);
      const ext = path.extname(name);
      // The plain name, else (another document of that name is there) one marked with the key.
      for (const candidate of [name, `${path.basename(name, ext)}-${m.idempotencyKey.slice(5, 13)}${ext}`]) {
        const target = path.join(dir, candidate);
        const state = await this.#existing(target, m);
        if (state === 'ours') return { kind: 'delivered', already: true, status: null, receipt: target };
        if (state === 'other') continue;
        if (state === 'pdf-only') {
          await this.#sidecar(target, m);
          return { kind: 'delivered', already: true, status: null, receipt: target };
        }
        let sent = 0;
        await writeDurably(target, async (handle) => {
          for await (const chunk of createReadStream(request.file)) {
            if (request.signal?.aborted) throw new KysoError('CANCELLED', 'cancelled');
            await handle.write(chunk as Buffer);
            sent += (chunk as Buffer).length;
            request.onBytes?.(sent, m.size);
          }
        });
        await this.#sidecar(target, m);
        await syncDir(dir);
        return { kind: 'delivered', already: false, status: null, receipt: target };
      }
      return { kind: 'failed', code: 'OUTPUT_EXISTS', message: `${dir}: ${name}`, status: null };
    } catch (error) {
      if (error instanceof KysoError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
      if (code === 'ENOSPC')
        return { kind: 'retry', code: 'DISK_FULL', message: `${dir}: ${code}`, status: null };
      if (RETRYABLE.has(code)) {
        return { kind: 'retry', code: 'UPLOAD_UNREACHABLE', message: `${dir}: ${code}`, status: null };
      }
      return { kind: 'failed', code: 'OUTPUT_NOT_WRITABLE', message: `${dir}: ${code}`, status: null };
    }
  }

  /** What is at `target` already: nothing, our delivery (with or without its sidecar), or another file. */
  async #existing(target: string, m: UploadMetadata): Promise<'none' | 'ours' | 'pdf-only' | 'other'> {
    const sha = await fileSha256(target);
    if (sha === undefined) return 'none';
    if (sha !== m.sha256) return 'other';
    const sidecar = await readSidecar(`${target}.json`);
    if (sidecar === undefined) return 'pdf-only';
    return sidecar.idempotencyKey === m.idempotencyKey ? 'ours' : 'other';
  }

  async #sidecar(target: string, m: UploadMetadata): Promise<void> {
    const json = Buffer.from(
      `${JSON.stringify({ ...m, deliveredAt: new Date().toISOString() }, null, 2)}\n`,
      'utf8',
    );
    await writeDurably(`${target}.json`, async (handle) => {
      await handle.write(json);
    });
  }
}
