// What every request to the web host must show: a Host header naming this loopback listener (so a
// DNS-rebinding page cannot reach it under another name), the per-run token (query, header or the
// cookie set when the page was opened with it), and for the WebSocket the page's own Origin.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_HEADER, TOKEN_PARAM } from '../../shared/contract/index.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'];

export function tokenCookieName(port: number): string {
  // Cookies ignore ports: two hosts on one machine must not overwrite each other's token.
  return `kyso_token_${port}`;
}

export function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Host: 127.0.0.1:PORT or localhost:PORT, nothing else. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && LOOPBACK_NAMES.some((name) => host === `${name}:${port}`);
}

/** Origin: this host's own pages only (a WebSocket may be opened from any page otherwise). */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin !== undefined && LOOPBACK_NAMES.some((name) => origin === `http://${name}:${port}`);
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** The token the request carries, from the query, the header or the cookie. */
export function tokenOf(req: IncomingMessage, port: number): string | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const fromQuery = url.searchParams.get(TOKEN_PARAM);
  if (fromQuery !== null) return fromQuery;
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string') return header;
  return cookieValue(req.headers.cookie, tokenCookieName(port));
}
