// Verifies a raw signature value with a public key (DER SubjectPublicKeyInfo) through node:crypto:
// RSA PKCS#1 v1.5, RSASSA-PSS (RFC 8017 §9.1; done by hand when the MGF1 hash differs from the
// message hash, which node:crypto cannot express), ECDSA and DSA (DER r,s). Used for CMS
// SignerInfos, certificates, CRLs and OCSP responses alike.
import {
  constants,
  createHash,
  createPublicKey,
  createVerify,
  publicDecrypt,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { HashName, SignatureMethod } from './signature-algorithms.js';

/** Keys by their SubjectPublicKeyInfo: a CA's key checks many certificates, CRLs and responses. */
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_SIZE = 256;

function publicKey(spki: Uint8Array): KeyObject | undefined {
  const id = Buffer.from(spki).toString('base64');
  const cached = keyCache.get(id);
  if (cached !== undefined) return cached;
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    keyCache.set(id, key);
    if (keyCache.size > KEY_CACHE_SIZE) {
      const oldest = keyCache.keys().next().value;
      if (oldest !== undefined) keyCache.delete(oldest);
    }
    return key;
  } catch {
    return undefined;
  }
}

function keyOptions(
  key: KeyObject,
  method: SignatureMethod,
): { key: KeyObject; padding?: number; saltLength?: number; dsaEncoding?: 'der' } {
  switch (method.kind) {
    case 'rsa-pkcs1':
      return { key, padding: constants.RSA_PKCS1_PADDING };
    case 'rsa-pss':
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: method.saltLength };
    case 'ecdsa':
    case 'dsa':
      return { key, dsaEncoding: 'der' };
  }
}

/** The key type must fit the method: an RSA signature never verifies with an EC key, and back. */
function fits(key: KeyObject, method: SignatureMethod): boolean {
  const type = key.asymmetricKeyType;
  if (method.kind === 'ecdsa') return type === 'ec';
  if (method.kind === 'dsa') return type === 'dsa';
  return type === 'rsa' || type === 'rsa-pss';
}

function mgf1(seed: Buffer, length: number, hash: HashName): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    parts.push(block);
    total += block.length;
  }
  return Buffer.concat(parts).subarray(0, length);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) over the raw RSA result, for any MGF1 hash. */
function verifyPssByHand(
  key: KeyObject,
  method: Extract<SignatureMethod, { kind: 'rsa-pss' }>,
  messageHash: Buffer,
  signature: Uint8Array,
): boolean {
  const modBits = key.asymmetricKeyDetails?.modulusLength;
  if (modBits === undefined) return false;
  let em: Buffer;
  try {
    em = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (em.length > emLen) {
    if (em.subarray(0, em.length - emLen).some((b) => b !== 0)) return false;
    em = em.subarray(em.length - emLen);
  }
  const hLen = messageHash.length;
  const sLen = method.saltLength;
  if (emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 8 * emLen - emBits;
  const topMask = 0xff >> topBits;
  if ((maskedDb[0]! & ~topMask) !== 0) return false;
  const db = Buffer.from(
    mgf1(Buffer.from(h), maskedDb.length, method.mgfHash).map((m, i) => m ^ maskedDb[i]!),
  );
  db[0] = db[0]! & topMask;
  const psLength = emLen - hLen - sLen - 2;
  for (let i = 0; i < psLength; i++) if (db[i] !== 0) return false;
  if (db[psLength] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const expected = createHash(method.hash).update(Buffer.alloc(8)).update(messageHash).update(salt).digest();
  return expected.length === h.length && timingSafeEqual(expected, h);
}

const needsHandPss = (method: SignatureMethod): method is Extract<SignatureMethod, { kind: 'rsa-pss' }> =>
  method.kind === 'rsa-pss' && method.mgfHash !== method.hash;

/** True when `signature` is `method`'s signature over `data` by the key in `spki`. Never throws. */
export function verifySignatureValue(
  spki: Uint8Array,
  method: SignatureMethod,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const key = publicKey(spki);
  if (key === undefined || !fits(key, method)) return false;
  try {
    if (needsHandPss(method))
      return verifyPssByHand(key, method, createHash(method.hash).update(data).digest(), signature);
    return verify(method.hash, data, keyOptions(key, method), signature);
  } catch {
    return false;
  }
}

/**
 * The same over data that arrives in chunks (a signature without signed attributes signs the
 * document's byte ranges directly, which are streamed from the file rather than loaded).
 */
export async function verifySignatureOverChunks(
  spki: Uint8Array,
  method: SignatureMethod,
  feed: (onChunk: (chunk: Uint8Array) => void) => Promise<void>,
  signature: Uint8Array,
): Promise<boolean> {
  const key = publicKey(spki);
  if (key === undefined || !fits(key, method)) return false;
  if (needsHandPss(method)) {
    const h = createHash(method.hash);
    await feed((chunk) => h.update(chunk));
    return verifyPssByHand(key, method, h.digest(), signature);
  }
  let verifier;
  try {
    verifier = createVerify(method.hash);
  } catch {
    return false;
  }
  await feed((chunk) => verifier.update(chunk));
  try {
    return verifier.verify(keyOptions(key, method), signature);
  } catch {
    return false;
  }
}
