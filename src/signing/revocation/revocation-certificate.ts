// A certificate as the revocation clients need it (RFC 5280): parsed once with pkijs and node:crypto,
// named by its SHA-256 fingerprint, with the URLs of its Authority Information Access (OCSP,
// caIssuers), CRL distribution points and freshest-CRL (delta) extensions.
import { X509Certificate, createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const EXT = {
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  crlDistributionPoints: '2.5.29.31',
  freshestCrl: '2.5.29.46',
  extKeyUsage: '2.5.29.37',
  keyUsage: '2.5.29.15',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  crlReason: '2.5.29.21',
} as const;

const AD_OCSP = '1.3.6.1.5.5.7.48.1';
const AD_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
const KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

export interface RevocationCertificate {
  readonly der: Uint8Array;
  readonly cert: pkijs.Certificate;
  readonly x509: X509Certificate;
  /** SHA-256 of the DER, lowercase hex. */
  readonly fingerprint: string;
  /** CN, else the whole subject: how a certificate is named to a person. */
  readonly name: string;
}

/** Parses a certificate; undefined when `der` is not one. */
export function readRevocationCertificate(der: Uint8Array): RevocationCertificate | undefined {
  try {
    const copy = new Uint8Array(der);
    const cert = pkijs.Certificate.fromBER(copy);
    const x509 = new X509Certificate(Buffer.from(copy));
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1];
    return {
      der: copy,
      cert,
      x509,
      fingerprint: createHash('sha256').update(copy).digest('hex'),
      name: cn ?? x509.subject.replace(/\n/g, ', '),
    };
  } catch {
    return undefined;
  }
}

/** `issuer` issued `child`: names chain and the signature verifies with the issuer's key. */
export function isIssuedBy(child: RevocationCertificate, issuer: RevocationCertificate): boolean {
  try {
    return child.x509.checkIssued(issuer.x509) && child.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

export function isSelfSigned(c: RevocationCertificate): boolean {
  return isIssuedBy(c, c);
}

function extension(c: RevocationCertificate, oid: string): pkijs.Extension | undefined {
  return c.cert.extensions?.find((e) => e.extnID === oid);
}

function uris(names: readonly pkijs.GeneralName[] | undefined): string[] {
  return (names ?? [])
    .filter((n) => n.type === 6 && typeof n.value === 'string')
    .map((n) => String(n.value).trim())
    .filter((u) => /^https?:\/\//i.test(u));
}

function accessLocations(c: RevocationCertificate, method: string): string[] {
  const parsed: unknown = extension(c, EXT.authorityInfoAccess)?.parsedValue;
  if (!(parsed instanceof pkijs.InfoAccess)) return [];
  return uris(
    parsed.accessDescriptions.filter((d) => d.accessMethod === method).map((d) => d.accessLocation),
  );
}

function distributionPointUris(parsed: unknown): string[] {
  if (!(parsed instanceof pkijs.CRLDistributionPoints)) return [];
  return parsed.distributionPoints.flatMap((p) =>
    Array.isArray(p.distributionPoint) ? uris(p.distributionPoint) : [],
  );
}

/** OCSP responders named in the AIA extension (http/https only). */
export function ocspUrlsOf(c: RevocationCertificate): string[] {
  return accessLocations(c, AD_OCSP);
}

/** Where the issuer's certificate can be downloaded (AIA caIssuers). */
export function caIssuersUrlsOf(c: RevocationCertificate): string[] {
  return accessLocations(c, AD_CA_ISSUERS);
}

/** Full CRLs: the CRL distribution points extension. */
export function crlUrlsOf(c: RevocationCertificate): string[] {
  return distributionPointUris(extension(c, EXT.crlDistributionPoints)?.parsedValue);
}

/** Delta CRLs: the freshest CRL extension (same syntax as CRL distribution points). */
export function deltaCrlUrlsOfExtensions(extensions: readonly pkijs.Extension[] | undefined): string[] {
  const ext = extensions?.find((e) => e.extnID === EXT.freshestCrl);
  if (ext === undefined) return [];
  let parsed: unknown = ext.parsedValue;
  if (!(parsed instanceof pkijs.CRLDistributionPoints)) {
    try {
      const schema = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
      parsed = new pkijs.CRLDistributionPoints({ schema: schema.result });
    } catch {
      return [];
    }
  }
  return distributionPointUris(parsed);
}

/** A responder certificate that says it needs no revocation check (RFC 6960 §4.2.2.2.1). */
export function hasOcspNoCheck(c: RevocationCertificate): boolean {
  return extension(c, EXT.ocspNoCheck) !== undefined;
}

export function hasOcspSigningUsage(c: RevocationCertificate): boolean {
  const parsed: unknown = extension(c, EXT.extKeyUsage)?.parsedValue;
  return parsed instanceof pkijs.ExtKeyUsage && parsed.keyPurposes.includes(KP_OCSP_SIGNING);
}

/** The keyUsage bit `bit` (5 keyCertSign, 6 cRLSign); true when the extension is absent. */
export function allowsKeyUsage(c: RevocationCertificate, bit: number): boolean {
  const ext = extension(c, EXT.keyUsage);
  if (ext === undefined) return true;
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result;
  if (!(parsed instanceof asn1js.BitString)) return false;
  const bytes = parsed.valueBlock.valueHexView;
  return ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0;
}

/** DER of the certificate's subject Name exactly as written (OCSP CertIDs hash these bytes). */
export function subjectNameDer(c: RevocationCertificate): Uint8Array {
  const parsed = asn1js.fromBER(new Uint8Array(c.der)).result;
  const tbs = parsed instanceof asn1js.Sequence ? parsed.valueBlock.value[0] : undefined;
  if (tbs instanceof asn1js.Sequence) {
    const fields = tbs.valueBlock.value;
    const first = fields[0];
    const offset =
      first !== undefined && first.idBlock.tagClass === 3 && first.idBlock.tagNumber === 0 ? 1 : 0;
    const subject = fields[offset + 4];
    if (subject !== undefined) return new Uint8Array(subject.valueBeforeDecodeView);
  }
  return new Uint8Array(c.cert.subject.toSchema().toBER(false));
}

/** The subjectPublicKey BIT STRING's content (what an OCSP issuerKeyHash hashes). */
export function publicKeyBits(c: RevocationCertificate): Uint8Array {
  return new Uint8Array(c.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
}
