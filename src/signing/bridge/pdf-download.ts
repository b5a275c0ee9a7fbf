// Downloads the document a web system asks to sign: only from an allowed host (checked by the
// caller), no redirects (a redirect could leave the allowed hosts), a size limit enforced while the
// bytes arrive (not trusted from Content-Length), and the PDF header checked before anything else
// looks at it. The file lands complete under its final name, or not at all.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';

export interface DownloadOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

function failed(reason: string, cause?: unknown): KysoError {
  return new KysoError('BRIDGE_DOWNLOAD_FAILED', reason, { details: { reason }, cause });
}

function tooLarge(maxBytes: number): KysoError {
  return new KysoError('BRIDGE_FILE_TOO_LARGE', `larger than ${maxBytes} bytes`, {
    details: { limitMB: Math.round((maxBytes / 1048576) * 10) / 10 },
  });
}

/** Writes the PDF at `url` to `target`; returns its size. */
export async function downloadPdf(url: URL, target: string, options: DownloadOptions): Promise<number> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'manual', signal, headers: { accept: 'application/pdf' } });
  } catch (cause) {
    if (options.signal?.aborted) throw new KysoError('CANCELLED', 'The download was cancelled.');
    throw failed(timeout.aborted ? 'no answer in time' : `${url.host} cannot be reached`, cause);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw failed(`HTTP ${response.status}: redirects are not followed`);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw failed(`HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel();
    throw tooLarge(options.maxBytes);
  }
  const partial = `${target}.part`;
  const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  let size = 0;
  let head = Buffer.alloc(0);
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > options.maxBytes) {
        await reader.cancel();
        throw tooLarge(options.maxBytes);
      }
      if (head.length < 1024) {
        head = Buffer.concat([head, Buffer.from(value.subarray(0, 1024 - head.length))]);
        // A PDF starts with %PDF- within its first 1024 bytes (ISO 32000-1, 7.5.2 and viewers' leeway).
        if (head.length >= 1024 && !head.includes('%PDF-')) {
          await reader.cancel();
          throw new KysoError('PDF_NOT_PDF', 'The downloaded file is not a PDF.');
        }
      }
      if (!out.write(value)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    if (!head.includes('%PDF-')) throw new KysoError('PDF_NOT_PDF', 'The downloaded file is not a PDF.');
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    await rename(partial, target);
    return size;
  } catch (err) {
    out.destroy();
    await rm(partial, { force: true });
    if (err instanceof KysoError) throw err;
    if (options.signal?.aborted) throw new KysoError('CANCELLED', 'The download was cancelled.');
    throw failed(timeout.aborted ? 'no answer in time' : 'the connection broke', err);
  }
}
