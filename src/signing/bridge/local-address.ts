// The bridge answers this machine only: it binds to a loopback address, and a request's Host header
// must name a loopback host and the bridge's port. The Host check stops DNS rebinding, where a page of
// evil.example makes its own name resolve to 127.0.0.1 and then talks to the bridge as "same origin".
import net from 'node:net';
import { KysoError } from '../../shared/errors.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** 127.0.0.0/8 or ::1; throws BRIDGE_NOT_LOCAL for any other bind address (0.0.0.0 included). */
export function assertLoopbackBind(address: string): void {
  const family = net.isIP(address);
  // URL parsing writes an IPv6 address in its shortest form (0:0:0:0:0:0:0:1 becomes [::1]).
  const loopback =
    (family === 4 && address.startsWith('127.')) ||
    (family === 6 && new URL(`http://[${address}]/`).hostname === '[::1]');
  if (!loopback) {
    throw new KysoError('BRIDGE_NOT_LOCAL', `Refusing to listen on ${address}.`, { details: { address } });
  }
}

/** The Host header names this machine, on `port` (a missing port is refused: browsers always send it here). */
export function isLocalHostHeader(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:]+):(\d{1,5})$/.exec(host.trim().toLowerCase());
  if (!m) return false;
  return LOOPBACK_HOSTS.has(m[1] ?? '') && Number(m[2]) === port;
}
