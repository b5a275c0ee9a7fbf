import { X509Certificate, constants, randomBytes, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KysoError } from '../../../src/shared/errors.js';
import { isKysoError } from '../../../src/shared/errors.js';
import { Secret } from '../../../src/shared/secret.js';
import { DIGEST_LENGTH, type SignatureScheme } from '../../../src/signing/cms/index.js';
import { openP12, type KeySigner } from '../../../src/signing/identity/index.js';
import { P12_PASSWORD, makeTestPki, runTool, type IdentityId, type TestPki } from '../../servers/test-pki.js';

let pki: TestPki;
let work: string;

beforeAll(async () => {
  pki = await makeTestPki();
  work = await mkdtemp(path.join(os.tmpdir(), 'kyso-p12-'));
});

afterAll(async () => {
  await pki?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<KysoError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isKysoError(error)) throw new Error(`expected a KysoError, got ${String(error)}`);
  return error;
}

/** Signs with every scheme the signer has and checks each signature against its certificate. */
async function expectSignsAndVerifies(signer: KeySigner): Promise<void> {
  const publicKey = new X509Certificate(signer.certificate).publicKey;
  const data = new Uint8Array(randomBytes(300));
  for (const scheme of signer.schemes) {
    for (const digest of ['sha256', 'sha384', 'sha512'] as const) {
      const signature = await signer.sign(data, { digest, scheme });
      const options =
        scheme === 'rsa-pss'
          ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_LENGTH[digest] }
          : scheme === 'ecdsa'
            ? { key: publicKey, dsaEncoding: 'der' as const }
            : { key: publicKey };
      expect(verify(digest, data, options, signature), `${scheme} ${digest}`).toBe(true);
      const dry = await signer.sign(data, { digest, scheme }, { dryRun: true });
      expect(dry.length).toBeGreaterThanOrEqual(signature.length);
      expect(dry.every((b) => b === 0)).toBe(true);
    }
  }
}

const expected: Record<IdentityId, { key: KeySigner['keyAlgorithm']; schemes: SignatureScheme[] }> = {
  'chairman-rsa2048': { key: { kind: 'rsa', bits: 2048 }, schemes: ['rsa-pkcs1', 'rsa-pss'] },
  'agency-rsa3072': { key: { kind: 'rsa', bits: 3072 }, schemes: ['rsa-pkcs1', 'rsa-pss'] },
  'deputy-p256': { key: { kind: 'ec', curve: 'P-256', bits: 256 }, schemes: ['ecdsa'] },
  'clerk-p384': { key: { kind: 'ec', curve: 'P-384', bits: 384 }, schemes: ['ecdsa'] },
};

describe('openP12', () => {
  it.each(Object.keys(expected) as IdentityId[])('%s opens and signs', async (id) => {
    const identity = await pki.identity(id);
    const signer = await openP12(identity.p12, P12_PASSWORD);
    expect(signer.keyAlgorithm).toEqual(expected[id].key);
    expect(signer.schemes).toEqual(expected[id].schemes);
    // the certificate exactly as issued; the chain ordered from the issuer up
    expect(Buffer.from(signer.certificate)).toEqual(Buffer.from(identity.certificate));
    expect(signer.chain.map((c) => Buffer.from(c))).toEqual([
      Buffer.from(pki.intermediate),
      Buffer.from(pki.root),
    ]);
    await expectSignsAndVerifies(signer);
  });

  it('accepts the password as a Secret', async () => {
    const signer = await openP12(pki.file('deputy-p256.p12'), new Secret(P12_PASSWORD));
    expect(signer.keyAlgorithm.kind).toBe('ec');
  });

  it('wrong password: P12_PASSWORD_INCORRECT, password not in the error', async () => {
    const wrong = 'sai-mật-khẩu';
    const error = await failure(openP12(pki.file('chairman-rsa2048.p12'), wrong));
    expect(error.code).toBe('P12_PASSWORD_INCORRECT');
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(wrong);
  });

  it('garbage: P12_INVALID', async () => {
    const file = path.join(work, 'garbage.p12');
    await writeFile(file, randomBytes(2000));
    expect((await failure(openP12(file, P12_PASSWORD))).code).toBe('P12_INVALID');
    const pem = path.join(work, 'cert-not-p12.p12');
    await writeFile(pem, pki.intermediate);
    expect((await failure(openP12(pem, P12_PASSWORD))).code).toBe('P12_INVALID');
  });

  it('missing file: P12_NOT_FOUND', async () => {
    const error = await failure(openP12(path.join(work, 'nope.p12'), P12_PASSWORD));
    expect(error.code).toBe('P12_NOT_FOUND');
  });

  describe('files made with other options', () => {
    async function exportP12(
      name: string,
      id: IdentityId,
      password: string,
      extra: string[],
    ): Promise<string> {
      const out = path.join(work, name);
      const result = await runTool('openssl', [
        'pkcs12',
        '-export',
        '-inkey',
        pki.file(`${id}.key.pem`),
        '-in',
        pki.file(`${id}.cert.pem`),
        '-certfile',
        pki.file('chain.pem'),
        '-passout',
        `pass:${password}`,
        '-out',
        out,
        ...extra,
      ]);
      expect(result.stderr).toBe('');
      return out;
    }

    it('legacy 3DES / SHA-1 MAC (older CAs and Windows exports)', async () => {
      const file = await exportP12('legacy.p12', 'clerk-p384', 'abc123', [
        '-keypbe',
        'PBE-SHA1-3DES',
        '-certpbe',
        'PBE-SHA1-3DES',
        '-macalg',
        'sha1',
      ]);
      const signer = await openP12(file, 'abc123');
      expect(signer.keyAlgorithm).toEqual(expected['clerk-p384'].key);
      await expectSignsAndVerifies(signer);
      expect((await failure(openP12(file, 'abc124'))).code).toBe('P12_PASSWORD_INCORRECT');
    });

    it('a Vietnamese password, PBES2/AES and legacy 3DES', async () => {
      const password = 'Mật khẩu Đăng nhập';
      const aes = await exportP12('vi-aes.p12', 'chairman-rsa2048', password, []);
      expect((await openP12(aes, password)).keyAlgorithm.kind).toBe('rsa');
      const des = await exportP12('vi-3des.p12', 'deputy-p256', password, [
        '-keypbe',
        'PBE-SHA1-3DES',
        '-certpbe',
        'PBE-SHA1-3DES',
      ]);
      expect((await openP12(des, password)).keyAlgorithm.kind).toBe('ec');
    });

    it('no MAC: a wrong password is still reported as such', async () => {
      const file = await exportP12('nomac.p12', 'chairman-rsa2048', 'abc123', ['-nomac']);
      await expectSignsAndVerifies(await openP12(file, 'abc123'));
      // without a MAC, a wrong password now and then decrypts with valid-looking padding: try many
      for (let i = 0; i < 40; i++) {
        expect((await failure(openP12(file, `wrong-${i}`))).code).toBe('P12_PASSWORD_INCORRECT');
      }
    });

    it('unencrypted certificates (-certpbe NONE)', async () => {
      const file = await exportP12('certs-clear.p12', 'agency-rsa3072', 'abc123', ['-certpbe', 'NONE']);
      expect((await openP12(file, 'abc123')).keyAlgorithm).toEqual(expected['agency-rsa3072'].key);
    });

    it('a key without its certificate: P12_INVALID', async () => {
      const out = path.join(work, 'keyonly.p12');
      const result = await runTool('openssl', [
        'pkcs12',
        '-export',
        '-nocerts',
        '-inkey',
        pki.file('chairman-rsa2048.key.pem'),
        '-passout',
        'pass:abc123',
        '-out',
        out,
      ]);
      expect(result.code).toBe(0);
      const error = await failure(openP12(out, 'abc123'));
      expect(error.code).toBe('P12_INVALID');
      expect(error.details['reason']).toBe('no-matching-certificate');
    });

    it('certificates without a key: P12_INVALID', async () => {
      const out = path.join(work, 'certsonly.p12');
      const result = await runTool('openssl', [
        'pkcs12',
        '-export',
        '-nokeys',
        '-in',
        pki.file('chairman-rsa2048.cert.pem'),
        '-passout',
        'pass:abc123',
        '-out',
        out,
      ]);
      expect(result.code).toBe(0);
      const error = await failure(openP12(out, 'abc123'));
      expect(error.code).toBe('P12_INVALID');
      expect(error.details['reason']).toBe('no-key');
    });
  });
});
