// OCSP and CRL clients against real servers on 127.0.0.1 (openssl ocsp over the CA database, CRLs and
// CA certificates over HTTP) for a PKI of this file's own: good and revoked answers, responder
// authority, stale data, delta CRLs, AIA chasing, the cache, offline mode, timeouts, retries, a proxy,
// and the check before signing.
import { webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RevocationClient,
  checkSignerRevocation,
  collectValidationData,
  readRevocationCertificate,
  revocationOptionsFromSettings,
  type RevocationCertificate,
  type RevocationOptions,
} from '../../../src/signing/revocation/index.js';
import { SettingsSchema } from '../../../src/signing/settings.js';
import { privatePki, type PrivatePki } from '../../servers/pki-server.js';

let pki: PrivatePki;
let work: string;

const cert = (name: string): RevocationCertificate => {
  const c = readRevocationCertificate(new Uint8Array(readFileSync(pki.file(name))));
  if (c === undefined) throw new Error(`cannot read ${name}`);
  return c;
};

/** A client with its own (empty) cache folder. */
function client(options: RevocationOptions = {}): RevocationClient {
  return new RevocationClient({
    cacheDir: mkdtempSync(path.join(work, 'cache-')),
    timeoutMs: 5000,
    retries: 0,
    ...options,
  });
}

beforeAll(async () => {
  pki = await privatePki();
  work = mkdtempSync(path.join(os.tmpdir(), 'kyso-revocation-'));
}, 180_000);
afterAll(async () => pki?.cleanup());

function resetServer(): void {
  pki.server.ocsp = 'ok';
  pki.server.crl = 'ok';
  pki.server.ca = 'ok';
  pki.server.ocspNextUpdateMinutes = undefined;
  pki.server.extra.clear();
}

describe('OCSP', () => {
  it('says good for a valid certificate, with a nonce and a delegated responder', async () => {
    resetServer();
    const before = pki.server.requests.ocsp;
    const s = await client().status(cert('chairman-rsa2048.cert.der'), cert('intermediate-ca.der'));
    expect(s.status).toBe('good');
    expect(s.source).toBe('ocsp');
    expect(s.ocsp).toBeDefined();
    expect(s.certificates.map((c) => c.name)).toEqual(['Kyso Test OCSP']);
    expect(s.problems).toEqual([]);
    expect(pki.server.requests.ocsp).toBe(before + 1);
  });

  it('says revoked with the revocation date and reason', async () => {
    resetServer();
    const s = await client().status(cert('revoked-rsa2048.cert.der'), cert('intermediate-ca.der'));
    expect(s.status).toBe('revoked');
    expect(s.source).toBe('ocsp');
    expect(s.reason).toBe(1); // keyCompromise
    const index = readFileSync(pki.file('ca/index.txt'), 'utf8');
    const line = index.split('\n').find((l) => l.startsWith('R\t'))!;
    const stamp = line.split('\t')[2]!.split(',')[0]!; // YYMMDDHHMMSSZ
    const expected = new Date(
      Date.UTC(
        2000 + Number(stamp.slice(0, 2)),
        Number(stamp.slice(2, 4)) - 1,
        Number(stamp.slice(4, 6)),
        Number(stamp.slice(6, 8)),
        Number(stamp.slice(8, 10)),
        Number(stamp.slice(10, 12)),
      ),
    );
    expect(s.revokedAt?.toISOString()).toBe(expected.toISOString());
  });

  it('refuses a response signed by a certificate the CA did not authorise, and falls back to the CRL', async () => {
    resetServer();
    pki.server.ocsp = 'unauthorized';
    const s = await client().status(cert('chairman-rsa2048.cert.der'), cert('intermediate-ca.der'));
    expect(s.problems.map((p) => p.reason)).toEqual(['unauthorized-responder']);
    expect(s.status).toBe('good');
    expect(s.source).toBe('crl');
    expect(s.crls).toHaveLength(1);
  });

  it('reports a broken or busy responder and uses the CRL', async () => {
    resetServer();
    pki.server.ocsp = 'garbage';
    const a = await client().status(cert('revoked-rsa2048.cert.der'), cert('intermediate-ca.der'));
    expect(a.problems[0]).toMatchObject({ source: 'ocsp', reason: 'not-ocsp' });
    expect(a).toMatchObject({ status: 'revoked', source: 'crl', reason: 1 });
    pki.server.ocsp = 'try-later';
    const b = await client().status(cert('chairman-rsa2048.cert.der'), cert('intermediate-ca.der'));
    expect(b.problems[0]).toMatchObject({ reason: 'responder-error', detail: 'tryLater' });
    expect(b.status).toBe('good');
  });

  it('rejects an answer whose nextUpdate has passed (thisUpdate/nextUpdate are respected)', async () => {
    resetServer();
    pki.server.ocspNextUpdateMinutes = 1;
    pki.server.crl = 'http-500';
    const later = new Date(Date.now() + 60 * 60 * 1000);
    const s = await client({ now: () => later }).status(
      cert('chairman-rsa2048.cert.der'),
      cert('intermediate-ca.der'),
    );
    expect(s.status).toBe('unknown');
    expect(s.problems.map((p) => `${p.source}:${p.reason}`)).toEqual(['ocsp:stale', 'crl:http-status']);
    const earlier = new Date(Date.now() - 60 * 60 * 1000);
    const t = await client({ now: () => earlier }).status(
      cert('chairman-rsa2048.cert.der'),
      cert('intermediate-ca.der'),
    );
    expect(t.problems[0]).toMatchObject({ source: 'ocsp', reason: 'not-yet-valid' });
  });
});

describe('CRL', () => {
  it('reads the CRL from the distribution point and checks its signature', async () => {
    resetServer();
    const c = client({ prefer: 'crl' });
    const revoked = await c.status(cert('revoked-rsa2048.cert.der'), cert('intermediate-ca.der'));
    expect(revoked).toMatchObject({ status: 'revoked', source: 'crl', reason: 1 });
    const good = await c.status(cert('chairman-rsa2048.cert.der'), cert('intermediate-ca.der'));
    expect(good).toMatchObject({ status: 'good', source: 'crl', fromCache: true });
    // The root's CRL speaks for the intermediate; a CRL checked against the wrong CA is refused.
    const intermediate = await c.status(cert('intermediate-ca.der'), cert('root-ca.der'));
    expect(intermediate).toMatchObject({ status: 'good', source: 'crl' });
    const wrong = await client({ prefer: 'crl' }).status(
      cert('intermediate-ca.der'),
      cert('intermediate-ca.der'),
    );
    expect(wrong.status).toBe('unknown');
    expect(wrong.problems.map((p) => p.reason)).toContain('wrong-issuer');
  });

  it('refuses a CRL past its nextUpdate', async () => {
    resetServer();
    pki.server.ocsp = 'http-500';
    const later = new Date(Date.now() + 60 * 24 * 60 * 60 * 1000);
    const s = await client({ now: () => later }).status(
      cert('chairman-rsa2048.cert.der'),
      cert('intermediate-ca.der'),
    );
    expect(s.status).toBe('unknown');
    expect(s.problems.map((p) => `${p.source}:${p.reason}`)).toEqual(['ocsp:http-status', 'crl:stale']);
  });

  describe('delta CRLs', () => {
    let signingKey: webcrypto.CryptoKey;
    beforeAll(async () => {
      const pem = readFileSync(pki.file('intermediate-ca.key.pem'), 'latin1');
      const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
      signingKey = await webcrypto.subtle.importKey(
        'pkcs8',
        der,
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        false,
        ['sign'],
      );
    });

    /** A CRL of the intermediate CA made with pkijs: complete (number, freshest CRL) or delta. */
    async function makeCrl(options: {
      number: number;
      deltaOf?: number;
      freshest?: string;
      revoked?: RevocationCertificate[];
    }): Promise<Uint8Array> {
      const issuer = cert('intermediate-ca.der');
      const crl = new pkijs.CertificateRevocationList();
      crl.version = 1;
      crl.issuer = issuer.cert.subject;
      crl.thisUpdate = new pkijs.Time({ type: 1, value: new Date(Date.now() - 60_000) });
      crl.nextUpdate = new pkijs.Time({ type: 1, value: new Date(Date.now() + 86_400_000) });
      if (options.revoked !== undefined && options.revoked.length > 0) {
        crl.revokedCertificates = options.revoked.map(
          (c) =>
            new pkijs.RevokedCertificate({
              userCertificate: c.cert.serialNumber,
              revocationDate: new pkijs.Time({ type: 1, value: new Date(Date.now() - 30_000) }),
            }),
        );
      }
      const extensions = [
        new pkijs.Extension({
          extnID: '2.5.29.20',
          extnValue: new asn1js.Integer({ value: options.number }).toBER(false),
        }),
      ];
      if (options.deltaOf !== undefined) {
        extensions.push(
          new pkijs.Extension({
            extnID: '2.5.29.27',
            critical: true,
            extnValue: new asn1js.Integer({ value: options.deltaOf }).toBER(false),
          }),
        );
      }
      if (options.freshest !== undefined) {
        const dp = new pkijs.CRLDistributionPoints({
          distributionPoints: [
            new pkijs.DistributionPoint({
              distributionPoint: [new pkijs.GeneralName({ type: 6, value: options.freshest })],
            }),
          ],
        });
        extensions.push(new pkijs.Extension({ extnID: '2.5.29.46', extnValue: dp.toSchema().toBER(false) }));
      }
      crl.crlExtensions = new pkijs.Extensions({ extensions });
      await crl.sign(signingKey, 'SHA-256');
      return new Uint8Array(crl.toSchema(true).toBER(false));
    }

    it('applies a delta CRL named by the complete CRL, and never takes a delta alone as proof of good', async () => {
      resetServer();
      pki.server.ocsp = 'http-500';
      const chairman = cert('chairman-rsa2048.cert.der');
      const deltaUrl = `${pki.server.baseUrl}/crl/intermediate-delta.crl`;
      pki.server.extra.set('/crl/intermediate-ca.crl', await makeCrl({ number: 10, freshest: deltaUrl }));
      pki.server.extra.set(
        '/crl/intermediate-delta.crl',
        await makeCrl({ number: 11, deltaOf: 10, revoked: [chairman] }),
      );
      const combined = await client().status(chairman, cert('intermediate-ca.der'));
      expect(combined).toMatchObject({ status: 'revoked', source: 'crl' });
      expect(combined.crls).toHaveLength(2);

      // A delta served where the complete CRL should be: recognised, and not enough for "good".
      pki.server.extra.set('/crl/intermediate-ca.crl', await makeCrl({ number: 12, deltaOf: 10 }));
      const alone = await client().status(chairman, cert('intermediate-ca.der'));
      expect(alone.status).toBe('unknown');
      expect(alone.problems.map((p) => p.reason)).toContain('delta-only');
    });
  });
});

describe('cache, offline mode, timeouts, proxy', () => {
  it('reuses cached answers until their nextUpdate, and offline mode uses only the cache', async () => {
    resetServer();
    pki.server.ocspNextUpdateMinutes = 60;
    const cacheDir = mkdtempSync(path.join(work, 'shared-cache-'));
    const chairman = cert('chairman-rsa2048.cert.der');
    const intermediate = cert('intermediate-ca.der');
    const first = await new RevocationClient({ cacheDir, retries: 0 }).status(chairman, intermediate);
    expect(first).toMatchObject({ status: 'good', fromCache: false });
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.der'))).toHaveLength(1);

    pki.server.ocsp = 'http-500';
    pki.server.crl = 'http-500';
    const before = pki.server.requests.ocsp;
    const offline = await new RevocationClient({ cacheDir, mode: 'offline' }).status(chairman, intermediate);
    expect(offline).toMatchObject({ status: 'good', source: 'ocsp', fromCache: true });
    const online = await new RevocationClient({ cacheDir, retries: 0 }).status(chairman, intermediate);
    expect(online.fromCache).toBe(true);
    expect(pki.server.requests.ocsp).toBe(before);

    // Past nextUpdate the cached answer is not used: the client asks again (and here fails).
    const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
    const expired = await new RevocationClient({ cacheDir, retries: 0, now: () => later }).status(
      chairman,
      intermediate,
    );
    expect(expired.status).toBe('unknown');
    expect(pki.server.requests.ocsp).toBe(before + 1);
  });

  it('offline without cached data says what it could not fetch', async () => {
    resetServer();
    const c = client({ mode: 'offline' });
    const s = await c.status(cert('chairman-rsa2048.cert.der'), cert('intermediate-ca.der'));
    expect(s.status).toBe('unknown');
    expect(s.problems).toEqual([
      {
        source: 'ocsp',
        subject: 'Nguyễn Thị Hồng Nhung',
        url: `${pki.server.baseUrl}/ocsp`,
        reason: 'offline',
      },
      {
        source: 'crl',
        subject: 'Nguyễn Thị Hồng Nhung',
        url: `${pki.server.baseUrl}/crl/intermediate-ca.crl`,
        reason: 'offline',
      },
    ]);
  });

  it('gives up on a hanging server after the timeout and the retries', async () => {
    resetServer();
    pki.server.ocsp = 'hang';
    pki.server.crl = 'hang';
    const before = { ...pki.server.requests };
    const started = Date.now();
    const s = await client({ timeoutMs: 300, retries: 1, retryDelayMs: 10 }).status(
      cert('chairman-rsa2048.cert.der'),
      cert('intermediate-ca.der'),
    );
    const elapsed = Date.now() - started;
    expect(s.status).toBe('unknown');
    expect(s.problems.map((p) => `${p.source}:${p.reason}`)).toEqual(['ocsp:timeout', 'crl:timeout']);
    expect(pki.server.requests.ocsp - before.ocsp).toBe(2);
    expect(pki.server.requests.crl - before.crl).toBe(2);
    expect(elapsed).toBeLessThan(5000);
  });

  it('goes through an HTTP proxy when one is configured', async () => {
    resetServer();
    let proxied = 0;
    const proxy = http.createServer((req, res) => {
      proxied++;
      const target = new URL(req.url ?? '');
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const s = await client({ proxy: { url: `http://127.0.0.1:${port}` } }).status(
        cert('chairman-rsa2048.cert.der'),
        cert('intermediate-ca.der'),
      );
      expect(s.status).toBe('good');
      expect(proxied).toBe(1);
      const direct = await client({
        proxy: { url: `http://127.0.0.1:${port}`, noProxy: ['127.0.0.1'] },
      }).status(cert('chairman-rsa2048.cert.der'), cert('intermediate-ca.der'));
      expect(direct.status).toBe('good');
      expect(proxied).toBe(1);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe('validation data and AIA chasing', () => {
  it('completes the chain from the caIssuers URLs and collects evidence for each certificate', async () => {
    resetServer();
    const before = pki.server.requests.ca;
    const data = await collectValidationData(
      client(),
      new Uint8Array(readFileSync(pki.file('chairman-rsa2048.cert.der'))),
    );
    expect(pki.server.requests.ca - before).toBe(2); // the intermediate, then the root
    expect(data.complete).toBe(true);
    expect(data.chain.map((c) => c.name)).toEqual([
      'Nguyễn Thị Hồng Nhung',
      'Kyso Test Intermediate CA',
      'Kyso Test Root CA',
    ]);
    expect(data.statuses.map((s) => `${s.certificate.name}:${s.status}:${s.source}`)).toEqual([
      'Nguyễn Thị Hồng Nhung:good:ocsp',
      'Kyso Test OCSP:good:no-check',
      'Kyso Test Intermediate CA:good:crl',
    ]);
    expect(data.ocsps).toHaveLength(1);
    expect(data.crls).toHaveLength(1);
    expect(data.certificates).toHaveLength(4); // the chain and the OCSP responder
    expect(data.problems).toEqual([]);
  });

  it('says which issuer it could not download', async () => {
    resetServer();
    pki.server.ca = 'http-500';
    const data = await collectValidationData(
      client(),
      new Uint8Array(readFileSync(pki.file('chairman-rsa2048.cert.der'))),
    );
    expect(data.complete).toBe(false);
    expect(data.problems).toEqual([
      expect.objectContaining({
        source: 'ca-issuers',
        url: `${pki.server.baseUrl}/ca/intermediate-ca.cer`,
        reason: 'http-status',
      }),
    ]);
  });
});

describe('the check before signing', () => {
  const der = (name: string): Uint8Array => new Uint8Array(readFileSync(pki.file(name)));

  it('refuses a revoked certificate and names the revocation date', async () => {
    resetServer();
    const error = await checkSignerRevocation(
      client(),
      der('revoked-rsa2048.cert.der'),
      [der('intermediate-ca.der')],
      'warn',
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CERT_REVOKED',
      details: { reason: 'keyCompromise', subject: 'Vũ Thị Thu Hồi' },
    });
    expect((error as { details: Record<string, string> }).details['revokedAt']).toMatch(
      /^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d \+07:00$/,
    );
  });

  it('accepts a good certificate and keeps the evidence', async () => {
    resetServer();
    const r = await checkSignerRevocation(client(), der('chairman-rsa2048.cert.der'), [], 'refuse');
    expect(r.status).toBe('good');
    expect(r.evidence?.ocsp).toBeDefined();
  });

  it('when the status cannot be checked: refuses or warns, as the policy says', async () => {
    resetServer();
    pki.server.ocsp = 'http-500';
    pki.server.crl = 'http-500';
    await expect(
      checkSignerRevocation(
        client(),
        der('chairman-rsa2048.cert.der'),
        [der('intermediate-ca.der')],
        'refuse',
      ),
    ).rejects.toMatchObject({
      code: 'REVOCATION_UNAVAILABLE',
      details: { subject: 'Nguyễn Thị Hồng Nhung' },
    });
    const warned = await checkSignerRevocation(
      client(),
      der('chairman-rsa2048.cert.der'),
      [der('intermediate-ca.der')],
      'warn',
    );
    expect(warned.status).toBe('unknown');
    expect(warned.problems.map((p) => p.reason)).toEqual(['http-status', 'http-status']);
  });
});

describe('settings', () => {
  it('has defaults for the TSA, OCSP/CRL and the network, and maps them to client options', () => {
    const defaults = SettingsSchema.parse({});
    expect(defaults.revocation).toEqual({
      mode: 'online',
      checkBeforeSigning: 'long-term',
      whenUnavailable: 'warn',
      prefer: 'ocsp',
      timeoutMs: 15_000,
      retries: 1,
      cache: true,
    });
    expect(defaults.tsa).toEqual({ timeoutMs: 60_000, retries: 2 });
    expect(defaults.network).toEqual({ noProxy: [] });
    expect(defaults.ltv).toEqual({ renewBeforeDays: 180 });
    // The keys that were there before stay as they were.
    expect(defaults.pkcs11).toEqual({ modules: [], searchCatalogue: true });
    expect(defaults.intermediates).toEqual([]);

    const preset = SettingsSchema.parse({
      network: { proxy: 'http://proxy.so-tttt.gov.vn:3128', noProxy: ['.gov.vn'] },
      revocation: { mode: 'offline', cache: false, prefer: 'crl' },
    });
    expect(revocationOptionsFromSettings(preset, '/tmp/kyso-home')).toEqual({
      mode: 'offline',
      prefer: 'crl',
      timeoutMs: 15_000,
      retries: 1,
      cacheDir: null,
      proxy: { url: 'http://proxy.so-tttt.gov.vn:3128', noProxy: ['.gov.vn'] },
    });
    expect(revocationOptionsFromSettings(defaults, '/tmp/kyso-home').cacheDir).toBe(
      path.join('/tmp/kyso-home', 'cache', 'revocation'),
    );
    expect(SettingsSchema.safeParse({ network: { proxy: 'socks5://x:1' } }).success).toBe(false);
    expect(SettingsSchema.safeParse({ revocation: { mode: 'sometimes' } }).success).toBe(false);
  });
});
