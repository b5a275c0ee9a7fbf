// The bridge's TLS certificate for wss://127.0.0.1: made once per installation and kept in
// <KYSO_HOME>/bridge/tls/. It is a small chain so that IT staff trust one certificate that cannot be
// abused: a local CA whose key is thrown away as soon as it has signed the server certificate (never
// written anywhere) and whose name constraints allow only localhost, 127.0.0.1 and ::1. Trusting it
// therefore lets nobody, not even a program that reads this folder, mint a certificate for another
// site. The server key is written with mode 0600 and never logged.
import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type forgeModule from 'node-forge';
import { KysoError } from '../../shared/errors.js';

const require = createRequire(import.meta.url);

/** Apple platforms refuse TLS server certificates valid for longer than 825 days. */
const VALIDITY_DAYS = 825;
/** A new certificate is made this long before the old one expires (IT must then trust it again). */
const RENEW_BEFORE_DAYS = 30;

export interface LocalCertificate {
  /** The server certificate and the local CA, PEM: what the TLS server presents. */
  readonly certPem: string;
  readonly keyPem: string;
  /** The local CA certificate IT staff install as trusted (also written as kyso-bridge-ca.crt). */
  readonly caPem: string;
  readonly caPath: string;
  /** SHA-256 fingerprint of the CA certificate, AA:BB:… as certutil and browsers show it. */
  readonly caFingerprint: string;
  readonly notAfter: Date;
  /** True when this call made the certificate (first start, or the old one was near its end). */
  readonly created: boolean;
}

export function certificateFolder(home: string): string {
  return path.join(home, 'bridge', 'tls');
}

function fingerprint(pem: string): string {
  const der = new X509Certificate(pem).raw;
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

/** Loads the installation's certificate, making it on first use (or when it nears its end). */
export async function ensureLocalCertificate(
  home: string,
  now: Date = new Date(),
): Promise<LocalCertificate> {
  const dir = certificateFolder(home);
  const files = {
    cert: path.join(dir, 'server.crt'),
    key: path.join(dir, 'server.key'),
    ca: path.join(dir, 'kyso-bridge-ca.crt'),
  };
  let stored: { cert: string; key: string; ca: string } | undefined;
  try {
    stored = {
      cert: await readFile(files.cert, 'utf8'),
      key: await readFile(files.key, 'utf8'),
      ca: await readFile(files.ca, 'utf8'),
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(dir, err);
  }
  if (stored !== undefined) {
    let notAfter: Date;
    try {
      const x = new X509Certificate(stored.cert);
      if (!x.checkPrivateKey(createPrivateKey(stored.key))) {
        throw new Error('the key does not match the certificate');
      }
      notAfter = new Date(x.validTo);
    } catch (err) {
      throw unreadable(dir, err);
    }
    if (notAfter.getTime() - now.getTime() > RENEW_BEFORE_DAYS * 86_400_000) {
      // A key whose mode someone widened is made private again.
      await chmod(files.key, 0o600);
      return {
        certPem: stored.cert + stored.ca,
        keyPem: stored.key,
        caPem: stored.ca,
        caPath: files.ca,
        caFingerprint: fingerprint(stored.ca),
        notAfter,
        created: false,
      };
    }
  }
  const made = makeCertificates(now);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Each file is complete before it has its name; the key is private from its first byte.
  const put = async (file: string, data: string, mode: number): Promise<void> => {
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await chmod(tmp, mode);
    await rename(tmp, file);
  };
  await put(files.key, made.keyPem, 0o600);
  await put(files.cert, made.certPem, 0o644);
  await put(files.ca, made.caPem, 0o644);
  return {
    certPem: made.certPem + made.caPem,
    keyPem: made.keyPem,
    caPem: made.caPem,
    caPath: files.ca,
    caFingerprint: fingerprint(made.caPem),
    notAfter: made.notAfter,
    created: true,
  };
}

function unreadable(dir: string, cause: unknown): KysoError {
  return new KysoError('BRIDGE_CERTIFICATE_UNREADABLE', `Cannot read the certificate in ${dir}.`, {
    details: { path: dir },
    cause,
  });
}

function makeCertificates(now: Date): { certPem: string; keyPem: string; caPem: string; notAfter: Date } {
  const forge = require('node-forge') as typeof forgeModule;
  const { pki, asn1 } = forge;
  // Keys from Node's crypto (fast, native); node-forge only writes the certificates.
  const keyPair = (): {
    privateKey: forgeModule.pki.rsa.PrivateKey;
    publicKey: forgeModule.pki.rsa.PublicKey;
  } => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const priv = pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const rsa = priv as forgeModule.pki.rsa.PrivateKey;
    return { privateKey: rsa, publicKey: pki.setRsaPublicKey(rsa.n, rsa.e) };
  };
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + VALIDITY_DAYS * 86_400_000);
  const serial = (): string => {
    const b = randomBytes(16);
    b[0] = (b[0] ?? 0) & 0x7f;
    return b.toString('hex');
  };
  const machine = os.hostname().slice(0, 40);
  const tag = randomBytes(4).toString('hex');

  const ca = keyPair();
  const caCert = pki.createCertificate();
  caCert.serialNumber = serial();
  caCert.validity.notBefore = notBefore;
  caCert.validity.notAfter = notAfter;
  const caName = [
    { name: 'commonName', value: `Kyso bridge local CA ${machine} ${tag}` },
    { name: 'organizationName', value: 'Kyso (local, this computer only)' },
  ];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.publicKey = ca.publicKey;
  // permittedSubtrees: dNSName localhost, iPAddress 127.0.0.1/32, iPAddress ::1/128.
  const ctx = (tag: number, bytes: string) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, bytes);
  const subtree = (base: forgeModule.asn1.Asn1) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [base]);
  const ipv6Loopback = `${'\0'.repeat(15)}\x01`;
  const nameConstraints = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      subtree(ctx(2, 'localhost')),
      subtree(ctx(7, '\x7f\0\0\x01\xff\xff\xff\xff')),
      subtree(ctx(7, ipv6Loopback + '\xff'.repeat(16))),
    ]),
  ]);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { id: '2.5.29.30', critical: true, value: nameConstraints },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const server = keyPair();
  const cert = pki.createCertificate();
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caName);
  cert.publicKey = server.publicKey;
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  // The CA's private key goes out of scope here, never serialised: nothing can sign with it again.
  return {
    certPem: pki.certificateToPem(cert),
    keyPem: pki.privateKeyToPem(server.privateKey),
    caPem: pki.certificateToPem(caCert),
    notAfter,
  };
}
