// A Signer over a software key (node:crypto KeyObject): PKCS#12 files, the demo identity, tests.
import { X509Certificate, constants, createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { KysoError } from '../../shared/errors.js';
import {
  DIGEST_LENGTH,
  maxSignatureLength,
  type DigestAlgorithm,
  type KeyAlgorithm,
  type SignOptions,
  type SignatureScheme,
  type Signer,
} from '../cms/signer.js';
import { throwIfCancelled } from '../cms/cancel.js';

const CURVES: Readonly<Record<string, { curve: 'P-256' | 'P-384' | 'P-521'; bits: number }>> = {
  prime256v1: { curve: 'P-256', bits: 256 },
  'P-256': { curve: 'P-256', bits: 256 },
  secp384r1: { curve: 'P-384', bits: 384 },
  'P-384': { curve: 'P-384', bits: 384 },
  secp521r1: { curve: 'P-521', bits: 521 },
  'P-521': { curve: 'P-521', bits: 521 },
};

/** Key algorithm and schemes of a private key; KEY_UNSUPPORTED for anything but RSA and NIST EC. */
function describeKey(key: KeyObject): { keyAlgorithm: KeyAlgorithm; schemes: SignatureScheme[] } {
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      if (details?.modulusLength === undefined) break;
      return {
        keyAlgorithm: { kind: 'rsa', bits: details.modulusLength },
        schemes: ['rsa-pkcs1', 'rsa-pss'],
      };
    case 'rsa-pss':
      // a key restricted to PSS (id-RSASSA-PSS SubjectPublicKeyInfo) cannot sign PKCS#1 v1.5
      if (details?.modulusLength === undefined) break;
      return { keyAlgorithm: { kind: 'rsa', bits: details.modulusLength }, schemes: ['rsa-pss'] };
    case 'ec': {
      const curve = details?.namedCurve === undefined ? undefined : CURVES[details.namedCurve];
      if (curve === undefined) break;
      return { keyAlgorithm: { kind: 'ec', curve: curve.curve, bits: curve.bits }, schemes: ['ecdsa'] };
    }
    default:
      break;
  }
  throw new KysoError('KEY_UNSUPPORTED', `unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`, {
    details: {
      keyType: key.asymmetricKeyType,
      ...(key.asymmetricKeyDetails?.namedCurve === undefined
        ? {}
        : { curve: key.asymmetricKeyDetails.namedCurve }),
    },
  });
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

export class KeySigner implements Signer {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  readonly schemes: readonly SignatureScheme[];
  readonly #key: KeyObject;

  /**
   * @param key the private key
   * @param certificate DER of its certificate (CERT_INVALID if it is not one or names another key)
   * @param chain DER of the issuer certificates, signer's issuer first
   */
  constructor(key: KeyObject, certificate: Uint8Array, chain: readonly Uint8Array[] = []) {
    if (key.type !== 'private') throw new KysoError('INTERNAL', 'KeySigner needs a private key');
    const { keyAlgorithm, schemes } = describeKey(key);
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(certificate);
    } catch (cause) {
      throw new KysoError('CERT_INVALID', 'the certificate cannot be read', { cause });
    }
    if (!spki(cert.publicKey).equals(spki(createPublicKey(key)))) {
      throw new KysoError('CERT_INVALID', 'the certificate is not the certificate of this key', {
        details: { reason: 'key-mismatch' },
      });
    }
    this.#key = key;
    this.certificate = new Uint8Array(certificate);
    this.chain = chain.map((c) => new Uint8Array(c));
    this.keyAlgorithm = keyAlgorithm;
    this.schemes = schemes;
  }

  async sign(
    data: Uint8Array,
    params: { readonly digest: DigestAlgorithm; readonly scheme: SignatureScheme },
    options: SignOptions = {},
  ): Promise<Uint8Array> {
    throwIfCancelled(options.signal);
    if (!this.schemes.includes(params.scheme)) {
      throw new KysoError('KEY_UNSUPPORTED', `this key cannot sign with ${params.scheme}`, {
        details: { scheme: params.scheme },
      });
    }
    if (options.dryRun === true) return new Uint8Array(maxSignatureLength(this.keyAlgorithm));
    const key =
      params.scheme === 'rsa-pss'
        ? {
            key: this.#key,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: DIGEST_LENGTH[params.digest],
          }
        : params.scheme === 'ecdsa'
          ? { key: this.#key, dsaEncoding: 'der' as const }
          : { key: this.#key, padding: constants.RSA_PKCS1_PADDING };
    const signature = await new Promise<Buffer>((resolve, reject) => {
      cryptoSign(params.digest, data, key, (error, result) => (error ? reject(error) : resolve(result)));
    }).catch((cause: unknown) => {
      throw new KysoError('INTERNAL', 'the software key failed to sign', { cause });
    });
    throwIfCancelled(options.signal);
    return new Uint8Array(signature);
  }
}
