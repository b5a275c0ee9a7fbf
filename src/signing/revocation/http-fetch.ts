// HTTP(S) for revocation data and CA certificates (RFC 6960 appendix A, RFC 5280 §4.2.1.13 and
// §4.2.2.1): one GET or POST with a deadline, a size limit, TLS ≥ 1.2 and an optional HTTP proxy
// (plain requests in absolute form, HTTPS through CONNECT). Failures come back as a reason, not an
// exception, so the caller can say what it could not fetch; only cancellation throws.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { basicAuth, bypassesProxy, tunnel, type ProxySettings } from '../net/http-proxy.js';

export type { ProxySettings };
import tls from 'node:tls';
import { KysoError } from '../../shared/errors.js';

export interface FetchRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly body?: Uint8Array;
  readonly contentType?: string;
  readonly accept?: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly proxy?: ProxySettings;
  readonly signal?: AbortSignal;
}

export type FetchFailure = 'unreachable' | 'timeout' | 'http-status' | 'too-large' | 'invalid-url' | 'tls';

export type FetchResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly contentType: string | undefined;
      readonly body: Uint8Array;
    }
  | {
      readonly ok: false;
      readonly failure: FetchFailure;
      readonly detail: string;
      readonly retryable: boolean;
    };

const MAX_REDIRECTS = 3;

/** The URL without credentials, query or fragment: what messages may show. */
export function displayUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
]);

function networkFailure(error: unknown): FetchResult {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  if (code === 'ETIMEDOUT') return { ok: false, failure: 'timeout', detail: code, retryable: true };
  if (NETWORK_CODES.has(code)) return { ok: false, failure: 'unreachable', detail: code, retryable: true };
  // TLS problems (untrusted certificate, old protocol) do not heal by retrying.
  return { ok: false, failure: 'tls', detail: code, retryable: false };
}

async function once(request: FetchRequest, target: URL): Promise<FetchResult & { location?: string }> {
  const useProxy =
    request.proxy !== undefined && !bypassesProxy(target.hostname, request.proxy.noProxy ?? []);
  const proxy = useProxy && request.proxy ? new URL(request.proxy.url) : undefined;
  const headers: Record<string, string | number> = { 'User-Agent': 'Kyso', Connection: 'close' };
  if (request.accept !== undefined) headers['Accept'] = request.accept;
  if (request.body !== undefined) {
    headers['Content-Type'] = request.contentType ?? 'application/octet-stream';
    headers['Content-Length'] = request.body.length;
  }
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.port === '' ? (target.protocol === 'https:' ? 443 : 80) : Number(target.port);
  const path = `${target.pathname}${target.search}`;

  let socket: Socket | undefined;
  if (proxy !== undefined && target.protocol === 'https:') {
    try {
      socket = await tunnel(proxy, host, port, request.timeoutMs);
    } catch (error) {
      return networkFailure(error);
    }
  }

  return new Promise((resolve, reject) => {
    let settled = false;
    let req: http.ClientRequest;
    if (target.protocol === 'https:') {
      const tunnelled = socket;
      req = https.request({
        host,
        port,
        path,
        method: request.method,
        headers,
        minVersion: 'TLSv1.2',
        servername: host,
        ...(tunnelled
          ? {
              createConnection: () =>
                tls.connect({ socket: tunnelled, servername: host, minVersion: 'TLSv1.2' }),
            }
          : {}),
      });
    } else if (proxy !== undefined) {
      const auth = basicAuth(proxy);
      req = http.request({
        host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: proxy.port === '' ? 80 : Number(proxy.port),
        path: target.href.replace(/#.*$/, ''),
        method: request.method,
        headers: { ...headers, Host: target.host, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
      });
    } else {
      req = http.request({ host, port, path, method: request.method, headers });
    }

    const finish = (result: (FetchResult & { location?: string }) | KysoError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (result instanceof KysoError) {
        req.destroy();
        reject(result);
        return;
      }
      if (!result.ok) req.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish(new KysoError('CANCELLED', 'cancelled'));
    const timer = setTimeout(
      () => finish({ ok: false, failure: 'timeout', detail: `${request.timeoutMs} ms`, retryable: true }),
      request.timeoutMs,
    );
    request.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => finish(networkFailure(error)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && typeof res.headers.location === 'string') {
        res.resume();
        finish({
          ok: false,
          failure: 'http-status',
          detail: String(status),
          retryable: false,
          location: res.headers.location,
        });
        return;
      }
      if (status !== 200) {
        res.resume();
        finish({ ok: false, failure: 'http-status', detail: String(status), retryable: status >= 500 });
        return;
      }
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > request.maxBytes) {
        finish({ ok: false, failure: 'too-large', detail: String(declared), retryable: false });
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > request.maxBytes) {
          finish({ ok: false, failure: 'too-large', detail: `>${request.maxBytes}`, retryable: false });
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => finish(networkFailure(error)));
      res.on('close', () => {
        if (!res.complete) finish(networkFailure({ code: 'ECONNRESET' }));
      });
      res.on('end', () =>
        finish({
          ok: true,
          status,
          contentType: res.headers['content-type'],
          body: new Uint8Array(Buffer.concat(chunks)),
        }),
      );
    });
    req.end(request.body === undefined ? undefined : Buffer.from(request.body));
  });
}

/** One request, following up to three redirects (CRL servers move files around). */
export async function fetchBytes(request: FetchRequest): Promise<FetchResult> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { ok: false, failure: 'invalid-url', detail: request.url, retryable: false };
  }
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, failure: 'invalid-url', detail: url.protocol, retryable: false };
    }
    if (request.signal?.aborted === true) throw new KysoError('CANCELLED', 'cancelled');
    const result = await once(request, url);
    if (result.ok || result.location === undefined || hop >= MAX_REDIRECTS) {
      if (result.ok) return result;
      return { ok: false, failure: result.failure, detail: result.detail, retryable: result.retryable };
    }
    try {
      url = new URL(result.location, url);
    } catch {
      return { ok: false, failure: 'invalid-url', detail: result.location, retryable: false };
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new KysoError('CANCELLED', 'cancelled'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new KysoError('CANCELLED', 'cancelled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `fetchBytes` with `retries` further attempts after a timeout, a 5xx answer or a network failure. */
export async function fetchWithRetries(
  request: FetchRequest,
  retries: number,
  retryDelayMs: number,
): Promise<FetchResult & { readonly attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    const result = await fetchBytes(request);
    if (result.ok || !result.retryable || attempt > retries) return { ...result, attempts: attempt };
    await sleep(Math.min(retryDelayMs * 2 ** (attempt - 1), 10_000), request.signal);
  }
}
