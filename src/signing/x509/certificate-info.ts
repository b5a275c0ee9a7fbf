// Reads the facts a user and the engine need from an X.509 certificate (RFC 5280): names in UTF-8,
// serial, validity, key usage, key type and size. Used by the token layer, signing and verification.
import { createPublicKey, createHash } from 'node:crypto';
import {
  DerError,
  Tag,
  assertWellFormed,
  bitStringBytesOf,
  booleanOf,
  children,
  contentOf,
  encodedOf,
  integerBytesOf,
  isContext,
  isString,
  isUniversal,
  oidOf,
  readDer,
  stringOf,
  timeOf,
  type DerNode,
} from '../asn1/der-reader.js';
import { KysoError } from '../../shared/errors.js';

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export interface NameAttribute {
  readonly type: string; // short name when known (CN, O, title…), else the OID
  readonly oid: string;
  readonly value: string;
}

export interface CertificateInfo {
  readonly der: Uint8Array;
  readonly subject: readonly NameAttribute[];
  readonly issuer: readonly NameAttribute[];
  /** RFC 4514 string, most specific attribute first (as people read it: CN=…,O=…,C=VN). */
  readonly subjectDN: string;
  readonly issuerDN: string;
  readonly subjectCN: string | undefined;
  readonly subjectOrganization: string | undefined;
  readonly subjectTitle: string | undefined;
  readonly serialHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** undefined when the certificate has no keyUsage extension (any use allowed). */
  readonly keyUsage: readonly KeyUsageName[] | undefined;
  readonly extendedKeyUsage: readonly string[] | undefined;
  readonly isCA: boolean;
  readonly key:
    | { readonly kind: 'rsa'; readonly bits: number }
    | {
        readonly kind: 'ec';
        readonly bits: number;
        readonly curve: 'P-256' | 'P-384' | 'P-521';
      };
  readonly spki: Uint8Array;
  readonly sha256: string;
}

/** Short names of the attribute types Vietnamese CAs use (RFC 4514 and common practice). */
export const NAME_TYPES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const CURVES: Readonly<Record<string, 'P-256' | 'P-384' | 'P-521'>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** The elements of a constructed value (SEQUENCE, SET, or an explicit tag), else none. */
function items(node: DerNode | undefined): DerNode[] {
  return node?.constructed === true ? children(node) : [];
}

/**
 * `node` if it is a UNIVERSAL `tag` in the form that type has (SEQUENCE and SET constructed, the
 * others primitive); else the certificate is malformed.
 */
function field(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!isUniversal(node, tag) || node.constructed !== (tag === Tag.sequence || tag === Tag.set)) {
    throw new DerError(`certificate: ${what} expected`);
  }
  return node;
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL } */
function algorithmIdentifier(node: DerNode | undefined, what: string): void {
  const [algorithm] = children(field(node, Tag.sequence, what));
  field(algorithm, Tag.objectIdentifier, `${what} algorithm`);
}

function attributeValue(value: DerNode | undefined): string {
  // Any character string type; other types (a time, a nested structure) show as empty text.
  return isString(value) ? stringOf(value) : '';
}

/**
 * Name ::= SEQUENCE OF RelativeDistinguishedName, RDN ::= SET OF AttributeTypeAndValue,
 * AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }: the attributes in
 * encoding order.
 */
function readName(name: DerNode, what: string): NameAttribute[] {
  const out: NameAttribute[] = [];
  for (const rdn of children(name)) {
    for (const atv of children(field(rdn, Tag.set, what))) {
      const [type, value] = children(field(atv, Tag.sequence, what));
      const oidText = oidOf(field(type, Tag.objectIdentifier, what));
      if (value === undefined) throw new DerError(`certificate: ${what} attribute without a value`);
      out.push({
        oid: oidText,
        type: NAME_TYPES[oidText] ?? oidText,
        value: attributeValue(value).normalize('NFC'),
      });
    }
  }
  return out;
}

function escapeRdnValue(value: string): string {
  return value
    .replace(/([,+"\\<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** RFC 4514 order: the last RDN of the sequence first. */
export function formatDN(attributes: readonly NameAttribute[]): string {
  return [...attributes]
    .reverse()
    .map((a) => `${a.type}=${escapeRdnValue(a.value)}`)
    .join(',');
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export interface CertificateExtension {
  readonly oid: string;
  /** The contents of extnValue: the DER of the extension's value. */
  readonly value: Uint8Array;
}

/**
 * extensions [3] EXPLICIT SEQUENCE OF Extension,
 * Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 */
function readExtensions(node: DerNode | undefined): CertificateExtension[] {
  if (node === undefined) return [];
  if (!node.constructed) throw new DerError('certificate: extensions expected');
  return children(field(children(node)[0], Tag.sequence, 'extensions')).map((ext) => {
    const parts = children(field(ext, Tag.sequence, 'extension'));
    if (parts.length < 2 || parts.length > 3)
      throw new DerError('certificate: extension of the wrong length');
    if (parts.length === 3) field(parts[1], Tag.boolean, 'extension critical flag');
    return {
      oid: oidOf(field(parts[0], Tag.objectIdentifier, 'extension')),
      value: contentOf(field(parts[parts.length - 1], Tag.octetString, 'extension value')),
    };
  });
}

/**
 * The value inside an extension's OCTET STRING. An extension whose value cannot be read counts as
 * empty (no key usage bits, no purposes, not a CA), as it did when asn1js read it.
 */
function extensionValue<T>(ext: CertificateExtension, read: (node: DerNode) => T, otherwise: T): T {
  try {
    return read(readDer(ext.value));
  } catch (error) {
    if (error instanceof DerError) return otherwise;
    throw error;
  }
}

function readKeyUsage(extensions: readonly CertificateExtension[]): KeyUsageName[] | undefined {
  const ext = extensions.find((e) => e.oid === '2.5.29.15');
  if (!ext) return undefined;
  const bytes = extensionValue(
    ext,
    (node) => (isUniversal(node, Tag.bitString) ? bitStringBytesOf(node) : new Uint8Array()),
    new Uint8Array(),
  );
  const used: KeyUsageName[] = [];
  KEY_USAGE_BITS.forEach((usage, i) => {
    const byte = bytes[i >> 3] ?? 0;
    if (byte & (0x80 >> (i & 7))) used.push(usage);
  });
  return used;
}

function readExtendedKeyUsage(extensions: readonly CertificateExtension[]): string[] | undefined {
  const ext = extensions.find((e) => e.oid === '2.5.29.37');
  if (!ext) return undefined;
  return extensionValue(
    ext,
    (node) => items(node).flatMap((v) => (isUniversal(v, Tag.objectIdentifier) ? [oidOf(v)] : [])),
    [],
  );
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL } */
function readIsCA(extensions: readonly CertificateExtension[]): boolean {
  const ext = extensions.find((e) => e.oid === '2.5.29.19');
  if (!ext) return false;
  return extensionValue(
    ext,
    (node) => {
      const first = items(node)[0];
      return isUniversal(first, Tag.boolean) ? booleanOf(first) : false;
    },
    false,
  );
}

function readTime(node: DerNode | undefined): Date {
  if (node === undefined) throw new DerError('certificate: validity time missing');
  return timeOf(node);
}

/** What Kyso reads from a certificate; the public key is still to be checked (node:crypto). */
export interface CertificateFields {
  /** The serialNumber INTEGER's contents (two's complement, as encoded). */
  readonly serial: Uint8Array;
  readonly issuer: readonly NameAttribute[];
  readonly subject: readonly NameAttribute[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The SubjectPublicKeyInfo element. */
  readonly spki: DerNode;
  readonly extensions: readonly CertificateExtension[];
}

/**
 * Reads a certificate (RFC 5280 §4.1): Certificate ::= SEQUENCE { tbsCertificate,
 * signatureAlgorithm, signatureValue BIT STRING }, with every field of tbsCertificate of its type:
 * what pkijs would take for a certificate, and not a CRL or a PKCS#7 bundle (SEQUENCEs too).
 * Throws DerError otherwise. Does not check the signature, nor that the key is one Kyso can use.
 */
export function readCertificateFields(certificate: DerNode): CertificateFields {
  const [tbsNode, algorithm, signature] = children(field(certificate, Tag.sequence, 'Certificate'));
  algorithmIdentifier(algorithm, 'signatureAlgorithm');
  field(signature, Tag.bitString, 'signatureValue');
  const tbs = children(field(tbsNode, Tag.sequence, 'tbsCertificate'));
  let i = 0;
  if (isContext(tbs[0], 0)) {
    // version [0] EXPLICIT Version DEFAULT v1, Version ::= INTEGER
    field(tbs[0].constructed ? children(tbs[0])[0] : undefined, Tag.integer, 'version');
    i++;
  }
  const serial = integerBytesOf(field(tbs[i++], Tag.integer, 'serialNumber'));
  algorithmIdentifier(tbs[i++], 'signature');
  const issuer = readName(field(tbs[i++], Tag.sequence, 'issuer'), 'issuer');
  const [notBefore, notAfter] = children(field(tbs[i++], Tag.sequence, 'validity'));
  const subject = readName(field(tbs[i++], Tag.sequence, 'subject'), 'subject');
  const spki = field(tbs[i++], Tag.sequence, 'subjectPublicKeyInfo');
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  const [keyAlgorithm, key] = children(spki);
  algorithmIdentifier(keyAlgorithm, 'subjectPublicKeyInfo');
  field(key, Tag.bitString, 'subjectPublicKey');
  // then [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions, each optional
  const extensions = readExtensions(tbs.slice(i).find((n) => isContext(n, 3)));
  return {
    serial,
    issuer,
    subject,
    notBefore: readTime(notBefore),
    notAfter: readTime(notAfter),
    spki,
    extensions,
  };
}

/**
 * The parts of a certificate Kyso reads, straight from the DER with the small reader of
 * asn1/der-reader: pkijs and asn1js would do the same but cost start-up time on the signing path.
 * Bytes after the certificate are ignored, as asn1js ignored them.
 */
function readTbs(der: Uint8Array): CertificateFields {
  const certificate = readDer(der);
  assertWellFormed(certificate);
  return readCertificateFields(certificate);
}

/**
 * Parsed once per certificate object: the token listing, the signing orchestration and a batch of
 * hundreds of documents all ask about the same bytes. Keyed by the array itself, which the result
 * holds as `der`.
 */
const parsed = new WeakMap<Uint8Array, CertificateInfo>();

export function parseCertificate(der: Uint8Array): CertificateInfo {
  const known = parsed.get(der);
  if (known !== undefined) return known;
  const info = readCertificateInfo(der);
  parsed.set(der, info);
  return info;
}

function readCertificateInfo(der: Uint8Array): CertificateInfo {
  let tbs: CertificateFields;
  try {
    tbs = readTbs(der);
  } catch (cause) {
    throw new KysoError('CERT_INVALID', 'The certificate cannot be parsed.', { cause });
  }
  // its own bytes, as the re-encoding by asn1js gave: not a view into the caller's buffer
  const spki = new Uint8Array(encodedOf(tbs.spki));
  let key: CertificateInfo['key'];
  try {
    const pub = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    const details = pub.asymmetricKeyDetails ?? {};
    if (pub.asymmetricKeyType === 'rsa' || pub.asymmetricKeyType === 'rsa-pss') {
      key = { kind: 'rsa', bits: details.modulusLength ?? 0 };
    } else if (pub.asymmetricKeyType === 'ec') {
      const curve = CURVES[details.namedCurve ?? ''];
      if (!curve) throw new Error(`curve ${details.namedCurve ?? '?'}`);
      key = { kind: 'ec', curve, bits: curve === 'P-256' ? 256 : curve === 'P-384' ? 384 : 521 };
    } else {
      throw new Error(`key type ${pub.asymmetricKeyType ?? '?'}`);
    }
  } catch (cause) {
    throw new KysoError('KEY_UNSUPPORTED', 'The certificate holds a key type Kyso cannot use.', { cause });
  }
  const { subject, issuer } = tbs;
  const find = (type: string): string | undefined =>
    [...subject].reverse().find((a) => a.type === type)?.value;
  return {
    der,
    subject,
    issuer,
    subjectDN: formatDN(subject),
    issuerDN: formatDN(issuer),
    subjectCN: find('CN'),
    subjectOrganization: find('O'),
    subjectTitle: find('title'),
    serialHex: hex(tbs.serial).replace(/^(00)+(?=.)/, ''),
    notBefore: tbs.notBefore,
    notAfter: tbs.notAfter,
    keyUsage: readKeyUsage(tbs.extensions),
    extendedKeyUsage: readExtendedKeyUsage(tbs.extensions),
    isCA: readIsCA(tbs.extensions),
    key,
    spki,
    sha256: createHash('sha256').update(der).digest('hex'),
  };
}

/** Signing needs digitalSignature or nonRepudiation (contentCommitment) when keyUsage is present. */
export function allowsSigning(info: CertificateInfo): boolean {
  return (
    info.keyUsage === undefined ||
    info.keyUsage.includes('digitalSignature') ||
    info.keyUsage.includes('nonRepudiation')
  );
}
