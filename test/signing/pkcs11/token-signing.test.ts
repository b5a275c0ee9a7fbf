// Token layer against real SoftHSM tokens: listing with Vietnamese names, login, every mechanism
// (signatures checked with node's crypto), keys with and without certificates.
import { createHash, createPublicKey, verify, X509Certificate, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { TokenSession } from '../../../src/signing/pkcs11/token-session.js';
import { TokenSigner } from '../../../src/signing/pkcs11/token-signer.js';
import { CKM } from '../../../src/signing/pkcs11/pkcs11-constants.js';
import type { Pkcs11Api } from '../../../src/signing/pkcs11/pkcs11-api.js';
import type { DigestAlgorithm, SignatureScheme } from '../../../src/signing/cms/signer.js';
import {
  CHAIRMAN_TOKEN,
  CLERK_TOKEN,
  FAULTY_TOKEN,
  freshTokens,
  identity,
  pkiFile,
  SOFTHSM_MODULE,
  testToken,
} from '../../support/fixtures.js';

let manager: TokenManager;

beforeAll(async () => {
  freshTokens();
  manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }]);
});
afterAll(() => manager?.close());

const pinOf = (label: string) => async () => new Secret(testToken(label).pin);

function verifyWithCert(
  certPem: string,
  data: Buffer,
  sig: Uint8Array,
  digest: DigestAlgorithm,
  scheme: SignatureScheme,
): boolean {
  const key = new X509Certificate(readFileSync(certPem)).publicKey;
  if (scheme === 'rsa-pss') {
    return verify(
      digest,
      data,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: createHash(digest).digest().length },
      sig,
    );
  }
  if (scheme === 'ecdsa') return verify(digest, data, { key, dsaEncoding: 'der' }, sig);
  return verify(digest, data, key, sig);
}

describe('listing tokens', () => {
  it('finds the test tokens with their exact UTF-8 labels and serials', () => {
    const labels = manager.tokens().map((t) => t.slot.token.label);
    expect(labels).toEqual(expect.arrayContaining([CHAIRMAN_TOKEN, CLERK_TOKEN, FAULTY_TOKEN]));
    const chairman = manager.findToken({ token: CHAIRMAN_TOKEN });
    expect(chairman.slot.token.serial).toBe(testToken(CHAIRMAN_TOKEN).serial);
    expect(chairman.slot.token.flags.loginRequired).toBe(true);
    expect(chairman.slot.token.flags.userPinInitialized).toBe(true);
    expect(chairman.slot.token.pinState).toBe('ok');
  });

  it('reads certificates with Vietnamese subjects exactly, and the CA objects as authorities', () => {
    const ref = manager.findToken({ token: CHAIRMAN_TOKEN });
    const session = TokenSession.open(ref.module, ref.slot.slotId);
    try {
      const certs = session.listCertificates();
      const nhung = certs.find((c) => c.idHex === '01');
      expect(nhung?.info.subjectCN).toBe('Nguyễn Thị Hồng Nhung');
      expect(nhung?.info.subjectOrganization).toBe('UBND phường Đoàn Kết');
      expect(nhung?.info.subjectTitle).toBe('Chủ tịch');
      expect(nhung?.info.key).toEqual({ kind: 'rsa', bits: 2048 });
      expect(nhung?.info.serialHex).toBe(
        identity('chairman-rsa2048').serialHex.toLowerCase().replace(/^0+/, ''),
      );
      expect(certs.find((c) => c.idHex === '02')?.info.key).toEqual({
        kind: 'ec',
        curve: 'P-256',
        bits: 256,
      });
      const authorities = certs.filter((c) => c.isAuthority).map((c) => c.info.subjectCN);
      expect(authorities).toEqual(expect.arrayContaining(['Kyso Test Root CA']));
      expect(authorities.length).toBe(2);
    } finally {
      session.close();
    }
  });

  it('after login, reports the key without a certificate and the certificates with keys', () => {
    const ref = manager.findToken({ token: FAULTY_TOKEN });
    const session = TokenSession.open(ref.module, ref.slot.slotId);
    try {
      session.login(new Secret(testToken(FAULTY_TOKEN).pin));
      const certs = session.listCertificates();
      const keys = session
        .listKeys()
        .map((k) => k.idHex)
        .sort();
      expect(keys).toEqual(['01', '02', '03', '04', '05']);
      expect(certs.map((c) => c.idHex).sort()).toEqual(['01', '02', '03', '05']);
      expect(certs.every((c) => c.hasPrivateKey === true)).toBe(true);
    } finally {
      session.close();
    }
  });
});

describe('signing on the token', () => {
  const cases: Array<{
    token: string;
    keyId: string;
    id: string;
    scheme: SignatureScheme;
    digest: DigestAlgorithm;
  }> = [
    { token: CHAIRMAN_TOKEN, keyId: '01', id: 'chairman-rsa2048', scheme: 'rsa-pkcs1', digest: 'sha256' },
    { token: CHAIRMAN_TOKEN, keyId: '01', id: 'chairman-rsa2048', scheme: 'rsa-pkcs1', digest: 'sha384' },
    { token: CHAIRMAN_TOKEN, keyId: '01', id: 'chairman-rsa2048', scheme: 'rsa-pkcs1', digest: 'sha512' },
    { token: CHAIRMAN_TOKEN, keyId: '01', id: 'chairman-rsa2048', scheme: 'rsa-pss', digest: 'sha256' },
    { token: CHAIRMAN_TOKEN, keyId: '01', id: 'chairman-rsa2048', scheme: 'rsa-pss', digest: 'sha512' },
    { token: CHAIRMAN_TOKEN, keyId: '02', id: 'deputy-p256', scheme: 'ecdsa', digest: 'sha256' },
    { token: CLERK_TOKEN, keyId: '01', id: 'agency-rsa3072', scheme: 'rsa-pkcs1', digest: 'sha256' },
    { token: CLERK_TOKEN, keyId: '01', id: 'agency-rsa3072', scheme: 'rsa-pss', digest: 'sha384' },
    { token: CLERK_TOKEN, keyId: '02', id: 'clerk-p384', scheme: 'ecdsa', digest: 'sha384' },
    { token: CLERK_TOKEN, keyId: '02', id: 'clerk-p384', scheme: 'ecdsa', digest: 'sha512' },
  ];
  for (const c of cases) {
    it(`${c.id}: ${c.scheme} with ${c.digest} verifies with node crypto`, async () => {
      const signer = await manager.openSigner({ token: c.token, keyId: c.keyId }, { getPin: pinOf(c.token) });
      try {
        expect(signer.schemes).toContain(c.scheme);
        const data = Buffer.from(`Quyết định số 123/QĐ-UBND — ${c.id}`, 'utf8');
        const sig = await signer.sign(data, { digest: c.digest, scheme: c.scheme });
        expect(verifyWithCert(pkiFile(identity(c.id).cert), data, sig, c.digest, c.scheme)).toBe(true);
        expect(
          verifyWithCert(pkiFile(identity(c.id).cert), Buffer.from('other'), sig, c.digest, c.scheme),
        ).toBe(false);
      } finally {
        signer.session.close();
      }
    });
  }

  it('falls back to CKM_RSA_PKCS over DigestInfo, and CKM_RSA_PKCS_PSS over the hash, on tokens without hash-and-sign', async () => {
    const hideHashAndSign = (api: Pkcs11Api): Pkcs11Api => ({
      ...bindAll(api),
      C_GetMechanismList: (slot) =>
        api
          .C_GetMechanismList(slot)
          .filter(
            (m) =>
              ![
                CKM.SHA256_RSA_PKCS,
                CKM.SHA384_RSA_PKCS,
                CKM.SHA512_RSA_PKCS,
                CKM.SHA256_RSA_PKCS_PSS,
                CKM.SHA384_RSA_PKCS_PSS,
                CKM.SHA512_RSA_PKCS_PSS,
              ].includes(m as never),
          ),
    });
    const m2 = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }], {
      wrap: hideHashAndSign,
      skipProbe: true,
    });
    const signer = await m2.openSigner(
      { token: CHAIRMAN_TOKEN, keyId: '01' },
      { getPin: pinOf(CHAIRMAN_TOKEN) },
    );
    try {
      const data = Buffer.from('DigestInfo fallback');
      const viaFallback = await signer.sign(data, { digest: 'sha256', scheme: 'rsa-pkcs1' });
      const direct = await manager.openSigner(
        { token: CHAIRMAN_TOKEN, keyId: '01' },
        { getPin: pinOf(CHAIRMAN_TOKEN) },
      );
      try {
        // PKCS#1 v1.5 is deterministic: the fallback must give the very same bytes.
        expect(Buffer.from(viaFallback)).toEqual(
          Buffer.from(await direct.sign(data, { digest: 'sha256', scheme: 'rsa-pkcs1' })),
        );
      } finally {
        direct.session.close();
      }
      const pss = await signer.sign(data, { digest: 'sha384', scheme: 'rsa-pss' });
      expect(verifyWithCert(pkiFile(identity('chairman-rsa2048').cert), data, pss, 'sha384', 'rsa-pss')).toBe(
        true,
      );
    } finally {
      signer.session.close();
    }
  });

  it('builds the chain from the CA certificates stored on the token', async () => {
    const signer = await manager.openSigner(
      { token: CHAIRMAN_TOKEN, keyId: '01' },
      { getPin: pinOf(CHAIRMAN_TOKEN) },
    );
    try {
      const names = signer.chain.map((der) => new X509Certificate(Buffer.from(der)).subject);
      expect(names[0]).toContain('Intermediate');
      expect(names[1]).toContain('Kyso Test Root CA');
      expect(signer).toBeInstanceOf(TokenSigner);
    } finally {
      signer.session.close();
    }
  });

  it('dry runs do not touch the token and give the real length bound', async () => {
    const signer = await manager.openSigner(
      { token: CLERK_TOKEN, keyId: '01' },
      { getPin: pinOf(CLERK_TOKEN) },
    );
    try {
      const dry = await signer.sign(
        Buffer.from('x'),
        { digest: 'sha256', scheme: 'rsa-pkcs1' },
        { dryRun: true },
      );
      expect(dry.length).toBe(384);
    } finally {
      signer.session.close();
    }
  });

  it('refuses to choose when the token holds several signing certificates, and names the key IDs', async () => {
    await expect(
      manager.openSigner({ token: CHAIRMAN_TOKEN }, { getPin: pinOf(CHAIRMAN_TOKEN) }),
    ).rejects.toMatchObject({ code: 'PKCS11_KEY_AMBIGUOUS' });
    await expect(
      manager.openSigner({ token: CHAIRMAN_TOKEN, keyId: '0a' }, { getPin: pinOf(CHAIRMAN_TOKEN) }),
    ).rejects.toMatchObject({ code: 'PKCS11_KEY_NOT_FOUND' });
    await expect(
      manager.openSigner({ token: 'No such token' }, { getPin: pinOf(CHAIRMAN_TOKEN) }),
    ).rejects.toMatchObject({ code: 'PKCS11_TOKEN_NOT_FOUND' });
    await expect(manager.openSigner({}, { getPin: pinOf(CHAIRMAN_TOKEN) })).rejects.toMatchObject({
      code: 'PKCS11_TOKEN_AMBIGUOUS',
    });
  });

  it('a key without a certificate is not offered for signing', async () => {
    await expect(
      manager.openSigner({ token: FAULTY_TOKEN, keyId: '04' }, { getPin: pinOf(FAULTY_TOKEN) }),
    ).rejects.toMatchObject({
      code: 'PKCS11_KEY_NOT_FOUND',
    });
  });

  it('the public key of a certificate matches the private key it was paired with (RSA modulus fallback)', async () => {
    const ref = manager.findToken({ token: CLERK_TOKEN });
    const session = TokenSession.open(ref.module, ref.slot.slotId);
    try {
      session.login(new Secret(testToken(CLERK_TOKEN).pin));
      const cert = session.listCertificates().find((c) => c.idHex === '01');
      expect(cert).toBeDefined();
      // Look the key up as if the certificate had another CKA_ID.
      const key = session.keyForCertificate(cert!.info, 'ffff');
      expect(key?.idHex).toBe('01');
      const spki = createPublicKey(readFileSync(pkiFile(identity('agency-rsa3072').cert))).export({
        format: 'der',
        type: 'spki',
      });
      expect(Buffer.from(cert!.info.spki)).toEqual(spki);
    } finally {
      session.close();
    }
  });
});

/** Copies an object's methods bound to it, so a wrapper can override some and keep the rest. */
function bindAll(api: Pkcs11Api): Pkcs11Api {
  const out: Record<string, unknown> = {};
  for (const key of [
    'C_Finalize',
    'C_GetInfo',
    'C_GetSlotList',
    'C_GetSlotInfo',
    'C_GetTokenInfo',
    'C_GetMechanismList',
    'C_GetMechanismInfo',
    'C_OpenSession',
    'C_CloseSession',
    'C_Login',
    'C_Logout',
    'C_FindObjectsInit',
    'C_FindObjects',
    'C_FindObjectsFinal',
    'C_GetAttributeValue',
    'C_SignInit',
    'C_SignAsync',
  ] as const) {
    out[key] = (api[key] as (...a: unknown[]) => unknown).bind(api);
  }
  return out as unknown as Pkcs11Api;
}
