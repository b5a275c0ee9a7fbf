import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KysoError } from '../../../src/shared/errors.js';
import { isKysoError } from '../../../src/shared/errors.js';
import { Secret } from '../../../src/shared/secret.js';
import {
  buildSignedData,
  estimateSignedDataSize,
  parseTimestampToken,
  requestTimestamp,
  signatureTimestampOf,
  tsaTimestamper,
  verifyTimestampToken,
  type TsaEvent,
} from '../../../src/signing/cms/index.js';
import { KeySigner } from '../../../src/signing/identity/index.js';
import {
  closedPort,
  startTsaServer,
  type TsaServer,
  type TsaServerOptions,
} from '../../servers/tsa-server.js';
import { makeTestPki, opensslCmsVerify, runTool, type TestPki } from '../../servers/test-pki.js';

let pki: TestPki;
let tsa: TsaServer;
let work: string;
const extraServers: TsaServer[] = [];

beforeAll(async () => {
  pki = await makeTestPki();
  tsa = await startTsaServer({ pkiDir: pki.dir });
  work = await mkdtemp(path.join(os.tmpdir(), 'kyso-ts-'));
});

afterEach(async () => {
  await Promise.all(extraServers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await tsa?.close();
  await pki?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

async function server(options: Omit<TsaServerOptions, 'pkiDir'>): Promise<TsaServer> {
  const s = await startTsaServer({ pkiDir: pki.dir, ...options });
  extraServers.push(s);
  return s;
}

async function failure(promise: Promise<unknown>): Promise<KysoError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isKysoError(error)) throw new Error(`expected a KysoError, got ${String(error)}`);
  return error;
}

const data = (): Uint8Array => new Uint8Array(randomBytes(256));

describe('B-T signature', () => {
  it('embeds a token over the signature value that openssl ts -verify accepts', async () => {
    const identity = await pki.identity('chairman-rsa2048');
    const signer = new KeySigner(identity.key, identity.certificate, [pki.intermediate]);
    const content = new Uint8Array(randomBytes(10_000));
    const events: TsaEvent[] = [];
    const cms = await buildSignedData({
      signer,
      contentDigest: new Uint8Array(createHash('sha256').update(content).digest()),
      digest: 'sha256',
      scheme: 'rsa-pkcs1',
      timestamp: tsaTimestamper({
        url: tsa.url,
        digest: 'sha256',
        timeoutMs: 10_000,
        retries: 0,
        onEvent: (e) => events.push(e),
      }),
    });
    expect(events).toEqual([{ kind: 'tsa-waiting', attempt: 1, url: tsa.url }]);

    const { signatureValue, token } = signatureTimestampOf(cms);
    expect(token).toBeDefined();
    const info = parseTimestampToken(token!);
    expect(info.imprint.digest).toBe('sha256');
    expect(Buffer.from(info.imprint.hashedMessage)).toEqual(
      createHash('sha256').update(signatureValue).digest(),
    );
    expect(Math.abs(info.genTime.getTime() - Date.now())).toBeLessThan(60_000);
    expect(info.policy).toBe('1.2.3.4.1');
    expect(Buffer.from(info.tsaCertificate!)).toEqual(Buffer.from(pki.tsaCertificate));

    const dir = await mkdtemp(path.join(work, 'bt-'));
    await writeFile(path.join(dir, 'token.der'), token!);
    await writeFile(path.join(dir, 'sigvalue.bin'), signatureValue);
    const ts = await runTool('openssl', [
      'ts',
      '-verify',
      '-token_in',
      '-in',
      path.join(dir, 'token.der'),
      '-data',
      path.join(dir, 'sigvalue.bin'),
      '-CAfile',
      pki.rootPem,
    ]);
    expect(ts.stdout).toContain('Verification: OK');
    expect(ts.code).toBe(0);

    // the whole CMS still verifies
    const cmsVerify = await opensslCmsVerify(cms, content, pki.rootPem);
    expect(cmsVerify.code).toBe(0);

    // sizes: the real B-T CMS fits the estimate made with a hint of the token size, and the default
    const exact = await estimateSignedDataSize({
      signer,
      digest: 'sha256',
      scheme: 'rsa-pkcs1',
      timestampSizeHint: token!.length,
    });
    expect(cms.length).toBeLessThanOrEqual(exact);
    expect(exact - cms.length).toBeLessThanOrEqual(1);
    expect(cms.length).toBeLessThanOrEqual(
      await estimateSignedDataSize({
        signer,
        digest: 'sha256',
        scheme: 'rsa-pkcs1',
        timestampSizeHint: 8192,
      }),
    );
  });

  it.each(['sha256', 'sha384', 'sha512'] as const)('requestTimestamp with %s', async (digest) => {
    const bytes = data();
    const result = await requestTimestamp({
      url: tsa.url,
      digest,
      data: bytes,
      timeoutMs: 10_000,
      retries: 0,
    });
    expect(result.serialNumber).toMatch(/^\d+$/);
    expect(Buffer.from(result.tsaCertificate!)).toEqual(Buffer.from(pki.tsaCertificate));
    const verified = await verifyTimestampToken(result.token, bytes);
    expect(verified.imprint.digest).toBe(digest);
    expect(verified.genTime.getTime()).toBe(result.genTime.getTime());
    const other = await failure(verifyTimestampToken(result.token, data()));
    expect(other.code).toBe('TSA_BAD_RESPONSE');
    expect(other.details['reason']).toBe('imprint-mismatch');
  });

  it('asks for a policy and gets it', async () => {
    const result = await requestTimestamp({
      url: tsa.url,
      digest: 'sha256',
      data: data(),
      policyOid: '1.2.3.4.5',
      retries: 0,
    });
    expect(parseTimestampToken(result.token).policy).toBe('1.2.3.4.5');
  });
});

describe('TSA failures', () => {
  it('closed port: TSA_UNREACHABLE, retried with backoff', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/tsa`;
    const events: TsaEvent[] = [];
    const error = await failure(
      requestTimestamp({
        url,
        digest: 'sha256',
        data: data(),
        retries: 2,
        retryDelayMs: 20,
        onEvent: (e) => events.push(e),
      }),
    );
    expect(error.code).toBe('TSA_UNREACHABLE');
    expect(error.details['attempts']).toBe(3);
    expect(events).toEqual([
      { kind: 'tsa-waiting', attempt: 1, url },
      { kind: 'tsa-retry', attempt: 2, delayMs: 20, reason: 'TSA_UNREACHABLE' },
      { kind: 'tsa-waiting', attempt: 2, url },
      { kind: 'tsa-retry', attempt: 3, delayMs: 40, reason: 'TSA_UNREACHABLE' },
      { kind: 'tsa-waiting', attempt: 3, url },
    ]);
  });

  it('unknown host: TSA_UNREACHABLE', async () => {
    const error = await failure(
      requestTimestamp({ url: 'http://tsa.invalid/', digest: 'sha256', data: data(), retries: 0 }),
    );
    expect(error.code).toBe('TSA_UNREACHABLE');
  });

  it('slow server and a small timeout: TSA_TIMEOUT', async () => {
    const slow = await server({ delayMs: 3000 });
    const started = Date.now();
    const error = await failure(
      requestTimestamp({ url: slow.url, digest: 'sha256', data: data(), timeoutMs: 300, retries: 0 }),
    );
    expect(error.code).toBe('TSA_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a request that hangs is retried after the timeout and then succeeds', async () => {
    const flaky = await server({ failFirst: 1, failWith: 'hang' });
    const events: TsaEvent[] = [];
    const bytes = data();
    const result = await requestTimestamp({
      url: flaky.url,
      digest: 'sha256',
      data: bytes,
      // Room for the answered second request on a loaded machine (500 ms once timed it out too).
      timeoutMs: 2500,
      retries: 2,
      retryDelayMs: 10,
      onEvent: (e) => events.push(e),
    });
    await verifyTimestampToken(result.token, bytes);
    expect(flaky.requests).toBe(2);
    expect(events.map((e) => e.kind)).toEqual(['tsa-waiting', 'tsa-retry', 'tsa-waiting']);
    expect(events[1]).toMatchObject({ reason: 'TSA_TIMEOUT', attempt: 2 });
  });

  it('HTTP 500 then success', async () => {
    const flaky = await server({ failFirst: 2, failWith: 'http-500' });
    const result = await requestTimestamp({
      url: flaky.url,
      digest: 'sha256',
      data: data(),
      retries: 2,
      retryDelayMs: 10,
    });
    expect(result.token.length).toBeGreaterThan(0);
    expect(flaky.requests).toBe(3);
  });

  it('HTTP 500 without retries left: TSA_BAD_RESPONSE', async () => {
    const broken = await server({ failFirst: 5, failWith: 'http-500' });
    const error = await failure(
      requestTimestamp({ url: broken.url, digest: 'sha256', data: data(), retries: 1, retryDelayMs: 10 }),
    );
    expect(error.code).toBe('TSA_BAD_RESPONSE');
    expect(error.details['httpStatus']).toBe(500);
    expect(broken.requests).toBe(2);
  });

  it('connection reset: TSA_UNREACHABLE, then success on retry', async () => {
    const flaky = await server({ failFirst: 1, failWith: 'reset' });
    const result = await requestTimestamp({
      url: flaky.url,
      digest: 'sha256',
      data: data(),
      retries: 1,
      retryDelayMs: 10,
    });
    expect(result.token.length).toBeGreaterThan(0);
  });

  it('rejection: TSA_REJECTED with status, failInfo and statusString, not retried', async () => {
    const refusing = await server({ status: 'rejection' });
    const error = await failure(
      requestTimestamp({ url: refusing.url, digest: 'sha256', data: data(), retries: 3, retryDelayMs: 10 }),
    );
    expect(error.code).toBe('TSA_REJECTED');
    expect(error.details).toMatchObject({
      status: 'rejection',
      failInfo: 'badAlg',
      statusString: 'thuật toán băm không được hỗ trợ',
    });
    expect(refusing.requests).toBe(1);
  });

  it('a policy the TSA does not have: openssl rejects it (unacceptedPolicy)', async () => {
    const error = await failure(
      requestTimestamp({ url: tsa.url, digest: 'sha256', data: data(), policyOid: '1.2.3.9.9', retries: 0 }),
    );
    expect(error.code).toBe('TSA_REJECTED');
    expect(error.details['failInfo']).toBe('unacceptedPolicy');
  });

  it('garbage: TSA_BAD_RESPONSE', async () => {
    const garbage = await server({ garbage: true });
    const error = await failure(
      requestTimestamp({ url: garbage.url, digest: 'sha256', data: data(), retries: 2 }),
    );
    expect(error.code).toBe('TSA_BAD_RESPONSE');
    expect(error.details['reason']).toBe('not-timestamp-response');
    expect(garbage.requests).toBe(1);
  });

  it('a reply to another request (nonce mismatch): TSA_BAD_RESPONSE', async () => {
    const confused = await server({ otherNonce: true });
    const error = await failure(
      requestTimestamp({ url: confused.url, digest: 'sha256', data: data(), retries: 0 }),
    );
    expect(error.code).toBe('TSA_BAD_RESPONSE');
    expect(error.details['reason']).toBe('nonce-mismatch');
  });

  it('https with an untrusted certificate: TSA_UNREACHABLE, not retried', async () => {
    const dir = await mkdtemp(path.join(work, 'tls-'));
    const made = await runTool('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ]);
    expect(made.code).toBe(0);
    let hits = 0;
    const tls = https.createServer(
      { key: await readFile(path.join(dir, 'key.pem')), cert: await readFile(path.join(dir, 'cert.pem')) },
      (_req, res) => {
        hits++;
        res.end();
      },
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const port = (tls.address() as { port: number }).port;
      const error = await failure(
        requestTimestamp({
          url: `https://127.0.0.1:${port}/tsa`,
          digest: 'sha256',
          data: data(),
          retries: 2,
          retryDelayMs: 10,
        }),
      );
      expect(error.code).toBe('TSA_UNREACHABLE');
      expect(error.details['reason']).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(error.details['attempts']).toBe(1);
      expect(hits).toBe(0);
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it('an invalid URL', async () => {
    const error = await failure(
      requestTimestamp({ url: 'ftp://tsa.example/', digest: 'sha256', data: data() }),
    );
    expect(error.code).toBe('TSA_UNREACHABLE');
    expect(error.details['reason']).toBe('invalid-url');
  });
});

describe('TSA authentication', () => {
  const password = 'mật-khẩu-bí-mật-42';
  const token = 'tok_9f8e7d6c5b4a';

  it('basic auth: refused without or with wrong credentials (TSA_AUTH_FAILED), accepted with them', async () => {
    const guarded = await server({ requireAuth: { kind: 'basic', username: 'kyso', password } });
    const none = await failure(
      requestTimestamp({ url: guarded.url, digest: 'sha256', data: data(), retries: 3 }),
    );
    expect(none.code).toBe('TSA_AUTH_FAILED');
    expect(guarded.requests).toBe(1); // not retried

    const wrongPassword = `${password}-wrong`;
    const wrong = await failure(
      requestTimestamp({
        url: guarded.url,
        digest: 'sha256',
        data: data(),
        auth: { kind: 'basic', username: 'kyso', password: wrongPassword },
        retries: 0,
      }),
    );
    expect(wrong.code).toBe('TSA_AUTH_FAILED');
    const exposed = `${wrong.message} ${JSON.stringify(wrong.details)} ${String(wrong.cause)}`;
    expect(exposed).not.toContain(wrongPassword);
    expect(exposed).not.toContain(Buffer.from(`kyso:${wrongPassword}`).toString('base64'));

    const ok = await requestTimestamp({
      url: guarded.url,
      digest: 'sha256',
      data: data(),
      auth: { kind: 'basic', username: 'kyso', password: new Secret(password) },
      retries: 0,
    });
    expect(ok.token.length).toBeGreaterThan(0);
  });

  it('credentials in the URL are used and never shown', async () => {
    const guarded = await server({ requireAuth: { kind: 'basic', username: 'kyso', password } });
    const port = new URL(guarded.url).port;
    const events: TsaEvent[] = [];
    const url = `http://kyso:${encodeURIComponent(password)}@127.0.0.1:${port}/tsa`;
    await requestTimestamp({
      url,
      digest: 'sha256',
      data: data(),
      retries: 0,
      onEvent: (e) => events.push(e),
    });
    expect(events[0]).toEqual({ kind: 'tsa-waiting', attempt: 1, url: guarded.url });
  });

  it('bearer token', async () => {
    const guarded = await server({ requireAuth: { kind: 'bearer', token } });
    const wrong = await failure(
      requestTimestamp({
        url: guarded.url,
        digest: 'sha256',
        data: data(),
        auth: { kind: 'bearer', token: 'nope' },
        retries: 0,
      }),
    );
    expect(wrong.code).toBe('TSA_AUTH_FAILED');
    expect(wrong.details['httpStatus']).toBe(403);
    const ok = await requestTimestamp({
      url: guarded.url,
      digest: 'sha256',
      data: data(),
      auth: { kind: 'bearer', token: new Secret(token) },
      retries: 0,
    });
    expect(ok.token.length).toBeGreaterThan(0);
    expect(guarded.authorizations.at(-1)).toBe(`Bearer ${token}`);
  });
});

describe('cancellation', () => {
  it('abort while waiting for the TSA: CANCELLED at once', async () => {
    const hanging = await server({ failFirst: 100, failWith: 'hang' });
    const controller = new AbortController();
    const started = Date.now();
    const pending = requestTimestamp({
      url: hanging.url,
      digest: 'sha256',
      data: data(),
      timeoutMs: 30_000,
      retries: 0,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.kind === 'tsa-waiting') setTimeout(() => controller.abort(), 100);
      },
    });
    const error = await failure(pending);
    expect(error.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('abort during the backoff sleep: CANCELLED without waiting it out', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/tsa`;
    const controller = new AbortController();
    const started = Date.now();
    const error = await failure(
      requestTimestamp({
        url,
        digest: 'sha256',
        data: data(),
        retries: 3,
        retryDelayMs: 20_000,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.kind === 'tsa-retry') setTimeout(() => controller.abort(), 50);
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('abort before anything: CANCELLED, no request sent', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = tsa.requests;
    const error = await failure(
      requestTimestamp({ url: tsa.url, digest: 'sha256', data: data(), signal: controller.signal }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(tsa.requests).toBe(before);
  });

  it('abort passed through buildSignedData reaches the TSA request', async () => {
    const hanging = await server({ failFirst: 100, failWith: 'hang' });
    const identity = await pki.identity('deputy-p256');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await failure(
      buildSignedData({
        signer: new KeySigner(identity.key, identity.certificate, identity.chain),
        contentDigest: new Uint8Array(32),
        digest: 'sha256',
        scheme: 'ecdsa',
        timestamp: tsaTimestamper({ url: hanging.url, digest: 'sha256', timeoutMs: 30_000, retries: 0 }),
        signal: controller.signal,
      }),
    );
    expect(error.code).toBe('CANCELLED');
  });
});
