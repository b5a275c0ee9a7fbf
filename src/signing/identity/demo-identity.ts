// The demo identity: a software RSA key with a certificate from a throwaway "Kyso Demo CA", made on
// first use in <KYSO_HOME>/demo/ so that anyone can try Kyso without a token. Every name in it
// says that it has no legal value. Certificates are built with pkijs (no openssl on Windows).
import {
  X509Certificate,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KysoError } from '../../shared/errors.js';
import { octetString, oid, sequence, set, tlv } from '../cms/der.js';
import { encode } from '../cms/der-asn1js.js';
import { kysoHome } from '../home.js';
import { KeySigner } from './key-signer.js';
import { loadEffectiveSettings } from '../settings.js';

/** The phrase every demo certificate carries: "of no legal value". */
export const DEMO_NOTICE = 'KHÔNG CÓ GIÁ TRỊ PHÁP LÝ';

export const DEMO_ROOT_COMMON_NAME = `Kyso Demo CA — ${DEMO_NOTICE}`;
export const DEMO_USER_COMMON_NAME = 'Người dùng thử Kyso';
export const DEMO_USER_ORGANIZATION = `${DEMO_NOTICE} — chỉ dùng thử`;

const VALIDITY_YEARS = 5;
/** A demo identity this close to its end is replaced rather than reused. */
const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;

export interface DemoIdentityPaths {
  readonly dir: string;
  /** PEM: the private key (PKCS#8), the user's certificate, the demo root. Mode 0600. */
  readonly identity: string;
  /** DER of the demo root, for importing into a verifier's trust list. Mode 0600. */
  readonly root: string;
}

export function demoIdentityPaths(home: string = kysoHome()): DemoIdentityPaths {
  const dir = path.join(home, 'demo');
  return { dir, identity: path.join(dir, 'identity.pem'), root: path.join(dir, 'demo-root.cer') };
}

// --- certificate building ----------------------------------------------------------------------

const AT = {
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  commonName: '2.5.4.3',
};

/** A Name with one attribute per RDN: countryName as PrintableString, the rest as UTF8String. */
function name(attributes: readonly (readonly [string, string])[]): pkijs.RelativeDistinguishedNames {
  const der = sequence(
    ...attributes.map(([type, value]) => {
      const text =
        type === AT.country ? tlv(0x13, Buffer.from(value, 'ascii')) : tlv(0x0c, Buffer.from(value, 'utf8'));
      return set(sequence(oid(type), text));
    }),
  );
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(der).result });
}

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

function time(date: Date): pkijs.Time {
  // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050
  return new pkijs.Time({ type: date.getUTCFullYear() < 2050 ? 0 : 1, value: date });
}

function positiveSerial(): asn1js.Integer {
  const bytes = new Uint8Array(randomBytes(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return new asn1js.Integer({ valueHex: bytes });
}

/** KeyUsage BIT STRING with the named bits (0 = digitalSignature ... 6 = cRLSign), DER-minimal. */
function keyUsage(bits: readonly number[]): Uint8Array {
  let value = 0;
  for (const bit of bits) value |= 0x80 >> bit;
  let unused = 0;
  while (unused < 7 && (value & (1 << unused)) === 0) unused++;
  return tlv(0x03, Uint8Array.of(unused, value));
}

function extension(extnID: string, critical: boolean, value: Uint8Array): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: buffer(value) });
}

interface Issued {
  readonly der: Uint8Array;
  readonly keyId: Uint8Array;
}

interface CertificateSpec {
  readonly subject: pkijs.RelativeDistinguishedNames;
  /** The subject's key (private or public). */
  readonly subjectKey: KeyObject;
  readonly issuer:
    { readonly name: pkijs.RelativeDistinguishedNames; readonly keyId: Uint8Array } | undefined;
  readonly ca: boolean;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function issue(spec: CertificateSpec, signingKey: KeyObject): Issued {
  const spki = pkijs.PublicKeyInfo.fromBER(
    createPublicKey(spec.subjectKey).export({ type: 'spki', format: 'der' }),
  );
  // subjectKeyIdentifier, RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits
  const keyId = new Uint8Array(
    createHash('sha1').update(spki.subjectPublicKey.valueBlock.valueHexView).digest(),
  );
  const sha256WithRsa = (): pkijs.AlgorithmIdentifier =>
    new pkijs.AlgorithmIdentifier({
      algorithmId: '1.2.840.113549.1.1.11',
      algorithmParams: new asn1js.Null(),
    });

  const extensions = [
    extension('2.5.29.19', true, spec.ca ? sequence(Uint8Array.of(0x01, 0x01, 0xff)) : sequence()),
    extension('2.5.29.15', true, spec.ca ? keyUsage([5, 6]) : keyUsage([0, 1])),
    extension('2.5.29.14', false, octetString(keyId)),
  ];
  if (spec.issuer !== undefined) {
    // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING, ... }
    extensions.push(extension('2.5.29.35', false, sequence(tlv(0x80, spec.issuer.keyId))));
  }
  const certificate = new pkijs.Certificate({
    version: 2,
    serialNumber: positiveSerial(),
    signature: sha256WithRsa(),
    issuer: spec.issuer?.name ?? spec.subject,
    notBefore: time(spec.notBefore),
    notAfter: time(spec.notAfter),
    subject: spec.subject,
    subjectPublicKeyInfo: spki,
    extensions,
    signatureAlgorithm: sha256WithRsa(),
  });
  const tbs = encode(certificate.encodeTBS());
  certificate.signatureValue = new asn1js.BitString({ valueHex: cryptoSign('sha256', tbs, signingKey) });
  return { der: encode(certificate.toSchema(true)), keyId };
}

const generateRsaKey = (): Promise<KeyObject> =>
  new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, privateKey) =>
      error ? reject(error) : resolve(privateKey),
    );
  });

interface DemoMaterial {
  readonly key: KeyObject;
  readonly certificate: Uint8Array;
  readonly root: Uint8Array;
}

async function createMaterial(): Promise<DemoMaterial> {
  const [rootKey, userKey] = await Promise.all([generateRsaKey(), generateRsaKey()]);
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000); // an hour back, for clocks running slow
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);

  const rootName = name([
    [AT.country, 'VN'],
    [AT.organization, 'Kyso — phần mềm ký số (dùng thử)'],
    [AT.commonName, DEMO_ROOT_COMMON_NAME],
  ]);
  const root = issue(
    { subject: rootName, subjectKey: rootKey, issuer: undefined, ca: true, notBefore, notAfter },
    rootKey,
  );
  const user = issue(
    {
      subject: name([
        [AT.country, 'VN'],
        [AT.organization, DEMO_USER_ORGANIZATION],
        [AT.organizationalUnit, `Chứng thư số dùng thử của Kyso — ${DEMO_NOTICE}`],
        [AT.commonName, DEMO_USER_COMMON_NAME],
      ]),
      subjectKey: userKey,
      issuer: { name: rootName, keyId: root.keyId },
      ca: false,
      notBefore,
      notAfter,
    },
    rootKey,
  );
  // The root's private key is dropped here: nothing else can ever be issued under the demo root.
  return { key: userKey, certificate: user.der, root: root.der };
}

// --- storage -------------------------------------------------------------------------------------

function pem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function pemBlocks(text: string, label: string): Uint8Array[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`, 'g');
  return [...text.matchAll(pattern)].map((m) => new Uint8Array(Buffer.from(m[1] ?? '', 'base64')));
}

/** Writes `data` to `file` with mode 0600 through a temporary file and a rename. */
async function writePrivateFile(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, 0o600); // in case a umask or ACL widened it
    await rename(temp, file);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new KysoError('OUTPUT_NOT_WRITABLE', `cannot write the demo identity to ${file}`, {
      details: { path: path.dirname(file) },
      cause,
    });
  }
}

async function load(paths: DemoIdentityPaths): Promise<KeySigner | undefined> {
  let text: string;
  try {
    text = await readFile(paths.identity, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const [keyPem] = text.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/) ?? [];
    const [certificate, root] = pemBlocks(text, 'CERTIFICATE');
    if (keyPem === undefined || certificate === undefined || root === undefined) return undefined;
    const notAfter = new Date(new X509Certificate(certificate).validTo).getTime();
    if (!(notAfter - Date.now() > RENEW_BEFORE_MS)) return undefined;
    return new KeySigner(createPrivateKey(keyPem), certificate, [root]);
  } catch {
    return undefined; // damaged: made afresh
  }
}

async function create(paths: DemoIdentityPaths): Promise<KeySigner> {
  const material = await createMaterial();
  const signer = new KeySigner(material.key, material.certificate, [material.root]);
  try {
    await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new KysoError('OUTPUT_NOT_WRITABLE', `cannot create ${paths.dir}`, {
      details: { path: paths.dir },
      cause,
    });
  }
  const keyPem = material.key.export({ type: 'pkcs8', format: 'pem' });
  await writePrivateFile(
    paths.identity,
    `${keyPem.toString()}${pem('CERTIFICATE', material.certificate)}${pem('CERTIFICATE', material.root)}`,
  );
  await writePrivateFile(paths.root, material.root);
  return signer;
}

/** Creations under way, per identity file, so that concurrent first calls make one identity. */
const pending = new Map<string, Promise<KeySigner>>();

/**
 * The demo identity of `home`, created on first use and reused afterwards (renewed when it nears
 * the end of its 5 years or is damaged). Its chain holds the demo root.
 */
export async function openDemoIdentity(home: string = kysoHome()): Promise<KeySigner> {
  // The settings (or the machine policy) may forbid the demo identity on this computer.
  (await loadEffectiveSettings(home)).assertIdentityAllowed('demo');
  const paths = demoIdentityPaths(home);
  const existing = await load(paths);
  if (existing !== undefined) return existing;
  const inFlight = pending.get(paths.identity);
  if (inFlight !== undefined) return inFlight;
  const creation = create(paths).finally(() => pending.delete(paths.identity));
  pending.set(paths.identity, creation);
  return creation;
}

/** DER of the demo root of `home` (creating the demo identity if need be), to trust in a verifier. */
export async function demoRootCertificate(home: string = kysoHome()): Promise<Uint8Array> {
  const signer = await openDemoIdentity(home);
  const root = signer.chain[0];
  if (root === undefined) throw new KysoError('INTERNAL', 'the demo identity has no root');
  return root;
}

/** Whether a certificate is a Kyso demo certificate (its subject carries {@link DEMO_NOTICE}). */
export function isDemoCertificate(der: Uint8Array): boolean {
  try {
    return new X509Certificate(der).subject.includes(DEMO_NOTICE);
  } catch {
    return false;
  }
}
