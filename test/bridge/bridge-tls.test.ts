// The bridge's transport: the wss certificate is made once per installation (KYSO_HOME) and reused,
// its key is private (0600) and never printed; a client that trusts the local CA connects over TLS
// by IP and by name; TLS and plain WebSocket share one port when both are configured; the bridge
// refuses to listen beyond this machine, and a flooding page gets BUSY replies.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldSignerIdentity, startBridge, type BridgeOptions } from '../../src/signing/bridge-api.js';
import { isKysoError } from '../../src/shared/errors.js';
import { openP12 } from '../../src/signing/identities-api.js';
import { pkiFile } from '../support/fixtures.js';
import { ask, replyOf } from './web-system.js';

const ORIGIN = 'https://motcua.example.gov.vn';
let dir: string;
let base: Omit<BridgeOptions, 'home'>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-bridge-tls-'));
  base = {
    port: 0,
    allowedOrigins: [ORIGIN],
    identity: heldSignerIdentity(await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12')),
    confirm: () => Promise.resolve(false),
    lang: 'en',
  };
});

afterAll(() => {
  if (!process.env['KYSO_KEEP_FIXTURES']) rmSync(dir, { recursive: true, force: true });
});

describe('the wss certificate', () => {
  it('is made on first start, kept in KYSO_HOME with a 0600 key, and reused on the next start', async () => {
    const home = mkdtempSync(path.join(dir, 'home-'));
    const first = await startBridge({ ...base, home, mode: 'tls' });
    const cert = first.certificate!;
    const tlsDir = path.join(home, 'bridge', 'tls');
    try {
      expect(cert.created).toBe(true);
      expect(cert.caPath).toBe(path.join(tlsDir, 'kyso-bridge-ca.crt'));
      expect(statSync(path.join(tlsDir, 'server.key')).mode & 0o777).toBe(0o600);
      // The CA's key is never written: the folder holds the server key and two certificates.
      expect(readFileSync(path.join(tlsDir, 'server.key'), 'utf8')).toContain('PRIVATE KEY');
      const ca = new X509Certificate(cert.caPem);
      const server = new X509Certificate(readFileSync(path.join(tlsDir, 'server.crt')));
      expect(server.verify(ca.publicKey)).toBe(true);
      expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
      expect(server.subjectAltName).toContain('DNS:localhost');
      expect(ca.ca).toBe(true);
      // openssl agrees that the chain holds under the CA's name constraints.
      const verified = execFileSync(
        'openssl',
        ['verify', '-CAfile', cert.caPath, path.join(tlsDir, 'server.crt')],
        {
          encoding: 'utf8',
        },
      );
      expect(verified).toContain(': OK');
      const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', cert.caPath], {
        encoding: 'utf8',
      });
      expect(text).toMatch(/Name Constraints: critical/);
      expect(text).toMatch(/Permitted:\s+DNS:localhost\s+IP:127\.0\.0\.1\/255\.255\.255\.255/);

      // A client that trusts only the local CA connects by IP and by name.
      for (const hostName of ['127.0.0.1', 'localhost']) {
        const answer = await ask(
          `wss://${hostName}:${first.port}/GetCertInfo`,
          {},
          { origin: ORIGIN, ca: cert.caPem },
        );
        expect(replyOf(answer)['Status']).toBe(0);
      }
      // A client that does not trust it cannot connect at all.
      await expect(ask(`wss://127.0.0.1:${first.port}/GetCertInfo`, {}, { origin: ORIGIN })).rejects.toThrow(
        /self[- ]signed|unable to (get|verify)/i,
      );
    } finally {
      await first.close();
    }
    const keyBefore = readFileSync(path.join(tlsDir, 'server.key'));
    const second = await startBridge({ ...base, home, mode: 'tls' });
    try {
      expect(second.certificate?.created).toBe(false);
      expect(second.certificate?.caFingerprint).toBe(cert.caFingerprint);
      expect(readFileSync(path.join(tlsDir, 'server.key')).equals(keyBefore)).toBe(true);
      const answer = await ask(
        `wss://127.0.0.1:${second.port}/GetCertInfo`,
        {},
        { origin: ORIGIN, ca: cert.caPem },
      );
      expect(replyOf(answer)['Status']).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('TLS and plain WebSocket on the same port when both are configured', async () => {
    const home = mkdtempSync(path.join(dir, 'home-'));
    const bridge = await startBridge({ ...base, home, mode: 'both' });
    try {
      const secure = await ask(
        `wss://127.0.0.1:${bridge.port}/GetCertInfo`,
        {},
        { origin: ORIGIN, ca: bridge.certificate!.caPem },
      );
      const plain = await ask(`ws://127.0.0.1:${bridge.port}/GetCertInfo`, {}, { origin: ORIGIN });
      expect(replyOf(secure)['Status']).toBe(0);
      expect(replyOf(plain)['Status']).toBe(0);
      // The handshake checks hold on both.
      expect(
        await ask(`ws://127.0.0.1:${bridge.port}/GetCertInfo`, {}, { origin: 'https://evil.example' }),
      ).toEqual({
        kind: 'refused',
        status: 403,
      });
    } finally {
      await bridge.close();
    }
  });

  it('plain mode makes no certificate; a TLS-only bridge does not answer plain WebSocket', async () => {
    const home = mkdtempSync(path.join(dir, 'home-'));
    const plain = await startBridge({ ...base, home, mode: 'plain' });
    await plain.close();
    expect(plain.certificate).toBeUndefined();
    expect(() => statSync(path.join(home, 'bridge', 'tls'))).toThrow();
    const tls = await startBridge({ ...base, home, mode: 'tls' });
    try {
      await expect(ask(`ws://127.0.0.1:${tls.port}/GetCertInfo`, {}, { origin: ORIGIN })).rejects.toThrow();
    } finally {
      await tls.close();
    }
  });
});

describe('listening', () => {
  it('refuses any address but loopback', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      const err = await startBridge({ ...base, home: dir, mode: 'plain', host }).catch((e: unknown) => e);
      expect(isKysoError(err) && err.code).toBe('BRIDGE_NOT_LOCAL');
    }
  });

  it('a port in use gives BRIDGE_PORT_IN_USE', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await startBridge({ ...base, home: dir, mode: 'plain', port }).catch((e: unknown) => e);
      expect(isKysoError(err) && err.code).toBe('BRIDGE_PORT_IN_USE');
    } finally {
      blocker.close();
    }
  });

  it('a page that sends too many requests gets Status 9', async () => {
    const bridge = await startBridge({ ...base, home: dir, mode: 'plain', rate: { burst: 2, perMinute: 1 } });
    try {
      const url = `ws://127.0.0.1:${bridge.port}/GetCertInfo`;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(replyOf(await ask(url, {}, { origin: ORIGIN }))['Status']);
      expect(statuses).toEqual([0, 0, 9]);
    } finally {
      await bridge.close();
    }
  });
});
