// Object identifiers and DER AlgorithmIdentifiers for what Kyso signs with: SHA-2 digests,
// RSA PKCS#1 v1.5, RSASSA-PSS (explicit parameters) and ECDSA.
import { KysoError } from '../../shared/errors.js';
import { context, derNull, integer, oid, sequence } from './der.js';
import { DIGEST_LENGTH, type DigestAlgorithm, type SignatureScheme } from './signer.js';

export const OID = {
  // digests (RFC 5754)
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  sha1: '1.3.14.3.2.26',
  // signature algorithms
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  // CMS content types and attributes (RFC 5652, RFC 5035, RFC 3161)
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  // certificate extensions and purposes
  extKeyUsage: '2.5.29.37',
  kpTimeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

const DIGEST_OIDS: Readonly<Record<DigestAlgorithm, string>> = {
  sha256: OID.sha256,
  sha384: OID.sha384,
  sha512: OID.sha512,
};

const RSA_PKCS1_OIDS: Readonly<Record<DigestAlgorithm, string>> = {
  sha256: OID.sha256WithRSAEncryption,
  sha384: OID.sha384WithRSAEncryption,
  sha512: OID.sha512WithRSAEncryption,
};

const ECDSA_OIDS: Readonly<Record<DigestAlgorithm, string>> = {
  sha256: OID.ecdsaWithSha256,
  sha384: OID.ecdsaWithSha384,
  sha512: OID.ecdsaWithSha512,
};

export function digestOid(digest: DigestAlgorithm): string {
  return DIGEST_OIDS[digest];
}

/** The digest named by `oid`, or undefined for anything else (SHA-1, MD5, unknown). */
export function digestFromOid(oid: string): DigestAlgorithm | undefined {
  for (const digest of ['sha256', 'sha384', 'sha512'] as const) {
    if (DIGEST_OIDS[digest] === oid) return digest;
  }
  return undefined;
}

/** The OID of the SignerInfo signatureAlgorithm for `scheme` with `digest`. */
export function signatureOid(scheme: SignatureScheme, digest: DigestAlgorithm): string {
  switch (scheme) {
    case 'rsa-pkcs1':
      return RSA_PKCS1_OIDS[digest];
    case 'rsa-pss':
      return OID.rsassaPss;
    case 'ecdsa':
      return ECDSA_OIDS[digest];
  }
}

/**
 * DER `AlgorithmIdentifier { sha-x }` with absent parameters, as RFC 5754 section 2 prefers.
 * `withNull` writes an explicit NULL instead (what many RFC 3161 clients send in a messageImprint).
 */
export function digestAlgorithmIdentifier(digest: DigestAlgorithm, withNull = false): Uint8Array {
  return withNull ? sequence(oid(DIGEST_OIDS[digest]), derNull()) : sequence(oid(DIGEST_OIDS[digest]));
}

/**
 * DER RSASSA-PSS-params (RFC 4055 section 3.1): hashAlgorithm, maskGenAlgorithm MGF1 with the same
 * hash, saltLength = the hash length. trailerField is left out: its only value, trailerFieldBC (1),
 * is the DEFAULT, which DER forbids encoding.
 */
export function pssParameters(digest: DigestAlgorithm): Uint8Array {
  const hash = digestAlgorithmIdentifier(digest);
  return sequence(
    context(0, hash),
    context(1, sequence(oid(OID.mgf1), hash)),
    context(2, integer(DIGEST_LENGTH[digest])),
  );
}

/**
 * DER of the SignerInfo signatureAlgorithm: `shaNNNWithRSAEncryption` with NULL parameters
 * (RFC 4055), `id-RSASSA-PSS` with explicit parameters, or `ecdsa-with-SHANNN` without parameters
 * (RFC 5758).
 */
export function signatureAlgorithmIdentifier(scheme: SignatureScheme, digest: DigestAlgorithm): Uint8Array {
  const id = oid(signatureOid(scheme, digest));
  switch (scheme) {
    case 'rsa-pkcs1':
      return sequence(id, derNull());
    case 'rsa-pss':
      return sequence(id, pssParameters(digest));
    case 'ecdsa':
      return sequence(id);
  }
}

/** Asserts that `bytes` has the length of a `digest` hash. */
export function assertDigestLength(bytes: Uint8Array, digest: DigestAlgorithm, what: string): void {
  if (bytes.length !== DIGEST_LENGTH[digest]) {
    throw new KysoError(
      'INTERNAL',
      `${what} is ${bytes.length} bytes long, a ${digest} hash is ${DIGEST_LENGTH[digest]}`,
    );
  }
}
