// Reads the facts a user and the engine need from an X.509 certificate (RFC 5280): names in UTF-8,
// serial, validity, key usage, key type and size. Used by the token layer, signing and verification.
import { createPublicKey, createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
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

function attributeValue(value: unknown): string {
  // pkijs gives every string type a valueBlock.value; BMPString/UniversalString are decoded already.
  const block = (value as { valueBlock?: { value?: unknown } }).valueBlock;
  if (block && typeof block.value === 'string') return block.value;
  return '';
}

function readName(name: pkijs.RelativeDistinguishedNames): NameAttribute[] {
  return name.typesAndValues.map((tv) => ({
    oid: tv.type,
    type: NAME_TYPES[tv.type] ?? tv.type,
    value: attributeValue(tv.value).normalize('NFC'),
  }));
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

function readKeyUsage(cert: pkijs.Certificate): KeyUsageName[] | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.15');
  if (!ext) return undefined;
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  const bits = parsed.result as asn1js.BitString;
  const bytes = bits.valueBlock.valueHexView;
  const used: KeyUsageName[] = [];
  KEY_USAGE_BITS.forEach((usage, i) => {
    const byte = bytes[i >> 3] ?? 0;
    if (byte & (0x80 >> (i & 7))) used.push(usage);
  });
  return used;
}

function readExtendedKeyUsage(cert: pkijs.Certificate): string[] | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.37');
  if (!ext) return undefined;
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result as asn1js.Sequence;
  return parsed.valueBlock.value.map((v) => (v as asn1js.ObjectIdentifier).valueBlock.toString());
}

function readIsCA(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.19');
  if (!ext) return false;
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result as asn1js.Sequence;
  const first = parsed.valueBlock.value[0];
  return first instanceof asn1js.Boolean ? first.valueBlock.value : false;
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(der);
  } catch (cause) {
    throw new KysoError('CERT_INVALID', 'The certificate cannot be parsed.', { cause });
  }
  const spki = new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false));
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
  const subject = readName(cert.subject);
  const issuer = readName(cert.issuer);
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
    serialHex: hex(cert.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, ''),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    keyUsage: readKeyUsage(cert),
    extendedKeyUsage: readExtendedKeyUsage(cert),
    isCA: readIsCA(cert),
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
