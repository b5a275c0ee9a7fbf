// What the verifier accepts from others: digest and signature algorithm identifiers as other tools
// write them (RFC 5754, RFC 4055, RFC 5758, and legacy forms such as a signature OID given as the
// digest algorithm), resolved to node:crypto names; plus the strength rules of Circular 15/2025
// (SHA-256 or stronger, RSA ≥ 2048 bits, ECDSA ≥ 256 bits).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export type HashName = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

const HASH_OIDS: Readonly<Record<string, HashName>> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature OIDs that name their hash; some producers also put these in digestAlgorithm. */
const RSA_PKCS1_OIDS: Readonly<Record<string, HashName>> = {
  '1.2.840.113549.1.1.4': 'md5',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.3.14.3.2.29': 'sha1', // sha1WithRSASignature (OIW)
};

const ECDSA_OIDS: Readonly<Record<string, HashName>> = {
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const DSA_OIDS: Readonly<Record<string, HashName>> = {
  '1.2.840.10040.4.3': 'sha1',
  '2.16.840.1.101.3.4.3.1': 'sha224',
  '2.16.840.1.101.3.4.3.2': 'sha256',
};

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const DSA = '1.2.840.10040.4.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const MGF1 = '1.2.840.113549.1.1.8';

/** The hash an OID names, accepting signature OIDs too; undefined when unknown. */
export function hashFromOid(oid: string): HashName | undefined {
  return HASH_OIDS[oid] ?? RSA_PKCS1_OIDS[oid] ?? ECDSA_OIDS[oid] ?? DSA_OIDS[oid];
}

export function hashDisplayName(hash: HashName): string {
  return hash === 'md5' ? 'MD5' : `SHA-${hash.slice(3)}`;
}

/** A signature algorithm resolved for node:crypto. */
export type SignatureMethod =
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashName }
  | {
      readonly kind: 'rsa-pss';
      readonly hash: HashName;
      readonly mgfHash: HashName;
      readonly saltLength: number;
    }
  | { readonly kind: 'ecdsa'; readonly hash: HashName }
  | { readonly kind: 'dsa'; readonly hash: HashName };

export type SignatureMethodResult =
  | { readonly ok: true; readonly method: SignatureMethod }
  | { readonly ok: false; readonly oid: string; readonly reason: string };

/**
 * The signature method of an AlgorithmIdentifier; `digest` is the hash to use when the OID names
 * none (rsaEncryption or ecPublicKey given as the signature algorithm, as older tools do).
 */
/** An AlgorithmIdentifier as pkijs gives it, or as the CMS reader does (parameters as asn1js values). */
export interface AlgorithmLike {
  readonly algorithmId: string;
  readonly algorithmParams?: unknown;
}

export function signatureMethod(
  algorithm: AlgorithmLike,
  digest: HashName | undefined,
): SignatureMethodResult {
  const oid = algorithm.algorithmId;
  const named = RSA_PKCS1_OIDS[oid];
  if (named !== undefined) return { ok: true, method: { kind: 'rsa-pkcs1', hash: named } };
  const ec = ECDSA_OIDS[oid];
  if (ec !== undefined) return { ok: true, method: { kind: 'ecdsa', hash: ec } };
  const dsa = DSA_OIDS[oid];
  if (dsa !== undefined) return { ok: true, method: { kind: 'dsa', hash: dsa } };
  if (oid === RSA_ENCRYPTION || oid === EC_PUBLIC_KEY || oid === DSA) {
    if (digest === undefined) return { ok: false, oid, reason: 'no digest algorithm' };
    const kind = oid === RSA_ENCRYPTION ? 'rsa-pkcs1' : oid === DSA ? 'dsa' : 'ecdsa';
    return { ok: true, method: { kind, hash: digest } };
  }
  if (oid === RSASSA_PSS) return pssMethod(algorithm);
  return { ok: false, oid, reason: 'unsupported signature algorithm' };
}

/** RSASSA-PSS-params (RFC 4055 §3.1) with their DEFAULTs: SHA-1, MGF1-SHA-1, salt 20. */
function pssMethod(algorithm: AlgorithmLike): SignatureMethodResult {
  const oid = algorithm.algorithmId;
  let params: pkijs.RSASSAPSSParams;
  try {
    const schema: unknown = algorithm.algorithmParams;
    params =
      schema instanceof asn1js.Sequence ? new pkijs.RSASSAPSSParams({ schema }) : new pkijs.RSASSAPSSParams();
  } catch {
    return { ok: false, oid, reason: 'malformed RSASSA-PSS parameters' };
  }
  const hash = hashFromOid(params.hashAlgorithm.algorithmId);
  if (hash === undefined) return { ok: false, oid, reason: 'unsupported PSS hash' };
  if (params.maskGenAlgorithm.algorithmId !== MGF1)
    return { ok: false, oid, reason: 'unsupported PSS mask generation' };
  const mgfParams: unknown = params.maskGenAlgorithm.algorithmParams;
  let mgfHash: HashName | undefined = 'sha1';
  if (mgfParams instanceof asn1js.Sequence) {
    const id = mgfParams.valueBlock.value[0];
    mgfHash = id instanceof asn1js.ObjectIdentifier ? hashFromOid(id.valueBlock.toString()) : undefined;
  }
  if (mgfHash === undefined) return { ok: false, oid, reason: 'unsupported MGF1 hash' };
  return { ok: true, method: { kind: 'rsa-pss', hash, mgfHash, saltLength: params.saltLength } };
}

export function signatureMethodName(method: SignatureMethod): string {
  const hash = hashDisplayName(method.hash);
  switch (method.kind) {
    case 'rsa-pkcs1':
      return `RSA PKCS#1 v1.5 ${hash}`;
    case 'rsa-pss':
      return `RSA-PSS ${hash}`;
    case 'ecdsa':
      return `ECDSA ${hash}`;
    case 'dsa':
      return `DSA ${hash}`;
  }
}

/** Hashes Circular 15/2025 no longer accepts for new signatures. */
export function isWeakHash(hash: HashName): boolean {
  return hash === 'md5' || hash === 'sha1';
}

/** Keys below the circular's minimum: RSA < 2048 bits, EC < 256 bits. */
export function isWeakKey(key: { readonly kind: 'rsa' | 'ec'; readonly bits: number }): boolean {
  return key.kind === 'rsa' ? key.bits < 2048 : key.bits < 256;
}

/** Signature schemes the circular accepts (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA): DSA is not one. */
export function isAcceptedScheme(method: SignatureMethod): boolean {
  return method.kind !== 'dsa';
}
