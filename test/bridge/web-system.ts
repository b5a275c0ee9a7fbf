// The web one-stop system of the bridge tests, played with real parts: an HTTP server on 127.0.0.1
// that serves the documents to sign and takes the signed ones back (its FileUploadHandler, parsed as
// multipart by undici's own parser), and a WebSocket client (ws) sending the plugin protocol's
// requests the way the system's pages do.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

export interface Upload {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly fields: Record<string, string>;
  readonly fileField: string;
  readonly fileName: string;
  readonly bytes: Buffer;
}

export interface WebSystem {
  readonly origin: string;
  readonly port: number;
  /** Serves `bytes` at /files/<name>. */
  serve(name: string, bytes: Buffer | string, contentType?: string): string;
  /** GET requests per path. */
  readonly downloads: Map<string, number>;
  readonly uploads: Upload[];
  /** POSTs to /upload-500, answered 500. */
  failedUploads: number;
  close(): Promise<void>;
}

export async function startWebSystem(): Promise<WebSystem> {
  const files = new Map<string, { bytes: Buffer; type: string }>();
  const downloads = new Map<string, number>();
  const uploads: Upload[] = [];
  let stored = 0;
  const system = {
    failedUploads: 0,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = req.url ?? '/';
        if (req.method === 'GET' && url.startsWith('/files/')) {
          downloads.set(url, (downloads.get(url) ?? 0) + 1);
          const f = files.get(url);
          if (!f) return void res.writeHead(404).end();
          return void res.writeHead(200, { 'content-type': f.type }).end(f.bytes);
        }
        if (req.method === 'POST' && url === '/upload-500') {
          system.failedUploads++;
          return void res.writeHead(500).end('boom');
        }
        if (req.method === 'POST' && url === '/upload') {
          const form = await new Response(Buffer.concat(chunks), {
            headers: { 'content-type': req.headers['content-type'] ?? '' },
          }).formData();
          const fields: Record<string, string> = {};
          let file: { field: string; name: string; bytes: Buffer } | undefined;
          for (const [key, value] of form.entries()) {
            if (typeof value === 'string') fields[key] = value;
            else file = { field: key, name: value.name, bytes: Buffer.from(await value.arrayBuffer()) };
          }
          if (!file) return void res.writeHead(400).end();
          uploads.push({
            path: url,
            authorization: req.headers.authorization,
            fields,
            fileField: file.field,
            fileName: file.name,
            bytes: file.bytes,
          });
          const name = `stored-${++stored}.pdf`;
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ FileName: name, FileServer: 'https://files.example.gov.vn' }));
        }
        res.writeHead(404).end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return Object.assign(system, {
    origin,
    port,
    downloads,
    uploads,
    serve(name: string, bytes: Buffer | string, contentType = 'application/pdf'): string {
      files.set(`/files/${name}`, { bytes: Buffer.from(bytes), type: contentType });
      return `${origin}/files/${name}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export type Answer =
  | { readonly kind: 'reply'; readonly reply: Record<string, unknown> }
  | { readonly kind: 'refused'; readonly status: number }
  | { readonly kind: 'closed'; readonly code: number };

/** Opens `url` as a page of `origin` would, sends `body` (JSON unless a string), returns the first answer. */
export function ask(
  url: string,
  body: unknown,
  options: { origin?: string; headers?: Record<string, string>; ca?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ kind: 'refused', status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => ws.send(typeof body === 'string' ? body : JSON.stringify(body)));
    ws.on('message', (data) => {
      resolve({ kind: 'reply', reply: JSON.parse(String(data)) as Record<string, unknown> });
      ws.close();
    });
    ws.on('close', (code) => resolve({ kind: 'closed', code }));
    ws.on('error', (err) => reject(err));
  });
}

/** The reply of an answer, or a failed expectation naming what came instead. */
export function replyOf(answer: Answer): Record<string, unknown> {
  if (answer.kind !== 'reply') throw new Error(`expected a reply, got ${JSON.stringify(answer)}`);
  return answer.reply;
}
