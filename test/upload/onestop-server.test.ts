// The reference one-stop server on its own (plain fetch, as another system's developer would try
// it): the contract's answers, verification on receipt, a repeated key, faults switched through the
// admin endpoint, and a restart that still knows every key from its journal.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnestopServer, type OnestopServer } from '../../src/onestop/onestop-server.js';
import { DOSSIER, makeSignedResults, testTrust } from './upload-documents.js';

let root: string;
let server: OnestopServer;
let docs: string[];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-onestop-'));
  docs = await makeSignedResults(path.join(root, 'docs'), 3);
  server = await startOnestopServer({
    dataDir: path.join(root, 'data'),
    tokens: ['dev-token-1234'],
    trust: testTrust(),
  });
});
afterAll(async () => server?.close());

function post(
  file: string,
  key: string,
  options: { token?: string; dossier?: string; sha?: string; base?: string } = {},
): Promise<Response> {
  const bytes = readFileSync(file);
  const form = new FormData();
  const dossier = options.dossier ?? DOSSIER;
  const sha256 = options.sha ?? createHash('sha256').update(bytes).digest('hex');
  form.set(
    'metadata',
    new Blob([JSON.stringify({ dossierCode: dossier, sha256, size: bytes.length })], {
      type: 'application/json',
    }),
  );
  form.set('file', new Blob([bytes], { type: 'application/pdf' }), path.basename(file));
  return fetch(`${options.base ?? server.url}/dossiers/${dossier}/results`, {
    method: 'POST',
    headers: { 'Idempotency-Key': key, Authorization: `Bearer ${options.token ?? 'dev-token-1234'}` },
    body: form,
  });
}

describe('npm run onestop:dev', () => {
  it('starts the reference server on 127.0.0.1 and prints its URL', async () => {
    const script = path.resolve(import.meta.dirname, '../../dist/onestop/onestop-dev.js');
    const child = spawn(
      process.execPath,
      [script, '--port', '0', '--data', path.join(root, 'dev'), '--token', 't-123456'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: string) => {
          out += d;
          const m = /^Reference one-stop server: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.on('exit', () => reject(new Error(`exited: ${out}`)));
      });
      const stats = (await (await fetch(`${url}/admin/stats`)).json()) as { requests: number };
      expect(stats.requests).toBe(0);
      const refused = await fetch(`${url}/dossiers/${DOSSIER}/results`, { method: 'POST', body: 'x' });
      expect(refused.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('reference one-stop server', () => {
  it('stores a signed result (201), answers its key again with 409, and counts it once', async () => {
    const first = await post(docs[0] as string, 'key-aaaaaaaa-0001');
    expect(first.status).toBe(201);
    const body = (await first.json()) as { receiptId: string };
    expect(body.receiptId).toMatch(/^r-/);
    const again = await post(docs[0] as string, 'key-aaaaaaaa-0001');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ message: 'already delivered', receiptId: body.receiptId });
    const stats = (await (await fetch(`${server.url}/admin/stats`)).json()) as {
      stored: number;
      byDocument: Record<string, number>;
    };
    expect(stats.stored).toBe(1);
    expect(Object.values(stats.byDocument)).toEqual([1]);
  });

  it('verifies on receipt: a tampered file, or metadata that disagree with it, is refused (422)', async () => {
    const tampered = path.join(root, 'tampered.pdf');
    const bytes = Buffer.from(readFileSync(docs[1] as string));
    bytes.write('SO', bytes.indexOf('Quyet dinh so') + 11, 'latin1');
    writeFileSync(tampered, bytes);
    const bad = await post(tampered, 'key-aaaaaaaa-0002');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({ message: 'Chữ ký số không hợp lệ / a signature is invalid' });
    expect((await post(docs[1] as string, 'key-aaaaaaaa-0003', { sha: '0'.repeat(64) })).status).toBe(422);
    expect(server.store.receipts()).toHaveLength(1);
  });

  it('refuses a wrong credential (401), a missing key (400), a malformed dossier code (400)', async () => {
    expect((await post(docs[1] as string, 'key-aaaaaaaa-0004', { token: 'nope' })).status).toBe(401);
    expect((await post(docs[1] as string, 'short')).status).toBe(400);
    expect((await post(docs[1] as string, 'key-aaaaaaaa-0005', { dossier: 'HS-1' })).status).toBe(400);
    expect((await fetch(`${server.url}/dossiers/${DOSSIER}/results`)).status).toBe(405);
  });

  it('with Expect: 100-continue, a wrong credential is refused before the body is sent', async () => {
    // What the upload client does for a large file: headers first, the body only after "100 Continue".
    const asked = (token: string): Promise<{ continued: boolean; status: number }> =>
      new Promise((resolve, reject) => {
        const req = http.request(`${server.url}/dossiers/${DOSSIER}/results`, {
          method: 'POST',
          headers: {
            Expect: '100-continue',
            'Content-Length': 10 * 1024 * 1024,
            'Content-Type': 'multipart/form-data; boundary=x',
            'Idempotency-Key': 'key-aaaaaaaa-0010',
            Authorization: `Bearer ${token}`,
          },
        });
        let continued = false;
        req.on('continue', () => {
          continued = true;
          req.destroy(); // the body is not the point here
          resolve({ continued, status: 100 });
        });
        req.on('response', (res) => {
          res.resume();
          resolve({ continued, status: res.statusCode ?? 0 });
        });
        req.on('error', (error) => (continued ? undefined : reject(error)));
        req.flushHeaders();
      });
    expect(await asked('nope')).toEqual({ continued: false, status: 401 });
    // The check that can fail: a right credential is told to go on.
    expect(await asked('dev-token-1234')).toEqual({ continued: true, status: 100 });
  });

  it('switches faults through the admin endpoint: every request answered 500 until switched off', async () => {
    const put = await fetch(`${server.url}/admin/faults`, {
      method: 'PUT',
      body: JSON.stringify({ rates: { error500: 1 } }),
    });
    expect(put.status).toBe(200);
    expect((await post(docs[2] as string, 'key-aaaaaaaa-0006')).status).toBe(500);
    expect(
      (
        await fetch(`${server.url}/admin/faults`, {
          method: 'PUT',
          body: JSON.stringify({ rates: { error500: 0.6, drop: 0.6 } }),
        })
      ).status,
    ).toBe(400);
    await fetch(`${server.url}/admin/faults`, { method: 'PUT', body: JSON.stringify({ rates: {} }) });
    expect((await post(docs[2] as string, 'key-aaaaaaaa-0006')).status).toBe(201);
    const stats = (await (await fetch(`${server.url}/admin/stats`)).json()) as {
      faults: Record<string, number>;
    };
    expect(stats.faults['error500']).toBe(1);
  });

  it('a restarted server still answers 409 for every key it stored', async () => {
    const again = await startOnestopServer({
      dataDir: server.store.dir,
      tokens: ['dev-token-1234'],
      trust: testTrust(),
    });
    try {
      expect((await post(docs[0] as string, 'key-aaaaaaaa-0001', { base: again.url })).status).toBe(409);
      expect(again.stats().stored).toBe(2);
    } finally {
      await again.close();
    }
  });
});
