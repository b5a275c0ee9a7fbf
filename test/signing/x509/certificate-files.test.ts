// Certificate files as IT staff hand them over (PEM, DER, PKCS#7 in DER or PEM), read with the
// DER reader: the same certificates pkijs finds, for every file of the test PKI and test/corpus.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKysoError } from '../../../src/shared/errors.js';
import { parseCertificateBundle, readCertificateFiles } from '../../../src/signing/x509/certificate-files.js';
import { pkiFile } from '../../support/fixtures.js';
import { certificateFiles, pemBlocks } from './certificate-corpus.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-certfiles-'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const hex = (ders: readonly Uint8Array[]): string[] => ders.map((d) => Buffer.from(d).toString('hex'));
const der = (name: string): Uint8Array => new Uint8Array(readFileSync(pkiFile(name)));

/** What the pkijs-based reader found: each block a certificate, else a PKCS#7 bundle's certificates. */
function pkijsCertificates(bytes: Uint8Array): Uint8Array[] {
  return pemBlocks(bytes).flatMap((block) => {
    try {
      pkijs.Certificate.fromBER(block);
      return [block];
    } catch {
      try {
        const info = pkijs.ContentInfo.fromBER(block);
        if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) return [];
        const signed = new pkijs.SignedData({ schema: info.content });
        return (signed.certificates ?? [])
          .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
          .map((c) => new Uint8Array(c.toSchema().toBER(false)));
      } catch {
        return [];
      }
    }
  });
}

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

describe('parseCertificateBundle', () => {
  it('finds what pkijs finds in every certificate file of the test PKI and test/corpus', () => {
    const files = certificateFiles();
    expect(files.length).toBeGreaterThan(40);
    expect(files.some((f) => f.endsWith('.p7b'))).toBe(true);
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file));
      const expected = pkijsCertificates(bytes);
      expect(expected.length, file).toBeGreaterThan(0);
      expect(hex(parseCertificateBundle(bytes, file)), file).toEqual(hex(expected));
    }
  });

  it('reads a .p7b bundle made by openssl, in DER and in PEM, and ignores its CRLs', async () => {
    const chain = [der('chairman-rsa2048.cert.der'), der('intermediate-ca.der'), der('root-ca.der')];
    const p7b = path.join(dir, 'chain.p7b');
    const p7bPem = path.join(dir, 'chain-pem.p7b');
    const withCrl = path.join(dir, 'with-crl.p7c');
    const certs = ['chairman-rsa2048.cert.pem', 'intermediate-ca.pem', 'root-ca.pem'].flatMap((f) => [
      '-certfile',
      pkiFile(f),
    ]);
    openssl('crl2pkcs7', '-nocrl', ...certs, '-outform', 'DER', '-out', p7b);
    openssl('crl2pkcs7', '-nocrl', ...certs, '-outform', 'PEM', '-out', p7bPem);
    openssl(
      'crl2pkcs7',
      '-in',
      pkiFile('intermediate-ca.crl.pem'),
      ...certs,
      '-outform',
      'DER',
      '-out',
      withCrl,
    );

    for (const file of [p7b, p7bPem, withCrl]) {
      const found = parseCertificateBundle(new Uint8Array(readFileSync(file)), file);
      expect(hex(found), file).toEqual(hex(chain));
      // each its own fresh array, not a view into the file's bytes
      for (const cert of found)
        expect(cert.byteOffset === 0 && cert.byteLength === cert.buffer.byteLength).toBe(true);
    }
    expect(hex(await readCertificateFiles([p7b, pkiFile('deputy-p256.cert.pem')]))).toEqual(
      hex([...chain, der('deputy-p256.cert.der')]),
    );
  });

  it('reads PEM with several certificates, and DER', () => {
    const pem = readFileSync(pkiFile('chain.pem'));
    expect(hex(parseCertificateBundle(pem))).toEqual(hex([der('intermediate-ca.der'), der('root-ca.der')]));
    const single = der('clerk-p384.cert.der');
    expect(parseCertificateBundle(single)[0]).toBe(single);
  });

  it('drops bytes after a DER certificate', () => {
    const cert = der('clerk-p384.cert.der');
    const found = parseCertificateBundle(Uint8Array.from([...cert, 0x0d, 0x0a]));
    expect(hex(found)).toEqual(hex([cert]));
  });

  it('refuses a file without certificates: a CRL, a key, garbage, an empty p7b', () => {
    const empty = path.join(dir, 'empty.p7b');
    openssl('crl2pkcs7', '-in', pkiFile('intermediate-ca.crl.pem'), '-outform', 'DER', '-out', empty);
    for (const bytes of [
      readFileSync(pkiFile('intermediate-ca.crl.der')),
      readFileSync(pkiFile('chairman-rsa2048.key.pem')),
      Buffer.from('not a certificate'),
      readFileSync(empty),
      Buffer.alloc(0),
    ]) {
      let error: unknown;
      try {
        parseCertificateBundle(new Uint8Array(bytes), 'x.cer');
      } catch (e) {
        error = e;
      }
      expect(isKysoError(error) && error.code).toBe('CERT_INVALID');
    }
  });
});
