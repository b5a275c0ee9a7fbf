// The built renderer (dist/renderer) as files under 'self', with the strict CSP and no caching; a
// plain page when the renderer has not been built yet. Paths never leave the folder.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}

const NOT_BUILT = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Kyso</title></head>
<body><h1>Kyso</h1>
<p>Giao diện chưa được biên dịch: chạy <code>npm run build:renderer</code> rồi tải lại trang.</p>
<p>The renderer is not built yet: run <code>npm run build:renderer</code> and reload.</p>
</body></html>
`;

/**
 * Vite's output under assets/ is named after its content (`index-C3KW_eVl.js`): a name never comes
 * back with other bytes, so the browser may keep it, as the desktop app's files stay on disk. Kept
 * files are also compiled once: Chromium keeps V8's code cache only for cacheable scripts.
 */
const CONTENT_NAMED = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.(?:js|mjs|css)$/;

export function cacheControlFor(urlPath: string): string {
  return CONTENT_NAMED.test(urlPath) ? 'private, max-age=31536000, immutable' : 'no-store';
}

/** The file under `root` for a URL path, or null when it would leave the folder. */
export function fileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

export async function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse,
  headers: Record<string, string>,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const file = fileFor(root, urlPath);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) {
    const rootBuilt = await stat(path.join(root, 'index.html')).catch(() => null);
    if (!rootBuilt && (urlPath === '/' || urlPath === '/index.html')) {
      res.writeHead(200, { ...headers, ...extraHeaders, 'Content-Type': 'text/html; charset=utf-8' });
      res.end(NOT_BUILT);
      return;
    }
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
    return;
  }
  res.writeHead(200, {
    ...headers,
    ...extraHeaders,
    'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
    'Cache-Control': cacheControlFor(urlPath),
  });
  createReadStream(file).pipe(res);
}
