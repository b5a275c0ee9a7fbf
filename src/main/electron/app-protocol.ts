// The renderer is served from app://kyso/ (a privileged standard scheme) rather than file://, so that
// it has an origin of its own, gets the Content-Security-Policy as a response header, and cannot read
// other files: only dist/renderer is served, and paths never leave it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { contentSecurityPolicy } from '../content-security-policy.js';
import { fileFor } from '../web-host/static-files.js';
import { APP_HOST, APP_SCHEME } from './ipc-channels.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** Must run before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // codeCache: V8 keeps the compiled renderer scripts between launches (the window is ready sooner).
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  const csp = contentSecurityPolicy();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? fileFor(rendererDir, url.pathname) : null;
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    return new Response(body, {
      headers: {
        'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
