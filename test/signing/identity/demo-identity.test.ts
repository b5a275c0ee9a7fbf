import { X509Certificate, createHash, randomBytes, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedData } from '../../../src/signing/cms/index.js';
import {
  DEMO_NOTICE,
  demoIdentityPaths,
  demoRootCertificate,
  isDemoCertificate,
  openDemoIdentity,
  type KeySigner,
} from '../../../src/signing/identity/index.js';
import { opensslCmsVerify, runTool } from '../../servers/test-pki.js';

let home: string;
let first: KeySigner;

const pem = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'kyso-home-'));
  first = await openDemoIdentity(home);
});

afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('openDemoIdentity', () => {
  it('is created once, then reused', async () => {
    const second = await openDemoIdentity(home);
    expect(Buffer.from(second.certificate)).toEqual(Buffer.from(first.certificate));
    expect(second.chain.map((c) => Buffer.from(c))).toEqual(first.chain.map((c) => Buffer.from(c)));
  });

  it('writes its files with mode 0600', async () => {
    const paths = demoIdentityPaths(home);
    for (const file of [paths.identity, paths.root]) {
      const info = await stat(file);
      if (process.platform !== 'win32') expect(info.mode & 0o777).toBe(0o600);
    }
    expect(Buffer.from(await readFile(paths.root))).toEqual(Buffer.from(first.chain[0]!));
    expect(Buffer.from(await demoRootCertificate(home))).toEqual(Buffer.from(first.chain[0]!));
  });

  it('says it has no legal value, in UTF8String names', async () => {
    const leaf = new X509Certificate(first.certificate);
    const root = new X509Certificate(first.chain[0]!);
    expect(leaf.subject).toContain('CN=Người dùng thử Kyso');
    expect(leaf.subject).toContain(DEMO_NOTICE);
    expect(leaf.subject).toMatch(/O=KHÔNG CÓ GIÁ TRỊ PHÁP LÝ — chỉ dùng thử/);
    expect(root.subject).toContain(`CN=Kyso Demo CA — ${DEMO_NOTICE}`);
    expect(leaf.issuer).toBe(root.subject);
    // UTF8String (tag 0x0c) holding the Vietnamese text
    const cn = Buffer.from('Người dùng thử Kyso', 'utf8');
    const der = Buffer.from(first.certificate);
    const at = der.indexOf(cn);
    expect(at).toBeGreaterThan(2);
    expect(der[at - 2]).toBe(0x0c);
    expect(isDemoCertificate(first.certificate)).toBe(true);
    expect(isDemoCertificate(new Uint8Array(10))).toBe(false);
  });

  it('is an RSA-2048 key with digitalSignature + nonRepudiation, valid 5 years', async () => {
    expect(first.keyAlgorithm).toEqual({ kind: 'rsa', bits: 2048 });
    const dir = await mkdtemp(path.join(home, 'x-'));
    await writeFile(path.join(dir, 'leaf.pem'), pem(first.certificate));
    const text = await runTool('openssl', ['x509', '-in', path.join(dir, 'leaf.pem'), '-noout', '-text']);
    expect(text.stdout).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text.stdout).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    const leaf = new X509Certificate(first.certificate);
    const years = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(4.99);
    expect(years).toBeLessThan(5.01);
  });

  it('signs, and its chain validates with openssl verify', async () => {
    const data = new Uint8Array(randomBytes(100));
    const signature = await first.sign(data, { digest: 'sha256', scheme: 'rsa-pkcs1' });
    const leaf = new X509Certificate(first.certificate);
    expect(verify('sha256', data, leaf.publicKey, signature)).toBe(true);

    const dir = await mkdtemp(path.join(home, 'v-'));
    await writeFile(path.join(dir, 'root.pem'), pem(first.chain[0]!));
    await writeFile(path.join(dir, 'leaf.pem'), pem(first.certificate));
    const result = await runTool('openssl', [
      'verify',
      '-CAfile',
      path.join(dir, 'root.pem'),
      path.join(dir, 'leaf.pem'),
    ]);
    expect(result.stdout).toContain('OK');
    expect(result.code).toBe(0);

    // and a CMS made with it verifies against the demo root
    const content = new Uint8Array(randomBytes(5000));
    const cms = await buildSignedData({
      signer: first,
      contentDigest: new Uint8Array(createHash('sha256').update(content).digest()),
      digest: 'sha256',
      scheme: 'rsa-pkcs1',
    });
    const cmsResult = await opensslCmsVerify(cms, content, path.join(dir, 'root.pem'));
    expect(cmsResult.code).toBe(0);
  });

  it('concurrent first calls make one identity', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'kyso-home-'));
    try {
      const [a, b] = await Promise.all([openDemoIdentity(fresh), openDemoIdentity(fresh)]);
      expect(Buffer.from(a.certificate)).toEqual(Buffer.from(b.certificate));
      const again = await openDemoIdentity(fresh);
      expect(Buffer.from(again.certificate)).toEqual(Buffer.from(a.certificate));
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('a damaged identity file is replaced', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'kyso-home-'));
    try {
      const original = await openDemoIdentity(fresh);
      await writeFile(demoIdentityPaths(fresh).identity, 'not a key');
      const replaced = await openDemoIdentity(fresh);
      expect(Buffer.from(replaced.certificate)).not.toEqual(Buffer.from(original.certificate));
      expect(isDemoCertificate(replaced.certificate)).toBe(true);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('uses KYSO_HOME by default', async () => {
    const previous = process.env['KYSO_HOME'];
    process.env['KYSO_HOME'] = home;
    try {
      const viaEnv = await openDemoIdentity();
      expect(Buffer.from(viaEnv.certificate)).toEqual(Buffer.from(first.certificate));
    } finally {
      if (previous === undefined) delete process.env['KYSO_HOME'];
      else process.env['KYSO_HOME'] = previous;
    }
  });
});
