// The signer seam: the only place key material is touched. The CMS builder calls `sign`; a PKCS#11
// token, a PKCS#12 file, the demo identity and test keys implement it. Nothing here knows PDF.

export type DigestAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** RSA PKCS#1 v1.5 (the default in the field), RSA-PSS (Circular 15/2025 names it), or ECDSA. */
export type SignatureScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa';

export type KeyAlgorithm =
  | { readonly kind: 'rsa'; readonly bits: number }
  | { readonly kind: 'ec'; readonly curve: 'P-256' | 'P-384' | 'P-521'; readonly bits: number };

export interface SignOptions {
  /**
   * A dry run returns a value of the real size without using the key (no PIN prompt, no token
   * round trip), so the caller can size the /Contents placeholder before signing for real.
   */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

export interface Signer {
  /** DER of the signer's certificate. */
  readonly certificate: Uint8Array;
  /** DER of the intermediate (and possibly root) certificates to embed, signer's issuer first. */
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  /** Schemes this key can produce (a token may lack PSS, for instance). */
  readonly schemes: readonly SignatureScheme[];
  /**
   * Signs `data` (the DER of the CMS signed attributes): hashes it with `digest` and signs the hash.
   * Returns the signature as CMS carries it: the RSA block, or DER `SEQUENCE { r, s }` for ECDSA.
   */
  sign(
    data: Uint8Array,
    params: { readonly digest: DigestAlgorithm; readonly scheme: SignatureScheme },
    options?: SignOptions,
  ): Promise<Uint8Array>;
}

export const DIGEST_LENGTH: Readonly<Record<DigestAlgorithm, number>> = {
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** The scheme a key signs with when the caller asks for nothing in particular. */
export function defaultScheme(key: KeyAlgorithm, preferPss = false): SignatureScheme {
  if (key.kind === 'ec') return 'ecdsa';
  return preferPss ? 'rsa-pss' : 'rsa-pkcs1';
}

/** Upper bound of a signature's length, for dry runs: ECDSA DER grows by up to 9 bytes over r||s. */
export function maxSignatureLength(key: KeyAlgorithm): number {
  if (key.kind === 'rsa') return Math.ceil(key.bits / 8);
  const n = Math.ceil(key.bits / 8);
  return 2 * n + 9;
}
