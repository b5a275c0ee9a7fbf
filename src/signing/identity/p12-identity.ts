// A PKCS#12 (.p12/.pfx) file as a signer. node-forge does the password-based cryptography (the
// PKCS#12 MAC key derivation, PBES2 and the legacy PKCS#12 PBE ciphers); the PFX structure is
// walked here so that certificates and keys come out as the exact bytes inside the file. forge's
// own pkcs12FromAsn1 would re-encode certificates and cannot parse EC keys or EC certificates.
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import { KysoError, type ErrorCode } from '../../shared/errors.js';
import { Secret } from '../../shared/secret.js';
import { KeySigner } from './key-signer.js';

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

const MAX_P12_BYTES = 10 * 1024 * 1024;

type Asn1 = forge.asn1.Asn1;

/** The part of forge's PBE module that @types/node-forge does not declare. */
interface ForgePbe {
  getCipher(oid: string, params: Asn1, password: string | null): forge.cipher.BlockCipher;
}
const pbe = (forge.pki as unknown as { pbe: ForgePbe }).pbe;

class P12Error extends Error {
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

function macDigest(oid: string): { md: forge.md.MessageDigest; length: number } {
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
  let cipher: forge.cipher.BlockCipher;
  try {
    cipher = pbe.getCipher(algorithmOid, params, password.for(algorithmOid));
  } catch {
    throw invalid('unsupported-encryption', `PKCS#12 encryption ${algorithmOid} is not supported`);
  }
  cipher.update(forge.util.createBuffer(encrypted));
  return cipher.finish() ? cipher.output.getBytes() : null;
}

interface Bag {
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
function readPfx(der: string, passwordText: string): { bags: Bag[]; macVerified: boolean } {
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

interface Certificate {
  readonly der: Uint8Array;
  readonly x509: X509Certificate;
  readonly localKeyId: string | undefined;
}

/** The issuers of `leaf` found among `others`, issuer first, then whatever else the file held. */
function orderChain(leaf: X509Certificate, others: Certificate[]): Uint8Array[] {
  const rest = [...others];
  const chain: Uint8Array[] = [];
  let current = leaf;
  while (!current.checkIssued(current)) {
    const index = rest.findIndex((c) => current.checkIssued(c.x509));
    const issuer = rest[index];
    if (issuer === undefined) break;
    rest.splice(index, 1);
    chain.push(issuer.der);
    current = issuer.x509;
  }
  return [...chain, ...rest.map((c) => c.der)];
}

function spkiOf(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/**
 * Opens a PKCS#12 file as a {@link KeySigner}: its private key, the certificate of that key and
 * the other certificates as the chain. Errors: P12_NOT_FOUND, P12_PASSWORD_INCORRECT, P12_INVALID
 * (details.reason says why), KEY_UNSUPPORTED. The password never appears in an error.
 */
export async function openP12(path: string, password: string | Secret): Promise<KeySigner> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
      throw new KysoError('P12_NOT_FOUND', `no PKCS#12 file at ${path}`, { details: { path } });
    }
    throw new KysoError('P12_INVALID', `cannot read ${path}`, {
      details: { path, reason: 'unreadable' },
      cause,
    });
  }
  if (file.length > MAX_P12_BYTES) {
    throw new KysoError('P12_INVALID', `${path} is too large for a PKCS#12 file`, {
      details: { path, reason: 'too-large' },
    });
  }

  let bags: Bag[];
  let macVerified: boolean;
  try {
    ({ bags, macVerified } = readPfx(
      file.toString('binary'),
      password instanceof Secret ? password.reveal() : password,
    ));
  } catch (error) {
    if (error instanceof P12Error) {
      throw new KysoError(error.code, `${path}: ${error.message}`, {
        details: { path, reason: error.reason },
      });
    }
    // forge's own failures (truncated data, bad lengths): no password in them, but keep them out anyway
    throw new KysoError('P12_INVALID', `${path} is not a valid PKCS#12 file`, {
      details: { path, reason: 'structure' },
    });
  }

  const certificates: Certificate[] = [];
  for (const bag of bags) {
    if (bag.kind !== 'cert') continue;
    const der = new Uint8Array(Buffer.from(bag.der, 'binary'));
    try {
      certificates.push({ der, x509: new X509Certificate(der), localKeyId: bag.localKeyId });
    } catch {
      // an unreadable extra certificate is no reason to refuse the identity
    }
  }

  let sawKey = false;
  for (const bag of bags) {
    if (bag.kind !== 'key') continue;
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: Buffer.from(bag.der, 'binary'), format: 'der', type: 'pkcs8' });
    } catch (cause) {
      if (!macVerified) {
        throw new KysoError('P12_PASSWORD_INCORRECT', `${path}: wrong PKCS#12 password`, {
          details: { path, reason: 'decrypt' },
        });
      }
      throw new KysoError('KEY_UNSUPPORTED', `${path}: the private key cannot be used`, {
        details: { path, reason: 'key-unreadable' },
        cause,
      });
    }
    sawKey = true;
    const publicKey = spkiOf(createPublicKey(key));
    const matching = certificates.filter((c) => spkiOf(c.x509.publicKey).equals(publicKey));
    const leaf =
      matching.find((c) => bag.localKeyId !== undefined && c.localKeyId === bag.localKeyId) ?? matching[0];
    if (leaf === undefined) continue;
    const chain = orderChain(
      leaf.x509,
      certificates.filter((c) => c !== leaf && !matching.includes(c)),
    );
    return new KeySigner(key, leaf.der, chain);
  }
  throw new KysoError(
    'P12_INVALID',
    sawKey ? `${path} has no certificate for its private key` : `${path} holds no private key`,
    { details: { path, reason: sawKey ? 'no-matching-certificate' : 'no-key' } },
  );
}
