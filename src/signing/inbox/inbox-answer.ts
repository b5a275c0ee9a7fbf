// The KysoError of an answer the one-stop server's signing routes refused (docs/signing-chain.md):
// the server's own INBOX_* code when it is one of ours, else one chosen by the HTTP status. Answers
// worth trying again later (408, 425, 429, 5xx) are INBOX_SERVER_ERROR whatever they say.
import { isErrorCode, KysoError, type ErrorCode } from '../../shared/errors.js';

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** One printable line, for a terminal or a screen. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters from the server
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

export function answerError(status: number, body: string, id: string | undefined): KysoError {
  let code: string | undefined;
  let message = body.slice(0, 300);
  const extra: Record<string, string | number> = {};
  try {
    const o = JSON.parse(body) as Record<string, unknown>;
    if (typeof o['code'] === 'string') code = o['code'];
    if (typeof o['message'] === 'string') message = o['message'].slice(0, 300);
    if (typeof o['number'] === 'string') extra['number'] = o['number'].slice(0, 100);
    if (typeof o['declineReason'] === 'string') extra['reason'] = o['declineReason'].slice(0, 300);
    if (typeof o['state'] === 'string') extra['state'] = o['state'].slice(0, 20);
  } catch {
    // not JSON: the text is the message
  }
  message = oneLine(message);
  let errorCode: ErrorCode;
  if (isRetryableStatus(status)) errorCode = 'INBOX_SERVER_ERROR';
  else if (code !== undefined && code.startsWith('INBOX_') && isErrorCode(code)) errorCode = code;
  else if (status === 401 || status === 403) errorCode = 'INBOX_UNAUTHORIZED';
  else if (status === 404) errorCode = 'INBOX_NOT_FOUND';
  else if (status === 413) errorCode = 'INBOX_TOO_LARGE';
  else errorCode = 'INBOX_REJECTED';
  return new KysoError(errorCode, message || `HTTP ${status}`, {
    details: { status, message, ...(id !== undefined ? { id } : {}), ...extra },
  });
}

/** The KysoError of a request that got no answer: the network, a timeout, or the caller's cancel. */
export function networkError(url: string, cause: unknown, signal: AbortSignal | undefined): KysoError {
  if (signal?.aborted) return new KysoError('CANCELLED', 'The inbox request was cancelled.', { cause });
  const reason =
    (cause as { cause?: { code?: string } }).cause?.code ??
    ((cause as Error).name === 'TimeoutError' ? 'timeout' : 'network');
  const u = new URL(url);
  return new KysoError('INBOX_UNREACHABLE', `Cannot reach ${u.host} (${reason}).`, {
    details: { url: `${u.protocol}//${u.host}`, reason },
    cause,
  });
}

/** Failures after which the same request may succeed later: the server or the network. */
export function isTransient(err: unknown): boolean {
  return (
    err instanceof KysoError &&
    (err.code === 'INBOX_UNREACHABLE' || err.code === 'INBOX_SERVER_ERROR' || err.code === 'CANCELLED')
  );
}
