// The hand-written DER pieces of the CMS builder against asn1js: OBJECT IDENTIFIER and INTEGER
// encodings, and the issuer/serial that certificateIdentity copies out of a certificate (pkijs).
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isKysoError } from '../../../src/shared/errors.js';
import { OID } from '../../../src/signing/cms/algorithms.js';
import { certificateIdentity } from '../../../src/signing/cms/certificate.js';
import { integer, oid } from '../../../src/signing/cms/der.js';
import { pkiFile } from '../../support/fixtures.js';
import { certificateCorpus } from '../x509/certificate-corpus.js';

const hex = (b: Uint8Array | ArrayBuffer): string =>
  Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');

describe('oid', () => {
  it('encodes as asn1js does, large arcs included', () => {
    const values = [
      ...Object.values(OID),
      '2.5.4.3',
      '0.9.2342.19200300.100.1.1',
      '1.2.840.113549.1.9.16.2.47',
      '1.3.6.1.4.1.311.21.7',
      '2.16.704.1.2.1.2.3',
      '2.999.1',
      '1.2.3.127.128.16383.16384.2097151.2097152',
      '1.2.4294967295.4294967296.9007199254740991',
      '2.25.329800735698586629295641978511506172918',
    ];
    for (const value of values) {
      expect(hex(oid(value)), value).toBe(hex(new asn1js.ObjectIdentifier({ value }).toBER(false)));
    }
  });

  it('gives a fresh copy each time (the cache is not exposed)', () => {
    const a = oid(OID.data);
    a[2] = 0;
    expect(hex(oid(OID.data))).toBe(hex(new asn1js.ObjectIdentifier({ value: OID.data }).toBER(false)));
  });

  it('refuses what is not an object identifier', () => {
    for (const value of ['', '1', '3.1', '1.40', '1..2', '1.2.x', ' 1.2']) {
      expect(() => oid(value), value).toThrow(RangeError);
    }
  });
});

describe('integer', () => {
  it('encodes as asn1js does, with a leading 00 when the high bit is set', () => {
    const values = [
      0,
      1,
      127,
      128,
      255,
      256,
      32767,
      32768,
      65535,
      65536,
      2 ** 23,
      2 ** 24 - 1,
      2 ** 31 - 1,
      2 ** 31,
    ];
    for (let v = 1; v < 2 ** 31; v = Math.floor(v * 1.37) + 1) values.push(v, v - 1, v + 1);
    values.push(-1, -128, -129, -256, -32768, -32769, 2 ** 32, 2 ** 53 - 1);
    for (const value of values) {
      expect(hex(integer(value)), String(value)).toBe(hex(new asn1js.Integer({ value }).toBER(false)));
    }
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(2 ** 31))).toBe('02050080000000');
    expect(hex(integer(Uint8Array.of(0x12, 0x34)))).toBe('02021234');
  });

  it('refuses what is not a safe integer', () => {
    for (const value of [0.5, Number.NaN, 2 ** 53, Infinity])
      expect(() => integer(value)).toThrow(RangeError);
  });
});

describe('certificateIdentity', () => {
  let corpus: ReturnType<typeof certificateCorpus>;
  beforeAll(() => {
    corpus = certificateCorpus();
  });

  it('gives the issuer Name and serialNumber DER that pkijs finds, for every corpus certificate', () => {
    expect(corpus.certificates.length).toBeGreaterThan(170); // 184 distinct in the test PKI and test/corpus
    for (const { der, source } of corpus.certificates) {
      const cert = pkijs.Certificate.fromBER(der);
      const identity = certificateIdentity(der);
      expect(hex(identity.issuer), source).toBe(hex(cert.issuer.toSchema().toBER(false)));
      expect(hex(identity.serialNumber), source).toBe(hex(cert.serialNumber.toBER(false)));
      // as encoded in the certificate, byte for byte
      expect(Buffer.from(der).includes(Buffer.from(identity.issuer)), source).toBe(true);
    }
  });

  it('copies: later changes to the certificate bytes do not reach the identity', () => {
    const der = new Uint8Array(readFileSync(pkiFile('agency-rsa3072.cert.der')));
    const identity = certificateIdentity(der);
    const before = hex(identity.serialNumber);
    der.fill(0);
    expect(hex(identity.serialNumber)).toBe(before);
  });

  it('refuses what is not exactly one certificate with CERT_INVALID', () => {
    const der = new Uint8Array(readFileSync(pkiFile('agency-rsa3072.cert.der')));
    for (const bytes of [
      new Uint8Array(),
      der.subarray(0, der.length - 1),
      Uint8Array.from([...der, 0]),
      new Uint8Array(readFileSync(pkiFile('intermediate-ca.crl.der'))).subarray(0, 4),
      Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01),
    ]) {
      let error: unknown;
      try {
        certificateIdentity(new Uint8Array(bytes));
      } catch (e) {
        error = e;
      }
      expect(isKysoError(error) && error.code).toBe('CERT_INVALID');
    }
  });
});
