// One HTTP(S) POST for uploads: the body streamed from its parts (a 200 MB scanned dossier is
// never held in memory), an inactivity deadline rather than a total one (a slow office line can
// take minutes for a big file while bytes keep moving), TLS 1.2 or later with the system's CAs plus
// configured ones, and the settings' proxy (net/http-proxy.ts: plain requests in absolute form,
// HTTPS through CONNECT). Failures come back as data; only cancellation throws.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import tls from 'node:tls';
import { KysoError } from '../../shared/errors.js';
import { basicAuth, bypassesProxy, tunnel, type ProxySettings } from '../net/http-proxy.js';

export interface PostRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** The body's chunks, produced on demand, and its exact length. */
  readonly body: { readonly length: number; chunks(): AsyncIterable<Uint8Array> };
  readonly timeoutMs: number;
  readonly proxy?: ProxySettings;
  /** PEM texts of extra trusted CAs. */
  readonly ca?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onBytes?: (sent: number, total: number) => void;
  /** Keep at most this much of the answer (its text is for messages and receipts). */
  readonly maxResponseBytes?: number;
}

export type PostResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: http.IncomingHttpHeaders;
      readonly text: string;
    }
  | { readonly ok: false; readonly failure: 'timeout' | 'network' | 'tls'; readonly detail: string };

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
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'UND_ERR_SOCKET',
]);

function failureOf(error: unknown): PostResult {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  if (code === 'ETIMEDOUT') return { ok: false, failure: 'timeout', detail: code };
  if (NETWORK_CODES.has(code) || code === 'UNKNOWN') return { ok: false, failure: 'network', detail: code };
  return { ok: false, failure: 'tls', detail: code };
}

let systemCas: string[] | undefined;

/** Node's bundled roots plus the operating system's bundle where one is known. */
function systemCertificates(): string[] {
  if (systemCas !== undefined) return systemCas;
  const found = new Set<string>(tls.rootCertificates);
  // Node 22.15+ reads the OS store itself; older Node: the usual Linux bundle files.
  const getCa = (tls as unknown as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (typeof getCa === 'function') {
    try {
      for (const pem of getCa('system')) found.add(pem);
    } catch {
      // not available on this platform
    }
  } else {
    for (const file of ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt']) {
      try {
        found.add(readFileSync(file, 'utf8'));
        break;
      } catch {
        // next candidate
      }
    }
  }
  systemCas = [...found];
  return systemCas;
}

/** How long the body waits for "100 Continue" before it is sent anyway (curl waits 1 s). */
const CONTINUE_WAIT_MS = 1000;

export async function postStream(request: PostRequest): Promise<PostResult> {
  if (request.signal?.aborted === true) throw new KysoError('CANCELLED', 'cancelled');
  const target = request.url;
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.port === '' ? (target.protocol === 'https:' ? 443 : 80) : Number(target.port);
  const path = `${target.pathname}${target.search}`;
  const useProxy =
    request.proxy !== undefined && !bypassesProxy(target.hostname, request.proxy.noProxy ?? []);
  const proxy = useProxy && request.proxy ? new URL(request.proxy.url) : undefined;
  const headers: Record<string, string | number> = {
    'User-Agent': 'Kyso',
    Connection: 'close',
    ...request.headers,
    'Content-Length': request.body.length,
    // The body waits for the server's "100 Continue" (or CONTINUE_WAIT_MS without an answer, for
    // servers and proxies that ignore it): a server that refuses the upload (413, 401) says so
    // before megabytes are sent, and its answer is not lost to a reset mid-body.
    Expect: '100-continue',
  };

  let socket: Socket | undefined;
  if (proxy !== undefined && target.protocol === 'https:') {
    try {
      socket = await tunnel(proxy, host, port, request.timeoutMs);
    } catch (error) {
      return failureOf(error);
    }
  }

  return new Promise<PostResult>((resolve, reject) => {
    let req: http.ClientRequest;
    if (target.protocol === 'https:') {
      const ca = request.ca && request.ca.length > 0 ? [...systemCertificates(), ...request.ca] : undefined;
      const secure = { minVersion: 'TLSv1.2' as const, servername: host, ...(ca ? { ca } : {}) };
      const tunnelled = socket;
      req = https.request({
        host,
        port,
        path,
        method: 'POST',
        headers,
        ...secure,
        ...(tunnelled ? { createConnection: () => tls.connect({ socket: tunnelled, ...secure }) } : {}),
      });
    } else if (proxy !== undefined) {
      const auth = basicAuth(proxy);
      req = http.request({
        host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: proxy.port === '' ? 80 : Number(proxy.port),
        path: target.href.replace(/#.*$/, ''),
        method: 'POST',
        headers: { ...headers, Host: target.host, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
      });
    } else {
      req = http.request({ host, port, path, method: 'POST', headers });
    }

    let settled = false;
    const finish = (result: PostResult | KysoError): void => {
      if (settled) return;
      settled = true;
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
    request.signal?.addEventListener('abort', onAbort, { once: true });
    // Inactivity: no byte moved either way for timeoutMs.
    req.setTimeout(request.timeoutMs, () =>
      finish({ ok: false, failure: 'timeout', detail: `${request.timeoutMs} ms` }),
    );
    let answered = false;
    // A server that answers and closes while the body is still being written (a 401 or 413 decided
    // from the headers, by a server that ignores `Expect`) breaks the pipe under our writes: its
    // answer is the outcome, and whether it arrived whole is the response's own business (below).
    req.on('error', (error) => {
      if (!answered) finish(failureOf(error));
    });
    req.on('response', (res) => {
      answered = true;
      const max = request.maxResponseBytes ?? 64 * 1024;
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        if (length < max) chunks.push(chunk.subarray(0, max - length));
        length += chunk.length;
      });
      res.on('error', (error) => finish(failureOf(error)));
      res.on('close', () => {
        if (!res.complete) finish({ ok: false, failure: 'network', detail: 'ECONNRESET' });
      });
      res.on('end', () =>
        finish({
          ok: true,
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });

    let sent = 0;
    const total = request.body.length;
    let source: Readable | undefined;
    const sendBody = (): void => {
      clearTimeout(continueTimer);
      if (source !== undefined || settled) return;
      const body = Readable.from(request.body.chunks(), { objectMode: false });
      source = body;
      body.on('data', (chunk: Buffer) => {
        sent += chunk.length;
        request.onBytes?.(sent, total);
        if (!req.write(chunk)) {
          body.pause();
          req.once('drain', () => body.resume());
        }
      });
      body.on('end', () => req.end());
      // A file that cannot be read mid-way: the request is abandoned, the caller is told.
      body.on('error', (error) =>
        finish({ ok: false, failure: 'network', detail: (error as NodeJS.ErrnoException).code ?? 'read' }),
      );
    };
    const continueTimer = setTimeout(sendBody, CONTINUE_WAIT_MS);
    req.on('continue', sendBody);
    req.flushHeaders();
    // A server that answers (413, 401) before or while the body is sent stops the upload.
    req.on('response', () => clearTimeout(continueTimer));
    req.on('close', () => {
      clearTimeout(continueTimer);
      source?.destroy();
    });
  });
}
