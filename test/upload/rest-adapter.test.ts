// The REST adapter against the reference one-stop server (real HTTP on 127.0.0.1): what is sent
// (multipart parts, metadata, Idempotency-Key, bearer token), what each answer means (201, 409,
// 401, 413, 422, 500, timeouts, dropped connections, lost answers), OAuth2 client credentials, a
// system with other paths, field names and success rule, TLS 1.2+ with a configured CA, and the
// settings' proxy.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMultipart } from '../../src/onestop/multipart-form.js';
import { startOnestopServer, type OnestopServer } from '../../src/onestop/onestop-server.js';
import { readBody, sendJson } from '../../src/onestop/router.js';
import { Secret } from '../../src/shared/secret.js';
import { idempotencyKey } from '../../src/signing/upload/idempotency-key.js';
import { sha256File } from '../../src/signing/upload/queue-document.js';
import { RestAdapter, type RestAdapterConfig } from '../../src/signing/upload/rest-adapter.js';
import type { DeliveryRequest } from '../../src/signing/upload/upload-types.js';
import { DOSSIER, makeSignedResults, testTrust } from './upload-documents.js';

const TOKEN = 'rest-test-token-0123456789';
let root: string;
let server: OnestopServer;
let docs: string[];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-rest-'));
  const made = await makeSignedResults(path.join(root, 'docs'), 4);
  // A Vietnamese file name travels intact (RFC 7578 UTF-8, and filename*).
  const named = path.join(root, 'docs', 'Quyết định 12-QĐ-UBND.pdf');
  copyFileSync(made[0] as string, named);
  docs = [named, ...made.slice(1)];
  server = await startOnestopServer({
    dataDir: path.join(root, 'onestop'),
    tokens: [TOKEN],
    oauthClients: { 'ubnd-doan-ket': 'client-secret-xyz-987' },
    trust: testTrust(),
    maxBytes: 200_000,
  });
});
afterAll(async () => server?.close());

function config(overrides: Partial<RestAdapterConfig> = {}): RestAdapterConfig {
  return {
    server: server.url,
    path: '/dossiers/{dossierCode}/results',
    fileField: 'file',
    metadataField: 'metadata',
    idempotencyHeader: 'Idempotency-Key',
    successStatuses: [],
    alreadyDeliveredStatuses: [409],
    timeoutMs: 2000,
    ca: [],
    auth: 'bearer',
    credential: () => new Secret(TOKEN),
    ...overrides,
  };
}

async function request(
  file: string,
  dossierCode = DOSSIER,
  serverUrl = server.url,
): Promise<DeliveryRequest> {
  const { sha256, size } = await sha256File(file);
  return {
    file,
    metadata: {
      dossierCode,
      fileName: path.basename(file),
      documentNumber: '12/QĐ-UBND',
      documentType: 'Quyết định',
      signer: { name: 'Nguyễn Thị Hồng Nhung', organization: 'UBND phường Đoàn Kết' },
      signingTime: '2026-11-26T02:15:00.000Z',
      sha256,
      size,
      idempotencyKey: idempotencyKey({ kind: 'rest', server: serverUrl }, dossierCode, sha256),
    },
  };
}

function setFaults(
  rates: Partial<Record<'error500' | 'timeout' | 'drop' | 'duplicate' | 'slow', number>>,
): void {
  server.faults.settings = {
    rates: { error500: 0, timeout: 0, drop: 0, duplicate: 0, slow: 0, ...rates },
    slowMs: 50,
  };
}

describe('REST adapter and the reference server', () => {
  it('delivers: the server stores the file with the metadata; the same document again is 409, already delivered', async () => {
    setFaults({});
    const adapter = new RestAdapter(config());
    const req = await request(docs[0] as string);
    const outcome = await adapter.deliver(req);
    expect(outcome).toMatchObject({ kind: 'delivered', already: false, status: 201 });
    const receipt = server.store.byKey(req.metadata.idempotencyKey);
    expect(receipt).toMatchObject({
      dossierCode: DOSSIER,
      fileName: 'Quyết định 12-QĐ-UBND.pdf',
      sha256: req.metadata.sha256,
      metadata: { documentNumber: '12/QĐ-UBND', signer: { name: 'Nguyễn Thị Hồng Nhung' } },
    });
    // Verified on receipt, with the signer's name as the verifier reads it.
    expect(receipt?.signatures).toEqual([{ status: 'valid', signer: expect.any(String) as string }]);
    expect(readFileSync(server.store.filePath(receipt?.id as string))).toEqual(
      readFileSync(docs[0] as string),
    );
    const again = await adapter.deliver(req);
    expect(again).toMatchObject({ kind: 'delivered', already: true, status: 409 });
    expect(server.stats().byDocument[req.metadata.sha256]).toBe(1);
  });

  it('a refused credential is a permanent failure (401) whose message never holds the token', async () => {
    const wrong = 'wrong-token-abcdef123456';
    const outcome = await new RestAdapter(config({ credential: () => new Secret(wrong) })).deliver(
      await request(docs[1] as string),
    );
    expect(outcome).toMatchObject({ kind: 'failed', code: 'UPLOAD_UNAUTHORIZED', status: 401 });
    expect(JSON.stringify(outcome)).not.toContain(wrong);
  });

  it('a missing credential throws UPLOAD_CREDENTIAL_MISSING before anything is sent', async () => {
    const before = server.faults.requests;
    await expect(
      new RestAdapter(config({ credential: () => undefined })).deliver(await request(docs[1] as string)),
    ).rejects.toMatchObject({
      code: 'UPLOAD_CREDENTIAL_MISSING',
    });
    expect(server.faults.requests).toBe(before);
  });

  it('413 is a permanent failure with the server message; nothing is stored', async () => {
    const big = path.join(root, 'big.pdf');
    // A signed document with 300 kB of trailing comment: over the server's 200 kB.
    execFileSync('bash', [
      '-c',
      `cat "${docs[1]}" > "${big}" && head -c 300000 /dev/zero | tr '\\0' ' ' >> "${big}"`,
    ]);
    const outcome = await new RestAdapter(config()).deliver(await request(big));
    expect(outcome).toMatchObject({ kind: 'failed', code: 'UPLOAD_TOO_LARGE', status: 413 });
    expect(outcome.kind === 'failed' && outcome.message).toMatch(/too large/);
    expect(server.stats().answers['201']).toBe(1);
  });

  it('other 4xx answers are permanent failures with the server’s own message (422: not signed)', async () => {
    const unsigned = path.join(root, 'docs', '.plain', 'result-0002.pdf');
    const outcome = await new RestAdapter(config()).deliver(await request(unsigned));
    expect(outcome).toMatchObject({
      kind: 'failed',
      code: 'UPLOAD_REJECTED',
      status: 422,
      message: 'Tệp chưa được ký số / the file is not signed',
    });
  });

  it.each([
    ['error500', 'UPLOAD_SERVER_ERROR'],
    ['timeout', 'UPLOAD_TIMEOUT'],
    ['drop', 'UPLOAD_UNREACHABLE'],
  ] as const)('a %s is retried later (%s); nothing is stored', async (fault, code) => {
    setFaults({ [fault]: 1 });
    const req = await request(docs[2] as string);
    const outcome = await new RestAdapter(config({ timeoutMs: 300 })).deliver(req);
    expect(outcome).toMatchObject({ kind: 'retry', code });
    expect(server.store.byKey(req.metadata.idempotencyKey)).toBeUndefined();
    setFaults({});
  });

  it('a lost answer (stored, answer dropped) is retried and then recognised by its key: 409', async () => {
    setFaults({ duplicate: 1 });
    const req = await request(docs[3] as string);
    const adapter = new RestAdapter(config());
    expect(await adapter.deliver(req)).toMatchObject({ kind: 'retry', code: 'UPLOAD_UNREACHABLE' });
    expect(server.store.byKey(req.metadata.idempotencyKey)).toBeDefined();
    setFaults({ slow: 1 });
    expect(await adapter.deliver(req)).toMatchObject({ kind: 'delivered', already: true, status: 409 });
    expect(server.stats().byDocument[req.metadata.sha256]).toBe(1);
    setFaults({});
  });

  it('OAuth2 client credentials: a token is fetched with the client secret and used as bearer', async () => {
    const dossier = '000.00.01.H22-261126-0042';
    const adapter = new RestAdapter(
      config({
        auth: 'oauth2',
        oauth2: { tokenUrl: `${server.url}/oauth/token`, clientId: 'ubnd-doan-ket' },
        credential: () => new Secret('client-secret-xyz-987'),
      }),
    );
    expect(await adapter.deliver(await request(docs[1] as string, dossier))).toMatchObject({
      kind: 'delivered',
      status: 201,
    });
    const refused = new RestAdapter(
      config({
        auth: 'oauth2',
        oauth2: { tokenUrl: `${server.url}/oauth/token`, clientId: 'ubnd-doan-ket' },
        credential: () => new Secret('not-the-secret'),
      }),
    );
    expect(await refused.deliver(await request(docs[2] as string, dossier))).toMatchObject({
      kind: 'failed',
      code: 'UPLOAD_OAUTH_FAILED',
    });
  });

  it('another system: its path, field names and a JSON success rule (Status 0) from settings', async () => {
    const seen: { path: string; fields: string[] }[] = [];
    let status = 0;
    // A module on the reference server's router, answering like the VGCA plugin's handlers.
    const other = await startOnestopServer({
      dataDir: path.join(root, 'other'),
      modules: [
        (router) =>
          router.add('POST', '/api/hoso/:code/ketqua', async (req, res, params) => {
            const body = (await readBody(req, 1_000_000)) as Buffer;
            const parts = parseMultipart(req.headers['content-type'], body) ?? [];
            seen.push({ path: params['code'] ?? '', fields: parts.map((p) => p.name) });
            sendJson(res, 200, { Status: status, Message: status === 0 ? 'OK' : 'Hồ sơ đã đóng' });
          }),
      ],
    });
    try {
      const adapter = new RestAdapter(
        config({
          server: `${other.url}/api`,
          path: '/hoso/{dossierCode}/ketqua',
          fileField: 'FileUpload',
          metadataField: 'MetaData',
          successJsonField: 'Status',
          successJsonValue: '0',
          auth: 'none',
        }),
      );
      expect(await adapter.deliver(await request(docs[1] as string))).toMatchObject({
        kind: 'delivered',
        status: 200,
      });
      expect(seen).toEqual([{ path: DOSSIER, fields: ['MetaData', 'FileUpload'] }]);
      status = 1;
      expect(await adapter.deliver(await request(docs[2] as string))).toMatchObject({
        kind: 'failed',
        code: 'UPLOAD_REJECTED',
        message: 'Hồ sơ đã đóng',
      });
    } finally {
      await other.close();
    }
  });

  it('HTTPS: TLS 1.2+ only, the server certificate trusted through a configured CA', async () => {
    const dir = path.join(root, 'tls');
    execFileSync('bash', [
      '-c',
      `mkdir -p "${dir}" && cd "${dir}" && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem 2>/dev/null`,
    ]);
    const options = {
      key: readFileSync(path.join(dir, 'key.pem')),
      cert: readFileSync(path.join(dir, 'cert.pem')),
    };
    const answer = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
      _req.resume();
      _req.on('end', () => sendJson(res, 201, { message: 'stored' }));
    };
    const modern = https.createServer(options, answer);
    const old = https.createServer(
      { ...options, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
      answer,
    );
    const listen = (s: https.Server): Promise<string> =>
      new Promise((resolve) =>
        s.listen(0, '127.0.0.1', () => resolve(`https://127.0.0.1:${(s.address() as AddressInfo).port}`)),
      );
    const [modernUrl, oldUrl] = [await listen(modern), await listen(old)];
    try {
      const req = await request(docs[1] as string);
      expect(await new RestAdapter(config({ server: modernUrl })).deliver(req)).toMatchObject({
        kind: 'failed',
        code: 'UPLOAD_TLS',
      });
      const ca = [readFileSync(path.join(dir, 'cert.pem'), 'utf8')];
      expect(await new RestAdapter(config({ server: modernUrl, ca })).deliver(req)).toMatchObject({
        kind: 'delivered',
        status: 201,
      });
      expect(await new RestAdapter(config({ server: oldUrl, ca })).deliver(req)).toMatchObject({
        kind: 'failed',
        code: 'UPLOAD_TLS',
      });
    } finally {
      modern.close();
      old.close();
    }
  });

  it('goes through the settings’ HTTP proxy', async () => {
    const proxied: string[] = [];
    const proxy = http.createServer((req, res) => {
      proxied.push(`${req.method} ${req.url}`);
      const target = new URL(req.url ?? '');
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: req.method,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    try {
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const dossier = '000.00.01.H22-261126-0077';
      const outcome = await new RestAdapter(config({ proxy: { url: proxyUrl } })).deliver(
        await request(docs[1] as string, dossier),
      );
      expect(outcome).toMatchObject({ kind: 'delivered', status: 201 });
      expect(proxied).toEqual([`POST ${server.url}/dossiers/${dossier}/results`]);
    } finally {
      proxy.close();
    }
  });
});
