// The trust store: PEM, DER and PKCS#7 files, folders, the managed store in <KYSO_HOME>/trust
// (import, list, remove), and the Vietnamese roots copied into test/corpus/trust.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKysoError } from '../../../src/shared/errors.js';
import {
  importTrustedCertificates,
  listTrustedCertificates,
  loadTrustStore,
  managedTrustDir,
  removeTrustedCertificate,
} from '../../../src/signing/verify/trust-store.js';
import { pkiFile } from '../../support/fixtures.js';
import { corpusDir } from '../pdf/corpus.js';

const VN = path.join(corpusDir, 'trust/vn');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-trust-'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('trust files', () => {
  it('reads PEM, DER and PKCS#7; a self-signed certificate is an anchor, others only intermediates', async () => {
    const p7b = path.join(dir, 'chain.p7b');
    execFileSync('openssl', [
      'crl2pkcs7',
      '-nocrl',
      '-certfile',
      pkiFile('chain.pem'),
      '-outform',
      'DER',
      '-out',
      p7b,
    ]);
    for (const files of [
      [pkiFile('chain.pem')],
      [pkiFile('root-ca.der'), pkiFile('intermediate-ca.der')],
      [p7b],
    ]) {
      const store = await loadTrustStore({ files, managed: false, builtin: false });
      expect(store.anchors.map((c) => c.info?.subjectCN)).toEqual(['Kyso Test Root CA']);
      expect(store.intermediates.map((c) => c.info?.subjectCN)).toEqual(['Kyso Test Intermediate CA']);
    }
  });

  it('refuses a --trust file that holds no certificate', async () => {
    const junk = path.join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    const err = await failure(loadTrustStore({ files: [junk], managed: false }));
    expect(isKysoError(err) && err.code).toBe('CERT_INVALID');
  });

  it('reads a folder and skips the files in it that are not certificates', async () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    execFileSync('cp', [pkiFile('root-ca.pem'), path.join(folder, 'root.pem')]);
    writeFileSync(path.join(folder, 'notes.crt'), 'hello');
    writeFileSync(path.join(folder, 'README.txt'), 'not read at all');
    const store = await loadTrustStore({ dirs: [folder], managed: false, builtin: false });
    expect(store.size).toBe(1);
    expect(store.skipped).toEqual([path.join(folder, 'notes.crt')]);
  });

  it('reads the Vietnamese roots in place; fingerprints are those published', async () => {
    const store = await loadTrustStore({ dirs: [path.join(VN, 'eSign.Files')], managed: false });
    const byFingerprint = new Map(store.list().map((c) => [c.fingerprint, c]));
    expect(
      byFingerprint.get('f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8')?.anchor,
    ).toBe(true);
    expect(
      byFingerprint.get('bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7')?.anchor,
    ).toBe(true);
    expect(
      byFingerprint.get('d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b')?.anchor,
    ).toBe(false);
    const g3 = await loadTrustStore({
      files: [path.join(VN, 'KysoQR-Opensource/vnrca-g3.p7b')],
      managed: false,
    });
    expect(
      g3
        .list()
        .some((c) => c.fingerprint === '7b3269e7d79aebbfae5095f45bbb7074771e690cb7df02b441062b12f7690ece'),
    ).toBe(true);
  });
});

describe('the managed store', () => {
  it('imports, lists and removes certificates, and verification uses it', async () => {
    const home = path.join(dir, 'home');
    const added = await importTrustedCertificates([pkiFile('chain.pem')], home);
    expect(added.map((c) => c.anchor).sort()).toEqual([false, true]);
    expect(readdirSync(managedTrustDir(home)).filter((n) => n.endsWith('.der'))).toHaveLength(2);
    // Importing again changes nothing.
    await importTrustedCertificates([pkiFile('root-ca.pem')], home);
    const listed = await listTrustedCertificates(home);
    expect(listed).toHaveLength(2);
    const root = listed.find((c) => c.anchor)!;
    expect(root.subject).toContain('CN=Kyso Test Root CA');

    const store = await loadTrustStore({ home, builtin: false });
    expect(store.anchors.map((c) => c.fingerprint)).toEqual([root.fingerprint]);

    const tooShort = await failure(removeTrustedCertificate(root.fingerprint.slice(0, 4), home));
    expect(isKysoError(tooShort) && tooShort.code).toBe('USAGE');
    expect((await removeTrustedCertificate(root.fingerprint.slice(0, 12), home))?.fingerprint).toBe(
      root.fingerprint,
    );
    expect(await removeTrustedCertificate(root.fingerprint, home)).toBeNull();
    expect(await listTrustedCertificates(home)).toHaveLength(1);
    expect((await loadTrustStore({ home, builtin: false })).anchors).toHaveLength(0);
  });
});
