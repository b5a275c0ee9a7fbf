// Certificates met during verification (in the CMS, the DSS, timestamp tokens, OCSP responses and
// the trust store), each parsed once and identified by its SHA-256 fingerprint.
import { X509Certificate, createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCertificate, type CertificateInfo } from '../x509/certificate-info.js';

export interface PoolCertificate {
  readonly der: Uint8Array;
  readonly cert: pkijs.Certificate;
  readonly x509: X509Certificate;
  /** SHA-256 of the DER, lowercase hex. */
  readonly fingerprint: string;
  /** Names, validity, usages; undefined when the key type is one Kyso cannot describe. */
  readonly info: CertificateInfo | undefined;
  /** DER of the SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
}

/**
 * Parsed certificates by fingerprint: the same CA and signer certificates come back in every
 * document of a batch, and parsing them (pkijs, node:crypto) is most of a verification's time.
 */
const parsedCache = new Map<string, PoolCertificate>();
const PARSED_CACHE_SIZE = 512;

/** Parses one certificate; undefined when `der` is not one. */
export function readCertificate(der: Uint8Array): PoolCertificate | undefined {
  const fingerprint = createHash('sha256').update(der).digest('hex');
  const cached = parsedCache.get(fingerprint);
  if (cached !== undefined) return cached;
  const parsed = parseCertificateDer(der, fingerprint);
  if (parsed !== undefined) {
    parsedCache.set(fingerprint, parsed);
    if (parsedCache.size > PARSED_CACHE_SIZE) {
      const oldest = parsedCache.keys().next().value;
      if (oldest !== undefined) parsedCache.delete(oldest);
    }
  }
  return parsed;
}

function parseCertificateDer(der: Uint8Array, fingerprint: string): PoolCertificate | undefined {
  const copy = new Uint8Array(der);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(Buffer.from(copy));
  } catch {
    return undefined;
  }
  // The pkijs structure and Kyso's description are read on first use: a trust list of CAs that a
  // document never reaches costs only the X509Certificate that path building compares names with.
  let cert: pkijs.Certificate | undefined;
  let info: { value: CertificateInfo | undefined } | undefined;
  let spki: Uint8Array | undefined;
  return {
    der: copy,
    x509,
    fingerprint,
    get cert(): pkijs.Certificate {
      cert ??= pkijs.Certificate.fromBER(copy);
      return cert;
    },
    get info(): CertificateInfo | undefined {
      if (info === undefined) {
        try {
          info = { value: parseCertificate(copy) };
        } catch {
          info = { value: undefined };
        }
      }
      return info.value;
    },
    get spki(): Uint8Array {
      spki ??= new Uint8Array(this.cert.subjectPublicKeyInfo.toSchema().toBER(false));
      return spki;
    },
  };
}

/** A set of certificates without duplicates, in insertion order. */
export class CertificatePool {
  private readonly byFingerprint = new Map<string, PoolCertificate>();

  constructor(ders: Iterable<Uint8Array> = []) {
    for (const der of ders) this.add(der);
  }

  add(der: Uint8Array): PoolCertificate | undefined {
    const c = readCertificate(der);
    if (c === undefined) return undefined;
    const known = this.byFingerprint.get(c.fingerprint);
    if (known !== undefined) return known;
    this.byFingerprint.set(c.fingerprint, c);
    return c;
  }

  addAll(ders: Iterable<Uint8Array>): void {
    for (const der of ders) this.add(der);
  }

  has(fingerprint: string): boolean {
    return this.byFingerprint.has(fingerprint);
  }

  all(): PoolCertificate[] {
    return [...this.byFingerprint.values()];
  }

  get size(): number {
    return this.byFingerprint.size;
  }
}

/** The subject key identifier extension's value, if present. */
export function subjectKeyIdentifier(cert: pkijs.Certificate): Uint8Array | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
  return ext?.parsedValue instanceof asn1js.OctetString
    ? new Uint8Array(ext.parsedValue.valueBlock.valueHexView)
    : undefined;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The CN, else the whole DN, else the fingerprint: how a certificate is named to a person. */
export function displayName(c: PoolCertificate): string {
  return c.info?.subjectCN ?? c.info?.subjectDN ?? c.x509.subject.replace(/\n/g, ', ');
}

/** DER of the certificate's subject Name exactly as the CA wrote it (OCSP CertIDs hash these bytes). */
export function subjectNameDer(c: PoolCertificate): Uint8Array {
  const parsed = asn1js.fromBER(new Uint8Array(c.der));
  const cert = parsed.result;
  const tbs = cert instanceof asn1js.Sequence ? cert.valueBlock.value[0] : undefined;
  if (tbs instanceof asn1js.Sequence) {
    const fields = tbs.valueBlock.value;
    const first = fields[0];
    const offset =
      first !== undefined && first.idBlock.tagClass === 3 && first.idBlock.tagNumber === 0 ? 1 : 0;
    // serialNumber, signature, issuer, validity, subject
    const subject = fields[offset + 4];
    if (subject !== undefined) return new Uint8Array(subject.valueBeforeDecodeView);
  }
  return new Uint8Array(c.cert.subject.toSchema().toBER(false));
}
