// The timestamp client through the HTTP proxy of the settings (network.proxy): a real forward proxy
// on 127.0.0.1 in front of the real TSA; hosts listed in noProxy are reached directly.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestTimestamp } from '../../../src/signing/cms/timestamp-client.js';
import { pkiDir, pkiFile } from '../../support/fixtures.js';
import { runKyso } from '../../support/run-cli.js';
import { closedPort, startTsaServer, type TsaServer } from '../../servers/tsa-server.js';

let tsa: TsaServer;
let proxy: http.Server;
let proxyUrl: string;
const seen: Array<{ url: string; auth: string | undefined }> = [];

beforeAll(async () => {
  tsa = await startTsaServer({ pkiDir: pkiDir() });
  // A forward proxy: absolute-form request lines, forwarded as they are.
  proxy = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await tsa?.close();
  await new Promise((resolve) => proxy?.close(resolve));
});

const data = createHash('sha256').update('chữ ký').digest();

describe('the TSA through a proxy', () => {
  it('sends the request through the proxy, with its credentials, and gets a valid token', async () => {
    const before = seen.length;
    const result = await requestTimestamp({
      url: tsa.url,
      digest: 'sha256',
      data,
      proxy: { url: proxyUrl.replace('http://', 'http://kyso:b%C3%AD-m%E1%BA%ADt@') },
    });
    expect(result.token.length).toBeGreaterThan(1000);
    expect(seen.length).toBe(before + 1);
    expect(seen.at(-1)?.url).toBe(tsa.url);
    expect(seen.at(-1)?.auth).toBe(`Basic ${Buffer.from('kyso:bí-mật').toString('base64')}`);
  });

  it('reaches hosts in noProxy directly', async () => {
    const before = seen.length;
    await requestTimestamp({
      url: tsa.url,
      digest: 'sha256',
      data,
      proxy: { url: proxyUrl, noProxy: ['127.0.0.1'] },
    });
    expect(seen.length).toBe(before);
  });

  it('kyso sign takes the proxy from the settings file', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kyso-proxy-home-'));
    writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ network: { proxy: proxyUrl } }));
    const input = path.join(home, 'in.pdf');
    execFileSync(process.execPath, [
      path.resolve(import.meta.dirname, '../../../fixtures/documents/make-decision.mjs'),
      input,
    ]);
    const before = seen.length;
    const r = await runKyso(
      [
        'sign',
        input,
        '-o',
        path.join(home, 'out.pdf'),
        '--p12',
        pkiFile('chairman-rsa2048.p12'),
        '--pin-env',
        'P12',
        '--tsa',
        tsa.url,
      ],
      {
        env: { KYSO_HOME: home, P12: 'kyso-p12', KYSO_LANG: 'en' },
      },
    );
    expect(r.stderr).toContain('Waiting for the timestamp server'); // the visible waiting state
    expect(r.code, r.stderr).toBe(0);
    expect(seen.length).toBeGreaterThan(before);
  });

  it('an unreachable proxy is TSA_UNREACHABLE', async () => {
    const port = await closedPort();
    await expect(
      requestTimestamp({
        url: tsa.url,
        digest: 'sha256',
        data,
        retries: 0,
        proxy: { url: `http://127.0.0.1:${port}` },
      }),
    ).rejects.toMatchObject({ code: 'TSA_UNREACHABLE' });
  });
});
