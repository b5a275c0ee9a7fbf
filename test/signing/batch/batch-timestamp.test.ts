// Timestamps in a batch, against a real RFC 3161 server (openssl ts behind node:http): at most the
// allowed number of requests at once (counted by a proxy in front of the server), a slow TSA does
// not hold up the token, retries with backoff, and an unreachable TSA fails documents one by one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openP12 } from '../../../src/signing/identity/index.js';
import type { Signer } from '../../../src/signing/cms/signer.js';
import { runBatch } from '../../../src/signing/batch/run-batch.js';
import { keySignerSource } from '../../../src/signing/batch/signer-source.js';
import { TimestampLimiter } from '../../../src/signing/batch/timestamp-limiter.js';
import type { BatchEvent } from '../../../src/signing/batch/batch-result.js';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import { pkiDir, pkiFile } from '../../support/fixtures.js';
import { closedPort, startTsaServer, type TsaServer } from '../../servers/tsa-server.js';
import { makeDocuments, testTrust } from './batch-documents.js';

let chairman: Signer;
let root: string;
const servers: TsaServer[] = [];
const proxies: http.Server[] = [];

beforeAll(async () => {
  chairman = await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12');
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-batch-tsa-'));
});

afterAll(async () => {
  for (const p of proxies) {
    p.closeAllConnections();
    await new Promise((r) => p.close(r));
  }
  for (const s of servers) await s.close();
});

/** A pass-through proxy that counts the requests in flight at once. */
async function countingProxy(
  target: string,
): Promise<{ url: string; max: () => number; total: () => number }> {
  let inFlight = 0;
  let max = 0;
  let total = 0;
  const to = new URL(target);
  const proxy = http.createServer((req, res) => {
    inFlight++;
    total++;
    max = Math.max(max, inFlight);
    const upstream = http.request(
      { host: to.hostname, port: to.port, path: to.pathname, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => inFlight--);
      },
    );
    upstream.on('error', () => {
      inFlight--;
      res.destroy();
    });
    req.pipe(upstream);
  });
  proxies.push(proxy);
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const { port } = proxy.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${to.pathname}`, max: () => max, total: () => total };
}

describe('timestamps in a batch', () => {
  it('at most tsaConcurrency requests at once; the token signs on while documents wait for the TSA', async () => {
    const tsa = await startTsaServer({ pkiDir: pkiDir(), delayMs: 300 });
    servers.push(tsa);
    const proxy = await countingProxy(tsa.url);
    const docs = await makeDocuments(path.join(root, 'in1'), 8);
    const signedAt: number[] = [];
    const timed: Signer = {
      ...chairman,
      certificate: chairman.certificate,
      chain: chairman.chain,
      keyAlgorithm: chairman.keyAlgorithm,
      schemes: chairman.schemes,
      sign: async (data, params, options) => {
        const sig = await chairman.sign(data, params, options);
        if (!options?.dryRun) signedAt.push(performance.now());
        return sig;
      },
    };
    const events: BatchEvent[] = [];
    const start = performance.now();
    const result = await runBatch({
      inputs: [docs.dir],
      outDir: path.join(root, 'out1'),
      signer: keySignerSource(timed),
      options: { tsa: { url: proxy.url } },
      tsaConcurrency: 2,
      onEvent: (e) => events.push(e),
    });
    const end = performance.now();
    expect(result.signed).toBe(8);
    expect(proxy.total()).toBe(8);
    expect(proxy.max()).toBe(2);
    expect(end - start).toBeGreaterThanOrEqual(4 * 300); // 8 requests, 2 at a time, 300 ms each
    expect(signedAt).toHaveLength(8);
    // Every signature was made while the first documents still waited for their timestamps.
    expect(Math.max(...signedAt) - start).toBeLessThan((end - start) / 2);
    expect(events.some((e) => e.kind === 'timestamp' && e.event.kind === 'tsa-waiting')).toBe(true);
    for (const d of result.documents) {
      const report = await verifyPdf({ input: d.output, trust: testTrust(), lang: 'en' });
      expect(report.status, d.output).toBe('valid');
      expect(report.signatures[0]?.level).toBe('B-T');
    }
  }, 120_000);

  it('retries a failing TSA with backoff', async () => {
    const tsa = await startTsaServer({ pkiDir: pkiDir(), failFirst: 2, failWith: 'http-500' });
    servers.push(tsa);
    const docs = await makeDocuments(path.join(root, 'in2'), 3);
    const events: BatchEvent[] = [];
    const result = await runBatch({
      inputs: [docs.dir],
      outDir: path.join(root, 'out2'),
      signer: keySignerSource(chairman),
      options: { tsa: { url: tsa.url, retries: 3, retryDelayMs: 50 } },
      tsaConcurrency: 1,
      onEvent: (e) => events.push(e),
    });
    expect(result.signed).toBe(3);
    const retries = events.filter((e) => e.kind === 'timestamp' && e.event.kind === 'tsa-retry');
    expect(retries.length).toBe(2);
  }, 60_000);

  it('an unreachable TSA fails each document with its code and the batch goes on', async () => {
    const port = await closedPort();
    const docs = await makeDocuments(path.join(root, 'in3'), 3);
    const result = await runBatch({
      inputs: [docs.dir],
      outDir: path.join(root, 'out3'),
      signer: keySignerSource(chairman),
      options: { tsa: { url: `http://127.0.0.1:${port}/tsa`, retries: 0 } },
    });
    expect(result.failed).toBe(3);
    expect(result.stopped).toBeUndefined();
    expect(result.documents.map((d) => d.code)).toEqual([
      'TSA_UNREACHABLE',
      'TSA_UNREACHABLE',
      'TSA_UNREACHABLE',
    ]);
  }, 60_000);
});

describe('TimestampLimiter', () => {
  it('never runs more than its limit, and a cancelled waiter leaves the queue', async () => {
    const limiter = new TimestampLimiter(3);
    let active = 0;
    let max = 0;
    const job = () =>
      limiter.run(async () => {
        active++;
        max = Math.max(max, active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
      });
    await Promise.all(Array.from({ length: 12 }, job));
    expect(max).toBe(3);
    expect(limiter.active).toBe(0);

    const one = new TimestampLimiter(1);
    let release: () => void = () => undefined;
    const holding = one.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    const waiting = one.run(async () => 'never', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    release();
    await holding;
    await expect(one.run(async () => 'next')).resolves.toBe('next');
  });
});
