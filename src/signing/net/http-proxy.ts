// HTTP proxies for the engine's network calls (OCSP, CRL, CA certificates and timestamps): which
// hosts bypass the proxy, the proxy's basic credentials, and the CONNECT tunnel for HTTPS targets.
import http from 'node:http';
import type { Socket } from 'node:net';

export interface ProxySettings {
  /** http://[user:password@]host:port */
  readonly url: string;
  /** Hosts, or `.domain` suffixes, reached without the proxy. */
  readonly noProxy?: readonly string[];
}

export function bypassesProxy(host: string, noProxy: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return noProxy.some((entry) => {
    const e = entry.toLowerCase().trim();
    if (e === '*') return true;
    if (e.startsWith('.')) return h.endsWith(e) || h === e.slice(1);
    return h === e;
  });
}

export function basicAuth(u: URL): string | undefined {
  if (u.username === '' && u.password === '') return undefined;
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** Opens a tunnel through the proxy to host:port (HTTP CONNECT) for an HTTPS request. */
export function tunnel(proxy: URL, host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: `${host}:${port}` };
    const auth = basicAuth(proxy);
    if (auth !== undefined) headers['Proxy-Authorization'] = auth;
    const req = http.request({
      host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: proxy.port === '' ? 80 : Number(proxy.port),
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers,
      timeout: timeoutMs,
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(Object.assign(new Error(`proxy CONNECT ${res.statusCode ?? 0}`), { code: 'ECONNREFUSED' }));
      }
    });
    req.once('timeout', () => req.destroy(Object.assign(new Error('proxy timeout'), { code: 'ETIMEDOUT' })));
    req.once('error', reject);
    req.end();
  });
}
