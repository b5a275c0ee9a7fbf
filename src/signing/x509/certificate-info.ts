// Reads the facts a user and the engine need from an X.509 certificate (RFC 5280): names in UTF-8,
// serial, validity, key usage, key type and size. Used by the token layer, signing and verification.
import { createPublicKey, createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
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

const NAME_TYPES: Readonly<Record<string, string>> = {
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

function attributeValue(value: asn1js.AsnType | undefined): string {
  // Every string type carries its text in valueBlock.value; BMPString/UniversalString come decoded.
  const block = (value as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock;
  return block && typeof block.value === 'string' ? block.value : '';
}

/** Name ::= SEQUENCE OF SET OF AttributeTypeAndValue, in encoding order. */
function readName(name: asn1js.AsnType | undefined): NameAttribute[] {
  const out: NameAttribute[] = [];
  for (const rdn of items(name)) {
    for (const atv of items(rdn)) {
      const [type, value] = items(atv);
      const oidText = type instanceof asn1js.ObjectIdentifier ? type.valueBlock.toString() : '';
      out.push({
        oid: oidText,
        type: NAME_TYPES[oidText] ?? oidText,
        value: attributeValue(value).normalize('NFC'),
      });
    }
  }
  return out;
}

/** The elements of a constructed value (SEQUENCE, SET, or an explicit tag), else none. */
function items(node: asn1js.AsnType | undefined): asn1js.AsnType[] {
  const value = (node as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
  return Array.isArray(value) ? (value as asn1js.AsnType[]) : [];
}

function isContextTag(node: asn1js.AsnType | undefined, n: number): boolean {
  const id = (node as { idBlock?: { tagClass?: number; tagNumber?: number } } | undefined)?.idBlock;
  return id?.tagClass === 3 && id.tagNumber === n;
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

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
}

interface Extension {
  readonly oid: string;
  readonly value: Uint8Array;
}

function readExtensions(node: asn1js.AsnType | undefined): Extension[] {
  return items(items(node)[0]).flatMap((ext) => {
    const parts = items(ext);
    const id = parts[0];
    const value = parts[parts.length - 1];
    if (!(id instanceof asn1js.ObjectIdentifier) || !(value instanceof asn1js.OctetString)) return [];
    return [{ oid: id.valueBlock.toString(), value: value.valueBlock.valueHexView }];
  });
}

function readKeyUsage(extensions: readonly Extension[]): KeyUsageName[] | undefined {
  const ext = extensions.find((e) => e.oid === '2.5.29.15');
  if (!ext) return undefined;
  const bits = asn1js.fromBER(ext.value).result;
  const bytes = bits instanceof asn1js.BitString ? bits.valueBlock.valueHexView : new Uint8Array();
  const used: KeyUsageName[] = [];
  KEY_USAGE_BITS.forEach((usage, i) => {
    const byte = bytes[i >> 3] ?? 0;
    if (byte & (0x80 >> (i & 7))) used.push(usage);
  });
  return used;
}

function readExtendedKeyUsage(extensions: readonly Extension[]): string[] | undefined {
  const ext = extensions.find((e) => e.oid === '2.5.29.37');
  if (!ext) return undefined;
  return items(asn1js.fromBER(ext.value).result).flatMap((v) =>
    v instanceof asn1js.ObjectIdentifier ? [v.valueBlock.toString()] : [],
  );
}

function readIsCA(extensions: readonly Extension[]): boolean {
  const ext = extensions.find((e) => e.oid === '2.5.29.19');
  if (!ext) return false;
  const first = items(asn1js.fromBER(ext.value).result)[0];
  return first instanceof asn1js.Boolean ? first.valueBlock.value : false;
}

function readTime(node: asn1js.AsnType | undefined): Date {
  if (node instanceof asn1js.UTCTime || node instanceof asn1js.GeneralizedTime) return node.toDate();
  throw new Error('validity time');
}

/**
 * The parts of a certificate Kyso reads (RFC 5280 §4.1), straight from the DER with asn1js:
 * pkijs would do the same but is the slowest module to load on the signing path.
 */
function readTbs(der: Uint8Array): {
  serial: Uint8Array;
  issuer: asn1js.AsnType | undefined;
  subject: asn1js.AsnType | undefined;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  extensions: Extension[];
} {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1) throw new Error(parsed.result.error);
  const tbs = items(items(parsed.result)[0]);
  let i = isContextTag(tbs[0], 0) ? 1 : 0; // [0] version
  const serial = tbs[i++];
  i++; // signature algorithm
  const issuer = tbs[i++];
  const validity = items(tbs[i++]);
  const subject = tbs[i++];
  const spkiNode = tbs[i++];
  const extensions = readExtensions(tbs.slice(i).find((n) => isContextTag(n, 3)));
  if (!(serial instanceof asn1js.Integer) || !spkiNode) throw new Error('certificate structure');
  return {
    serial: serial.valueBlock.valueHexView,
    issuer,
    subject,
    notBefore: readTime(validity[0]),
    notAfter: readTime(validity[1]),
    spki: new Uint8Array(spkiNode.toBER(false)),
    extensions,
  };
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  let tbs: ReturnType<typeof readTbs>;
  try {
    tbs = readTbs(der);
  } catch (cause) {
    throw new KysoError('CERT_INVALID', 'The certificate cannot be parsed.', { cause });
  }
  const spki = tbs.spki;
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
  const subject = readName(tbs.subject);
  const issuer = readName(tbs.issuer);
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
