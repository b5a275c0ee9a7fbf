// The PFX container of a PKCS#12 file (RFC 7292): its bags, decrypted with the password.
// node-forge does the password-based cryptography (the PKCS#12 MAC key derivation, PBES2 and the
// legacy PKCS#12 PBE ciphers); the structure is walked here so that certificates and keys come out
// as the exact bytes inside the file. forge's own pkcs12FromAsn1 would re-encode certificates and
// cannot parse EC keys. This module is loaded only when a .p12 is opened: forge is slow to load.
import { createRequire } from 'node:module';
import type forgeModule from 'node-forge';

// node-forge is loaded on first use (loadForge), not at start-up: most commands never open a .p12.
// require() rather than import(), which the bundled CLI cannot run.
const require = createRequire(import.meta.url);
let forge: typeof forgeModule;

/** Loads node-forge; call before readPfx. */
export function loadForge(): void {
  forge ??= require('node-forge') as typeof forgeModule;
}
import type { ErrorCode } from '../../shared/errors.js';

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;

type Asn1 = forgeModule.asn1.Asn1;

/** The part of forge's PBE module that @types/node-forge does not declare. */
interface ForgePbe {
  getCipher(oid: string, params: Asn1, password: string | null): forgeModule.cipher.BlockCipher;
}
const pbe = (): ForgePbe => (forge.pki as unknown as { pbe: ForgePbe }).pbe;

export class P12Error extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

const invalid = (reason: string, message = 'the file is not a valid PKCS#12 identity'): P12Error =>
  new P12Error('P12_INVALID', message, reason);

function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (node === undefined || !Array.isArray(node.value))
    throw invalid('structure', `PKCS#12 ${what} is malformed`);
  return node.value;
}

/** Content bytes (binary string) of a primitive, or of a BER constructed string's segments. */
function bytesOf(node: Asn1 | undefined, what: string): string {
  if (node === undefined) throw invalid('structure', `PKCS#12 ${what} is missing`);
  if (typeof node.value === 'string') return node.value;
  return node.value.map((part) => bytesOf(part, what)).join('');
}

function oidOf(node: Asn1 | undefined, what: string): string {
  if (node === undefined || node.type !== forge.asn1.Type.OID || typeof node.value !== 'string') {
    throw invalid('structure', `PKCS#12 ${what} is not an OID`);
  }
  return forge.asn1.derToOid(node.value);
}

function parseDer(bytes: string, what: string): Asn1 {
  try {
    return forge.asn1.fromDer(bytes, false);
  } catch {
    throw invalid('structure', `PKCS#12 ${what} is not DER`);
  }
}

/** The explicit [0] content of a ContentInfo or SafeBag. */
function explicitZero(node: Asn1 | undefined, what: string): Asn1 {
  const inner = children(node, what)[0];
  if (inner === undefined) throw invalid('structure', `PKCS#12 ${what} is empty`);
  return inner;
}

/**
 * The password as each scheme wants it: PKCS#12 key derivation (the MAC, the legacy PBE ciphers)
 * takes the string itself and forge encodes it as BMPString; PBES2 takes UTF-8 bytes, which forge
 * expects as a binary string.
 */
class Password {
  constructor(readonly text: string | null) {}
  for(algorithmOid: string): string | null {
    if (algorithmOid !== OIDS.pbes2) return this.text;
    return forge.util.encodeUtf8(this.text ?? '');
  }
}

function macDigest(oid: string): { md: forgeModule.md.MessageDigest; length: number } {
  switch (oid) {
    case OIDS.sha1:
      return { md: forge.md.sha1.create(), length: 20 };
    case OIDS.sha256:
      return { md: forge.md.sha256.create(), length: 32 };
    case OIDS.sha384:
      return { md: forge.md.sha384.create(), length: 48 };
    case OIDS.sha512:
      return { md: forge.md.sha512.create(), length: 64 };
    default:
      throw invalid('unsupported-mac', `PKCS#12 MAC algorithm ${oid} is not supported`);
  }
}

/** MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 } */
function macMatches(macData: Asn1, authSafe: string, password: string | null): boolean {
  const [digestInfo, salt, iterations] = children(macData, 'MacData');
  const [algorithm, expected] = children(digestInfo, 'MAC DigestInfo');
  const { md, length } = macDigest(oidOf(children(algorithm, 'MAC algorithm')[0], 'MAC algorithm'));
  const count = iterations === undefined ? 1 : forge.asn1.derToInteger(bytesOf(iterations, 'MAC iterations'));
  if (!(count >= 1)) throw invalid('structure', 'PKCS#12 MAC iteration count is invalid');
  const key = forge.pkcs12.generateKey(
    password,
    forge.util.createBuffer(bytesOf(salt, 'MAC salt')),
    3,
    count,
    length,
    md,
  );
  const hmac = forge.hmac.create();
  hmac.start(md, key);
  hmac.update(authSafe);
  return hmac.digest().getBytes() === bytesOf(expected, 'MAC value');
}

/** Decrypts with a PKCS#12 PBE or PBES2 AlgorithmIdentifier; null when the padding is wrong. */
function decrypt(algorithm: Asn1 | undefined, encrypted: string, password: Password): string | null {
  const [oidNode, params] = children(algorithm, 'encryption algorithm');
  const algorithmOid = oidOf(oidNode, 'encryption algorithm');
  if (params === undefined) throw invalid('structure', 'PKCS#12 encryption parameters are missing');
  let cipher: forgeModule.cipher.BlockCipher;
  try {
    cipher = pbe().getCipher(algorithmOid, params, password.for(algorithmOid));
  } catch {
    throw invalid('unsupported-encryption', `PKCS#12 encryption ${algorithmOid} is not supported`);
  }
  cipher.update(forge.util.createBuffer(encrypted));
  return cipher.finish() ? cipher.output.getBytes() : null;
}

export interface Bag {
  readonly kind: 'key' | 'cert';
  /** DER (binary string): PKCS#8 PrivateKeyInfo or X.509 certificate. */
  readonly der: string;
  readonly localKeyId: string | undefined;
}

function localKeyIdOf(attributes: Asn1 | undefined): string | undefined {
  if (attributes === undefined || !Array.isArray(attributes.value)) return undefined;
  for (const attr of attributes.value) {
    const [type, values] = children(attr, 'bag attribute');
    if (oidOf(type, 'bag attribute') !== OIDS.localKeyId) continue;
    const first = Array.isArray(values?.value) ? values.value[0] : undefined;
    return first === undefined ? undefined : bytesOf(first, 'localKeyId');
  }
  return undefined;
}

/** SafeContents ::= SEQUENCE OF SafeBag { bagId, [0] EXPLICIT bagValue, bagAttributes OPTIONAL } */
function readSafeContents(der: string, password: Password, out: Bag[], depth = 0): void {
  if (depth > 4) throw invalid('structure', 'PKCS#12 bags are nested too deeply');
  for (const safeBag of children(parseDer(der, 'SafeContents'), 'SafeContents')) {
    const [bagId, wrapped, attributes] = children(safeBag, 'SafeBag');
    const value = explicitZero(wrapped, 'SafeBag value');
    const localKeyId = localKeyIdOf(attributes);
    switch (oidOf(bagId, 'SafeBag type')) {
      case OIDS.keyBag:
        out.push({ kind: 'key', der: forge.asn1.toDer(value).getBytes(), localKeyId });
        break;
      case OIDS.pkcs8ShroudedKeyBag: {
        // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
        const [algorithm, encrypted] = children(value, 'EncryptedPrivateKeyInfo');
        const plain = decrypt(algorithm, bytesOf(encrypted, 'encrypted key'), password);
        if (plain === null) throw new P12Error('P12_PASSWORD_INCORRECT', 'wrong PKCS#12 password', 'decrypt');
        out.push({ kind: 'key', der: plain, localKeyId });
        break;
      }
      case OIDS.certBag: {
        // CertBag ::= SEQUENCE { certId, certValue [0] EXPLICIT OCTET STRING }
        const [certId, certValue] = children(value, 'CertBag');
        if (oidOf(certId, 'CertBag type') !== OIDS.x509Certificate) break; // SDSI certificates
        out.push({
          kind: 'cert',
          der: bytesOf(explicitZero(certValue, 'CertBag value'), 'certificate'),
          localKeyId,
        });
        break;
      }
      case OIDS.safeContentsBag:
        readSafeContents(forge.asn1.toDer(value).getBytes(), password, out, depth + 1);
        break;
      default:
        break; // CRL and secret bags: nothing to sign with
    }
  }
}

/** AuthenticatedSafe ::= SEQUENCE OF ContentInfo (data or encryptedData) */
function readAuthenticatedSafe(der: string, password: Password): Bag[] {
  const bags: Bag[] = [];
  for (const contentInfo of children(parseDer(der, 'AuthenticatedSafe'), 'AuthenticatedSafe')) {
    const [type, wrapped] = children(contentInfo, 'ContentInfo');
    const content = explicitZero(wrapped, 'ContentInfo content');
    switch (oidOf(type, 'ContentInfo type')) {
      case OIDS.data:
        readSafeContents(bytesOf(content, 'SafeContents'), password, bags);
        break;
      case OIDS.encryptedData: {
        // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo { contentType,
        //   contentEncryptionAlgorithm, encryptedContent [0] IMPLICIT OCTET STRING } }
        const [, encryptedContentInfo] = children(content, 'EncryptedData');
        const [, algorithm, encryptedContent] = children(encryptedContentInfo, 'EncryptedContentInfo');
        if (encryptedContent === undefined) break; // no content
        const plain = decrypt(algorithm, bytesOf(encryptedContent, 'encrypted content'), password);
        if (plain === null) throw new P12Error('P12_PASSWORD_INCORRECT', 'wrong PKCS#12 password', 'decrypt');
        readSafeContents(plain, password, bags);
        break;
      }
      default:
        throw invalid('unsupported-content', 'PKCS#12 public-key privacy mode is not supported');
    }
  }
  return bags;
}

/** PFX ::= SEQUENCE { version 3, authSafe ContentInfo (data), macData MacData OPTIONAL } */
export function readPfx(der: string, passwordText: string): { bags: Bag[]; macVerified: boolean } {
  const [version, authSafe, macData] = children(parseDer(der, 'file'), 'PFX');
  if (version === undefined || forge.asn1.derToInteger(bytesOf(version, 'version')) !== 3) {
    throw invalid('structure', 'not a PKCS#12 version 3 file');
  }
  const [type, wrapped] = children(authSafe, 'authSafe');
  if (oidOf(type, 'authSafe type') !== OIDS.data) {
    throw invalid('unsupported-content', 'PKCS#12 public-key integrity mode is not supported');
  }
  const content = bytesOf(explicitZero(wrapped, 'authSafe content'), 'authSafe content');
  let password = new Password(passwordText);
  if (macData !== undefined) {
    if (!macMatches(macData, content, passwordText)) {
      // An empty password may have been applied as "no password" (no BMPString terminator).
      if (passwordText === '' && macMatches(macData, content, null)) password = new Password(null);
      else throw new P12Error('P12_PASSWORD_INCORRECT', 'wrong PKCS#12 password', 'mac');
    }
    return { bags: readAuthenticatedSafe(content, password), macVerified: true };
  }
  // Without a MAC, a wrong password shows only as bad padding or, once in a few hundred tries,
  // as garbage that decrypted with valid-looking padding: both mean "wrong password".
  try {
    return { bags: readAuthenticatedSafe(content, password), macVerified: false };
  } catch (error) {
    if (error instanceof P12Error && error.reason !== 'structure') throw error;
    throw new P12Error('P12_PASSWORD_INCORRECT', 'wrong PKCS#12 password', 'decrypt');
  }
}
