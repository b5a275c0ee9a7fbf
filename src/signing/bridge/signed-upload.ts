// Sends a signed document back to the web system: a multipart POST to the request's FileUploadHandler
// (an allowed host, checked by the caller) with the request's JWT as a bearer token, as the signing
// plugin does. The answer names the stored file: JSON {FileName, FileServer} (any letter case) or
// the file name as plain text.
import { readFile } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';
import type { Secret } from '../../shared/secret.js';

export interface UploadRequest {
  readonly url: URL;
  readonly file: string;
  readonly fileName: string;
  readonly field: string;
  readonly jwt: Secret | undefined;
  /** Extra form fields (SessionId, DocNumber, IssuedDate). */
  readonly fields: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface UploadResult {
  readonly fileName: string;
  readonly fileServer: string;
}

/** BRIDGE_UPLOAD_FAILED with the reason; the caller keeps the file and adds where. */
function uploadFailure(reason: string): KysoError {
  return new KysoError('BRIDGE_UPLOAD_FAILED', reason, { details: { reason } });
}

const MAX_ANSWER = 64 * 1024;

function member(json: unknown, name: string): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  for (const [k, v] of Object.entries(json)) {
    if (k.toLowerCase() === name.toLowerCase() && (typeof v === 'string' || typeof v === 'number'))
      return String(v);
  }
  return undefined;
}

export async function uploadSigned(request: UploadRequest): Promise<UploadResult> {
  const form = new FormData();
  for (const [k, v] of Object.entries(request.fields)) form.append(k, v);
  const bytes = await readFile(request.file);
  form.append(request.field, new Blob([bytes], { type: 'application/pdf' }), request.fileName);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      signal,
      headers: request.jwt ? { authorization: `Bearer ${request.jwt.reveal()}` } : {},
    });
  } catch {
    if (request.signal?.aborted) throw new KysoError('CANCELLED', 'The upload was cancelled.');
    throw uploadFailure(timeout.aborted ? 'no answer in time' : `${request.url.host} cannot be reached`);
  }
  const answer = (await response.text().catch(() => '')).slice(0, MAX_ANSWER);
  if (response.status < 200 || response.status >= 300) throw uploadFailure(`HTTP ${response.status}`);
  let json: unknown;
  try {
    json = JSON.parse(answer);
  } catch {
    json = undefined;
  }
  // Some handlers answer 200 with {Status: non-zero} (the plugin protocol's own convention).
  const status = member(json, 'Status');
  if (
    status !== undefined &&
    status !== '0' &&
    status.toLowerCase() !== 'ok' &&
    status.toLowerCase() !== 'true'
  ) {
    throw uploadFailure(
      `the server answered Status ${status}${member(json, 'Message') ? `: ${member(json, 'Message')}` : ''}`,
    );
  }
  const fileName =
    member(json, 'FileName') ??
    (json === undefined && answer.trim() !== '' ? answer.trim().slice(0, 500) : request.fileName);
  return { fileName, fileServer: member(json, 'FileServer') ?? request.url.origin };
}
