import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKysoError } from '../../../src/shared/errors.js';
import {
  DIGEST_LENGTH,
  OID,
  buildSignedData,
  estimateSignedDataSize,
  type DigestAlgorithm,
  type SignatureScheme,
  type Signer,
} from '../../../src/signing/cms/index.js';
import { KeySigner } from '../../../src/signing/identity/index.js';
import { makeTestPki, opensslCmsVerify, type IdentityId, type TestPki } from '../../servers/test-pki.js';

let pki: TestPki;

beforeAll(async () => {
  pki = await makeTestPki();
});

afterAll(async () => {
  await pki?.cleanup();
});

async function signerFor(id: IdentityId): Promise<KeySigner> {
  const identity = await pki.identity(id);
  return new KeySigner(identity.key, identity.certificate, [pki.intermediate]);
}

/** A Signer that records what it was asked to sign. */
function recording(inner: Signer): Signer & { readonly seen: Uint8Array[] } {
  const seen: Uint8Array[] = [];
  return {
    certificate: inner.certificate,
    chain: inner.chain,
    keyAlgorithm: inner.keyAlgorithm,
    schemes: inner.schemes,
    seen,
    sign(data, params, options) {
      seen.push(new Uint8Array(data));
      return inner.sign(data, params, options);
    },
  };
}

function parseCms(cms: Uint8Array): pkijs.SignedData {
  const contentInfo = pkijs.ContentInfo.fromBER(cms);
  expect(contentInfo.contentType).toBe(OID.signedData);
  return new pkijs.SignedData({ schema: contentInfo.content });
}

const cases: readonly [IdentityId, SignatureScheme, DigestAlgorithm][] = [
  ['chairman-rsa2048', 'rsa-pkcs1', 'sha256'],
  ['chairman-rsa2048', 'rsa-pkcs1', 'sha512'],
  ['agency-rsa3072', 'rsa-pkcs1', 'sha256'],
  ['agency-rsa3072', 'rsa-pkcs1', 'sha384'],
  ['chairman-rsa2048', 'rsa-pss', 'sha256'],
  ['agency-rsa3072', 'rsa-pss', 'sha384'],
  ['chairman-rsa2048', 'rsa-pss', 'sha512'],
  ['deputy-p256', 'ecdsa', 'sha256'],
  ['deputy-p256', 'ecdsa', 'sha512'],
  ['clerk-p384', 'ecdsa', 'sha384'],
  ['clerk-p384', 'ecdsa', 'sha256'],
];

describe('buildSignedData', () => {
  it.each(cases)('%s %s %s: openssl and pkijs verify it', async (id, scheme, digest) => {
    const data = new Uint8Array(randomBytes(50_000));
    const contentDigest = new Uint8Array(createHash(digest).update(data).digest());
    const signer = recording(await signerFor(id));
    const cms = await buildSignedData({ signer, contentDigest, digest, scheme });

    const openssl = await opensslCmsVerify(cms, data, pki.rootPem);
    expect(openssl.stderr).toContain('Verification successful');
    expect(openssl.code).toBe(0);

    const signedData = parseCms(cms);
    const trustedCerts = [pkijs.Certificate.fromBER(pki.root)];
    const verified = await signedData.verify({
      signer: 0,
      data: data.slice().buffer,
      checkChain: true,
      trustedCerts,
    });
    expect(verified).toBe(true);

    // detached, signer cert first then the chain
    expect(signedData.encapContentInfo.eContent).toBeUndefined();
    expect(signedData.encapContentInfo.eContentType).toBe(OID.data);
    expect(signedData.certificates).toHaveLength(2);

    const signerInfo = signedData.signerInfos[0]!;
    expect(signerInfo.version).toBe(1);
    expect(signerInfo.sid).toBeInstanceOf(pkijs.IssuerAndSerialNumber);
    expect(signerInfo.unsignedAttrs).toBeUndefined();

    // exactly contentType, messageDigest, signing-certificate-v2; no signing-time
    const types = signerInfo.signedAttrs!.attributes.map((a) => a.type);
    expect([...types].sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
    expect(types).not.toContain(OID.signingTime);

    // what the signer signed is the DER SET (0x31) of exactly these attributes
    expect(signer.seen).toHaveLength(1);
    expect(signer.seen[0]![0]).toBe(0x31);
    expect(Buffer.from(signer.seen[0]!)).toEqual(Buffer.from(signerInfo.signedAttrs!.encodedValue));

    const messageDigest = signerInfo.signedAttrs!.attributes.find((a) => a.type === OID.messageDigest)!;
    expect(Buffer.from((messageDigest.values[0] as asn1js.OctetString).valueBlock.valueHexView)).toEqual(
      Buffer.from(contentDigest),
    );

    // ESSCertIDv2: hashAlgorithm only when not sha256, certHash over the signer cert, issuerSerial
    const signingCert = signerInfo.signedAttrs!.attributes.find((a) => a.type === OID.signingCertificateV2)!;
    const essCertId = ((signingCert.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence)
      .valueBlock.value[0] as asn1js.Sequence;
    const fields = essCertId.valueBlock.value;
    const [hashAlgorithm, certHash, issuerSerial] = digest === 'sha256' ? [undefined, ...fields] : fields;
    if (digest === 'sha256') expect(fields).toHaveLength(2);
    else expect(new pkijs.AlgorithmIdentifier({ schema: hashAlgorithm }).algorithmId).toBe(OID[digest]);
    expect(Buffer.from((certHash as asn1js.OctetString).valueBlock.valueHexView)).toEqual(
      createHash(digest).update(signer.certificate).digest(),
    );
    expect(issuerSerial).toBeInstanceOf(asn1js.Sequence);

    // algorithms
    expect(signerInfo.digestAlgorithm.algorithmId).toBe(OID[digest]);
    const expectedSignatureOid = {
      'rsa-pkcs1': {
        sha256: OID.sha256WithRSAEncryption,
        sha384: OID.sha384WithRSAEncryption,
        sha512: OID.sha512WithRSAEncryption,
      },
      'rsa-pss': { sha256: OID.rsassaPss, sha384: OID.rsassaPss, sha512: OID.rsassaPss },
      ecdsa: { sha256: OID.ecdsaWithSha256, sha384: OID.ecdsaWithSha384, sha512: OID.ecdsaWithSha512 },
    }[scheme][digest];
    expect(signerInfo.signatureAlgorithm.algorithmId).toBe(expectedSignatureOid);
    if (scheme === 'rsa-pss') {
      const params = new pkijs.RSASSAPSSParams({ schema: signerInfo.signatureAlgorithm.algorithmParams });
      expect(params.hashAlgorithm.algorithmId).toBe(OID[digest]);
      expect(params.maskGenAlgorithm.algorithmId).toBe(OID.mgf1);
      expect(
        new pkijs.AlgorithmIdentifier({ schema: params.maskGenAlgorithm.algorithmParams }).algorithmId,
      ).toBe(OID[digest]);
      expect(params.saltLength).toBe(DIGEST_LENGTH[digest]);
      expect(params.trailerField).toBe(1);
    }
  });

  it('fails verification when the content changes', async () => {
    const data = new Uint8Array(randomBytes(1000));
    const cms = await buildSignedData({
      signer: await signerFor('chairman-rsa2048'),
      contentDigest: new Uint8Array(createHash('sha256').update(data).digest()),
      digest: 'sha256',
      scheme: 'rsa-pkcs1',
    });
    data[10] = (data[10] ?? 0) ^ 1;
    const openssl = await opensslCmsVerify(cms, data, pki.rootPem);
    expect(openssl.code).not.toBe(0);
  });

  it('refuses a scheme the key cannot do', async () => {
    const error = await buildSignedData({
      signer: await signerFor('chairman-rsa2048'),
      contentDigest: new Uint8Array(32),
      digest: 'sha256',
      scheme: 'ecdsa',
    }).catch((e: unknown) => e);
    expect(isKysoError(error) && error.code).toBe('KEY_UNSUPPORTED');
  });

  it('refuses a content digest of the wrong length', async () => {
    const error = await buildSignedData({
      signer: await signerFor('deputy-p256'),
      contentDigest: new Uint8Array(32),
      digest: 'sha384',
      scheme: 'ecdsa',
    }).catch((e: unknown) => e);
    expect(isKysoError(error) && error.code).toBe('INTERNAL');
  });

  it('reports CANCELLED when aborted before signing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await buildSignedData({
      signer: await signerFor('chairman-rsa2048'),
      contentDigest: new Uint8Array(32),
      digest: 'sha256',
      scheme: 'rsa-pkcs1',
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(isKysoError(error) && error.code).toBe('CANCELLED');
  });
});

describe('dry run', () => {
  it.each(cases)('%s %s %s: the dry run is at least as long as the real CMS', async (id, scheme, digest) => {
    const signer = recording(await signerFor(id));
    const contentDigest = new Uint8Array(randomBytes(DIGEST_LENGTH[digest]));
    const dry = await buildSignedData({ signer, contentDigest, digest, scheme, dryRun: true });
    const estimate = await estimateSignedDataSize({ signer, digest, scheme });
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++)
      sizes.push((await buildSignedData({ signer, contentDigest, digest, scheme })).length);
    expect(estimate).toBe(dry.length);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(dry.length);
    if (scheme !== 'ecdsa')
      expect(sizes.every((s) => s === dry.length)).toBe(true); // RSA: exact
    else expect(dry.length - Math.min(...sizes)).toBeLessThanOrEqual(12);
  });

  it('a dry run with a timestamp hint reserves the hinted size and never calls the TSA', async () => {
    const signer = await signerFor('chairman-rsa2048');
    let calls = 0;
    const timestamp = async (): Promise<Uint8Array> => {
      calls++;
      return new Uint8Array();
    };
    const base = {
      signer,
      contentDigest: new Uint8Array(32),
      digest: 'sha256',
      scheme: 'rsa-pkcs1',
    } as const;
    const without = await buildSignedData({ ...base, dryRun: true });
    const withHint = await buildSignedData({ ...base, dryRun: true, timestamp, timestampSizeHint: 5000 });
    expect(calls).toBe(0);
    // 5000 bytes of token + the attribute (OID, SET) + the [1] wrapper
    expect(withHint.length - without.length).toBeGreaterThanOrEqual(5000);
    expect(withHint.length - without.length).toBeLessThan(5000 + 40);
    expect(await estimateSignedDataSize({ ...base, timestampSizeHint: 5000 })).toBe(withHint.length);
    // a timestamp function alone reserves the default hint
    const withDefault = await buildSignedData({ ...base, dryRun: true, timestamp });
    expect(withDefault.length).toBeGreaterThan(without.length + 4000);
  });
});
