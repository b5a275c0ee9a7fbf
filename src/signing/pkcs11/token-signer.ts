// The signer seam for a key on a PKCS#11 token. Picks the mechanism the token has: hash-and-sign
// (CKM_SHA256_RSA_PKCS…) when offered, otherwise hashes here and signs the DigestInfo or the bare
// hash (CKM_RSA_PKCS, CKM_RSA_PKCS_PSS, CKM_ECDSA), which every token supports.
import { createHash } from 'node:crypto';
import { KysoError } from '../../shared/errors.js';
import { ecdsaRawToDer } from '../cms/ecdsa-signature.js';
import type { DigestAlgorithm, KeyAlgorithm, SignatureScheme, Signer, SignOptions } from '../cms/signer.js';
import { DIGEST_LENGTH, maxSignatureLength } from '../cms/signer.js';
import type { CertificateInfo } from '../x509/certificate-info.js';
import type { Mechanism } from './pkcs11-api.js';
import { CK_PARAMS_RSA_PSS, CKG, CKM } from './pkcs11-constants.js';
import type { TokenKey, TokenSession } from './token-session.js';

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1) for CKM_RSA_PKCS over a precomputed hash. */
const DIGEST_INFO_PREFIX: Readonly<Record<DigestAlgorithm, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

const HASH_AND_SIGN_RSA: Readonly<Record<DigestAlgorithm, number>> = {
  sha256: CKM.SHA256_RSA_PKCS,
  sha384: CKM.SHA384_RSA_PKCS,
  sha512: CKM.SHA512_RSA_PKCS,
};
const HASH_AND_SIGN_PSS: Readonly<Record<DigestAlgorithm, number>> = {
  sha256: CKM.SHA256_RSA_PKCS_PSS,
  sha384: CKM.SHA384_RSA_PKCS_PSS,
  sha512: CKM.SHA512_RSA_PKCS_PSS,
};
const HASH_MECHANISM: Readonly<Record<DigestAlgorithm, number>> = {
  sha256: CKM.SHA256,
  sha384: CKM.SHA384,
  sha512: CKM.SHA512,
};
const MGF1: Readonly<Record<DigestAlgorithm, number>> = {
  sha256: CKG.MGF1_SHA256,
  sha384: CKG.MGF1_SHA384,
  sha512: CKG.MGF1_SHA512,
};

export interface SignMechanismPlan {
  readonly mechanism: Mechanism;
  /** What the token receives: the data itself, or our hash of it (as DigestInfo for v1.5). */
  readonly input: 'data' | 'hash' | 'digest-info';
}

/** The mechanism for a scheme and digest, given what the token offers; undefined if none fits. */
export function planMechanism(
  scheme: SignatureScheme,
  digest: DigestAlgorithm,
  available: ReadonlySet<number>,
): SignMechanismPlan | undefined {
  switch (scheme) {
    case 'rsa-pkcs1':
      if (available.has(HASH_AND_SIGN_RSA[digest])) {
        return { mechanism: { mechanism: HASH_AND_SIGN_RSA[digest] }, input: 'data' };
      }
      return available.has(CKM.RSA_PKCS)
        ? { mechanism: { mechanism: CKM.RSA_PKCS }, input: 'digest-info' }
        : undefined;
    case 'rsa-pss': {
      const parameter = {
        type: CK_PARAMS_RSA_PSS,
        hashAlg: HASH_MECHANISM[digest],
        mgf: MGF1[digest],
        saltLen: DIGEST_LENGTH[digest],
      };
      if (available.has(HASH_AND_SIGN_PSS[digest])) {
        return { mechanism: { mechanism: HASH_AND_SIGN_PSS[digest], parameter }, input: 'data' };
      }
      return available.has(CKM.RSA_PKCS_PSS)
        ? { mechanism: { mechanism: CKM.RSA_PKCS_PSS, parameter }, input: 'hash' }
        : undefined;
    }
    case 'ecdsa':
      // Hash here even when CKM_ECDSA_SHA256 exists: several tokens implement only the raw one well.
      return available.has(CKM.ECDSA) ? { mechanism: { mechanism: CKM.ECDSA }, input: 'hash' } : undefined;
  }
}

export class TokenSigner implements Signer {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  readonly schemes: readonly SignatureScheme[];
  readonly session: TokenSession;
  readonly key: TokenKey;
  readonly certificateInfo: CertificateInfo;
  readonly #mechanisms: ReadonlySet<number>;

  constructor(
    session: TokenSession,
    key: TokenKey,
    certificate: CertificateInfo,
    chain: readonly Uint8Array[],
  ) {
    this.session = session;
    this.key = key;
    this.certificateInfo = certificate;
    this.certificate = certificate.der;
    this.chain = chain;
    this.keyAlgorithm = certificate.key;
    this.#mechanisms = session.mechanisms();
    const candidates: SignatureScheme[] =
      certificate.key.kind === 'ec' ? ['ecdsa'] : ['rsa-pkcs1', 'rsa-pss'];
    this.schemes = candidates.filter((s) => planMechanism(s, 'sha256', this.#mechanisms) !== undefined);
  }

  async sign(
    data: Uint8Array,
    params: { readonly digest: DigestAlgorithm; readonly scheme: SignatureScheme },
    options: SignOptions = {},
  ): Promise<Uint8Array> {
    if (options.signal?.aborted) throw new KysoError('CANCELLED', 'Signing was cancelled.');
    if (options.dryRun) return new Uint8Array(maxSignatureLength(this.keyAlgorithm));
    const plan = planMechanism(params.scheme, params.digest, this.#mechanisms);
    if (!plan) {
      throw new KysoError(
        'PKCS11_MECHANISM_NOT_SUPPORTED',
        `The token cannot sign with ${params.scheme} and ${params.digest}.`,
        { details: { scheme: params.scheme, digest: params.digest } },
      );
    }
    const hash = createHash(params.digest).update(data).digest();
    const input =
      plan.input === 'data'
        ? Buffer.from(data)
        : plan.input === 'hash'
          ? hash
          : Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[params.digest], 'hex'), hash]);
    const out = await this.session.sign(this.key, plan.mechanism, input, 1024);
    if (options.signal?.aborted) throw new KysoError('CANCELLED', 'Signing was cancelled.');
    return params.scheme === 'ecdsa' ? ecdsaRawToDer(out) : new Uint8Array(out);
  }
}
