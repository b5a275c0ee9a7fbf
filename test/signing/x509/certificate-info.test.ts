// parseCertificate (hand-written DER reader) against pkijs/asn1js, field by field, for every
// certificate of the test PKI and of test/corpus (CA files and the certificates in the CMS of
// the signed PDFs); plus the malformed inputs it must refuse with CERT_INVALID.
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isKysoError } from '../../../src/shared/errors.js';
import {
  formatDN,
  parseCertificate,
  type CertificateInfo,
  type KeyUsageName,
  NAME_TYPES,
  type NameAttribute,
} from '../../../src/signing/x509/certificate-info.js';
import { pkiFile } from '../../support/fixtures.js';
import { certificateCorpus } from './certificate-corpus.js';

const KEY_USAGE: KeyUsageName[] = [
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

const CURVES: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** What pkijs, asn1js and node:crypto say about a certificate, in CertificateInfo's terms. */
function reference(
  der: Uint8Array,
): Omit<CertificateInfo, 'der' | 'key'> & { key: CertificateInfo['key'] | null } {
  const cert = pkijs.Certificate.fromBER(der);
  const names = (rdn: pkijs.RelativeDistinguishedNames): NameAttribute[] =>
    rdn.typesAndValues.map((tv) => {
      const value = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
      return {
        oid: tv.type,
        type: NAME_TYPES[tv.type] ?? tv.type,
        value: typeof value === 'string' ? value.normalize('NFC') : '',
      };
    });
  const extension = (oid: string): pkijs.Extension | undefined =>
    cert.extensions?.find((e) => e.extnID === oid);
  const keyUsageExt = extension('2.5.29.15');
  let keyUsage: KeyUsageName[] | undefined;
  if (keyUsageExt !== undefined) {
    const bits = asn1js.fromBER(keyUsageExt.extnValue.valueBlock.valueHexView).result;
    const octets = bits instanceof asn1js.BitString ? bits.valueBlock.valueHexView : new Uint8Array();
    keyUsage = KEY_USAGE.filter((_, i) => ((octets[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
  }
  const eku = extension('2.5.29.37')?.parsedValue as unknown;
  const basic = extension('2.5.29.19')?.parsedValue as unknown;
  // the SubjectPublicKeyInfo TLV as it is in the certificate (asn1js keeps the encoded bytes)
  const tbs = (asn1js.fromBER(der).result as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const fields = tbs.valueBlock.value;
  const spkiIndex = fields[0]?.idBlock.tagClass === 3 ? 6 : 5;
  const spki = new Uint8Array(fields[spkiIndex]!.valueBeforeDecodeView);

  let key: CertificateInfo['key'] | null = null;
  try {
    const publicKey = new X509Certificate(der).publicKey;
    const details = publicKey.asymmetricKeyDetails ?? {};
    const curve = CURVES[details.namedCurve ?? ''];
    if (publicKey.asymmetricKeyType === 'rsa' || publicKey.asymmetricKeyType === 'rsa-pss') {
      key = { kind: 'rsa', bits: details.modulusLength ?? 0 };
    } else if (publicKey.asymmetricKeyType === 'ec' && curve !== undefined) {
      key = { kind: 'ec', curve, bits: curve === 'P-256' ? 256 : curve === 'P-384' ? 384 : 521 };
    }
  } catch {
    key = null; // OpenSSL cannot read it either
  }

  const subject = names(cert.subject);
  const issuer = names(cert.issuer);
  const last = (type: string): string | undefined =>
    [...subject].reverse().find((a) => a.type === type)?.value;
  return {
    subject,
    issuer,
    subjectDN: formatDN(subject),
    issuerDN: formatDN(issuer),
    subjectCN: last('CN'),
    subjectOrganization: last('O'),
    subjectTitle: last('title'),
    serialHex: Buffer.from(cert.serialNumber.valueBlock.valueHexView)
      .toString('hex')
      .replace(/^(00)+(?=.)/, ''),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    keyUsage,
    extendedKeyUsage: eku instanceof pkijs.ExtKeyUsage ? eku.keyPurposes : undefined,
    isCA: basic instanceof pkijs.BasicConstraints ? basic.cA : false,
    key,
    spki,
    sha256: createHash('sha256').update(der).digest('hex'),
  };
}

function failureOf(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseCertificate against pkijs', () => {
  let corpus: ReturnType<typeof certificateCorpus>;
  beforeAll(() => {
    corpus = certificateCorpus();
  });

  it('finds the corpus it is meant to compare', () => {
    // the test PKI, the CA files of test/corpus, and many certificates from the signed PDFs
    expect(corpus.files.length).toBeGreaterThan(40);
    expect(corpus.signatures).toBeGreaterThan(300);
    // 184 distinct certificates when test/corpus was copied (test/corpus/copy-from-shared.mjs)
    expect(corpus.certificates.length).toBeGreaterThan(170);
    expect(corpus.certificates.some((c) => c.source.startsWith('pdf/'))).toBe(true);
    expect(corpus.certificates.some((c) => c.source.includes('trust/vn'))).toBe(true);
  });

  it('reads every certificate exactly as pkijs/asn1js (and node:crypto for the key) do', () => {
    const unsupported: string[] = [];
    let compared = 0;
    for (const { der, source } of corpus.certificates) {
      const expected = reference(der);
      if (expected.key === null) {
        // a key Kyso does not sign with (Ed25519, DSA, brainpool…): refused as before
        const error = failureOf(() => parseCertificate(der));
        expect(isKysoError(error) && error.code, source).toBe('KEY_UNSUPPORTED');
        unsupported.push(source);
        continue;
      }
      const info = parseCertificate(der);
      expect(info.der, source).toBe(der);
      expect({ ...info, der: undefined, spki: Buffer.from(info.spki) }, source).toEqual({
        ...expected,
        der: undefined,
        spki: Buffer.from(expected.spki),
      });
      compared++;
    }
    expect(compared).toBeGreaterThan(150); // 170 when test/corpus was copied
    // the corpus PDFs carry a few such certificates; far fewer than the ones compared
    expect(unsupported.length).toBeLessThan(compared / 4);
  });

  it('gives spki bytes of their own, not a view into the certificate', () => {
    const der = new Uint8Array(readFileSync(pkiFile('chairman-rsa2048.cert.der')));
    const info = parseCertificate(der);
    expect(info.spki.buffer).not.toBe(der.buffer);
    expect(Buffer.from(der).includes(Buffer.from(info.spki))).toBe(true);
  });

  it('ignores bytes after the certificate, as before', () => {
    const der = new Uint8Array(readFileSync(pkiFile('deputy-p256.cert.der')));
    const padded = Uint8Array.from([...der, 0, 0, 0]);
    expect(parseCertificate(padded).serialHex).toBe(parseCertificate(der).serialHex);
  });
});

describe('parseCertificate on malformed input', () => {
  const der = new Uint8Array(readFileSync(pkiFile('chairman-rsa2048.cert.der')));

  const code = (bytes: Uint8Array): unknown => {
    const error = failureOf(() => parseCertificate(bytes));
    return isKysoError(error) ? error.code : error;
  };

  it('refuses truncations and garbage with CERT_INVALID', () => {
    for (const length of [0, 1, 4, 10, 100, der.length - 1]) {
      expect(code(der.subarray(0, length)), `cut at ${length}`).toBe('CERT_INVALID');
    }
    expect(code(new Uint8Array(64).fill(0x30))).toBe('CERT_INVALID');
  });

  it('refuses a CRL, which is a SEQUENCE of three too', () => {
    const crl = new Uint8Array(readFileSync(pkiFile('intermediate-ca.crl.der')));
    expect(code(crl)).toBe('CERT_INVALID');
  });

  it('refuses an element that runs past its parent (asn1js read it "healed")', () => {
    // shorten the first RDN SET of the issuer by one: its SEQUENCE now overruns it
    const broken = new Uint8Array(der);
    const cert = new X509Certificate(der);
    expect(cert.issuer).toContain('VN');
    const setAt = Buffer.from(broken).indexOf(Buffer.from('310b3009060355040613', 'hex'));
    expect(setAt).toBeGreaterThan(0);
    broken[setAt + 1] = 0x0a;
    expect(code(broken)).toBe('CERT_INVALID');
  });

  it('refuses a validity that is not a real date', () => {
    // the first UTCTime (notBefore): tag 0x17, length 13, YYMMDDhhmmssZ
    const at = Buffer.from(der).indexOf(Buffer.from([0x17, 0x0d]));
    expect(at).toBeGreaterThan(0);
    const broken = new Uint8Array(der);
    broken.set(Buffer.from('991399', 'latin1'), at + 2); // month 13
    expect(code(broken)).toBe('CERT_INVALID');
  });
});
