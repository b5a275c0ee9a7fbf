// The trust store: the roots a verification trusts, and intermediates that help build paths to them.
// Certificates come from files (PEM, DER, PKCS#7 bundles), folders, and the app's managed store in
// <KYSO_HOME>/trust/ that IT staff import into, list and remove from. A self-signed certificate is a
// trust anchor; any other certificate only helps build a path, so trusting an intermediate by
// mistake never makes everything under an unknown root valid. Anchors are matched by their bytes
// (fingerprint) and by signature, never by name.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import { kysoHome } from '../home.js';
import { parseCertificateBundle, readCertificateFiles } from '../x509/certificate-files.js';
import { builtinCertificates, readDisabledFingerprints } from './builtin-trust.js';
import { readCertificate, type PoolCertificate } from './certificate-pool.js';
import { assertTrustStoreWritable, trustSourcesInUse } from './trust-lock.js';

export interface TrustedCertificate {
  /** SHA-256 of the DER, lowercase hex: how IT staff compare it with the CA's publication. */
  readonly fingerprint: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** Self-signed: a trust anchor. Otherwise an intermediate that only helps build paths. */
  readonly anchor: boolean;
  /** Where it came from: a file path, "managed" or "builtin". */
  readonly source: string;
}

/** Which part of the trust configuration anchored a chain (reported with every valid path). */
export type TrustSource = 'builtin' | 'managed' | 'file';

interface Entry {
  readonly cert: PoolCertificate;
  readonly anchor: boolean;
  readonly source: string;
}

function isSelfSigned(c: PoolCertificate): boolean {
  try {
    return c.x509.checkIssued(c.x509) && c.x509.verify(c.x509.publicKey);
  } catch {
    return false;
  }
}

export class TrustStore {
  private readonly entries = new Map<string, Entry>();
  /** Files that were skipped while loading folders (not certificates), for the report. */
  readonly skipped: string[] = [];

  static empty(): TrustStore {
    return new TrustStore();
  }

  /** A store of the given certificates (DER); self-signed ones become anchors. */
  static fromCertificates(ders: readonly Uint8Array[], source = 'memory'): TrustStore {
    const store = new TrustStore();
    store.addCertificates(ders, source);
    return store;
  }

  /** Where the certificate with `fingerprint` came from: built-in list, managed store or a file. */
  sourceOf(fingerprint: string): { kind: TrustSource; file?: string } | undefined {
    const source = this.entries.get(fingerprint)?.source;
    if (source === undefined) return undefined;
    if (source === 'builtin' || source === 'managed') return { kind: source };
    return { kind: 'file', file: source };
  }

  /**
   * Adds a certificate whose role is already known (the built-in list, checked by its test): no
   * signature check at load, which keeps a verification's start-up short.
   */
  addKnown(der: Uint8Array, source: string, anchor: boolean): void {
    const cert = readCertificate(der);
    if (cert !== undefined && !this.entries.has(cert.fingerprint)) {
      this.entries.set(cert.fingerprint, { cert, anchor, source });
    }
  }

  /**
   * Drops the built-in and managed certificates whose fingerprints are listed (switched off by IT
   * staff); a file named for this run (--trust) stays.
   */
  without(fingerprints: ReadonlySet<string>): void {
    for (const f of fingerprints) {
      const source = this.entries.get(f)?.source;
      if (source === 'builtin' || source === 'managed') this.entries.delete(f);
    }
  }

  addCertificates(ders: readonly Uint8Array[], source: string): void {
    for (const der of ders) {
      const cert = readCertificate(der);
      if (cert === undefined) {
        throw new KysoError('CERT_INVALID', `${source} holds a certificate that cannot be read.`, {
          details: { path: source },
        });
      }
      if (!this.entries.has(cert.fingerprint)) {
        this.entries.set(cert.fingerprint, { cert, anchor: isSelfSigned(cert), source });
      }
    }
  }

  get anchors(): PoolCertificate[] {
    return [...this.entries.values()].filter((e) => e.anchor).map((e) => e.cert);
  }

  get intermediates(): PoolCertificate[] {
    return [...this.entries.values()].filter((e) => !e.anchor).map((e) => e.cert);
  }

  isAnchor(fingerprint: string): boolean {
    return this.entries.get(fingerprint)?.anchor === true;
  }

  get size(): number {
    return this.entries.size;
  }

  list(): TrustedCertificate[] {
    return [...this.entries.values()].map((e) => describe(e));
  }
}

function describe(e: Entry): TrustedCertificate {
  const info = e.cert.info;
  return {
    fingerprint: e.cert.fingerprint,
    subject: info?.subjectDN ?? e.cert.x509.subject.replace(/\n/g, ','),
    issuer: info?.issuerDN ?? e.cert.x509.issuer.replace(/\n/g, ','),
    notBefore: (info?.notBefore ?? new Date(e.cert.x509.validFrom)).toISOString(),
    notAfter: (info?.notAfter ?? new Date(e.cert.x509.validTo)).toISOString(),
    anchor: e.anchor,
    source: e.source,
  };
}

const CERT_EXTENSIONS = new Set(['.pem', '.crt', '.cer', '.der', '.p7b', '.p7c']);

export interface TrustStoreSources {
  /** Files given with --trust: each must hold at least one certificate (CERT_INVALID otherwise). */
  readonly files?: readonly string[];
  /** Folders given with --trust-dir: their certificate files (.pem .crt .cer .der .p7b .p7c). */
  readonly dirs?: readonly string[];
  /** Include the managed store of <KYSO_HOME>/trust (default true). */
  readonly managed?: boolean;
  /** Include the built-in Vietnamese trust list (default true), less the entries disabled in the managed store. */
  readonly builtin?: boolean;
  /** Keep entries disabled in the managed store (for listing them). */
  readonly keepDisabled?: boolean;
  readonly home?: string;
}

async function filesIn(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir, { withFileTypes: true });
    return names
      .filter((d) => d.isFile() && CERT_EXTENSIONS.has(path.extname(d.name).toLowerCase()))
      .map((d) => path.join(dir, d.name))
      .sort();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new KysoError(
      code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE',
      `Cannot read the folder ${dir}.`,
      {
        details: { path: dir },
        cause,
      },
    );
  }
}

export function managedTrustDir(home: string = kysoHome()): string {
  return path.join(home, 'trust');
}

/** Builds the trust store of one verification from files, folders and the managed store. */
export async function loadTrustStore(sources: TrustStoreSources = {}): Promise<TrustStore> {
  const store = new TrustStore();
  for (const file of sources.files ?? []) store.addCertificates(await readCertificateFiles([file]), file);
  for (const dir of sources.dirs ?? []) {
    for (const file of await filesIn(dir)) {
      try {
        store.addCertificates(parseCertificateBundle(await readFile(file), file), file);
      } catch (err) {
        // A folder may hold other files (README, keys): skip what is not a certificate.
        if (err instanceof KysoError && (err.code === 'CERT_INVALID' || err.code === 'INPUT_UNREADABLE')) {
          store.skipped.push(file);
          continue;
        }
        throw err;
      }
    }
  }
  // Listing shows both stores whatever the settings; verifying uses each unless they turn it off.
  const listing = sources.keepDisabled === true;
  const inUse =
    listing || (sources.managed === false && sources.builtin === false)
      ? { managed: true, builtin: true }
      : await trustSourcesInUse(sources.home ?? kysoHome());
  const useManaged = sources.managed !== false && inUse.managed;
  if (useManaged) {
    const dir = managedTrustDir(sources.home);
    let names: string[] = [];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.der')).sort();
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new KysoError('INPUT_UNREADABLE', `Cannot read the trust store ${dir}.`, {
          details: { path: dir },
          cause,
        });
      }
    }
    for (const name of names) {
      try {
        store.addCertificates([new Uint8Array(await readFile(path.join(dir, name)))], 'managed');
      } catch (err) {
        if (err instanceof KysoError) store.skipped.push(path.join(dir, name));
        else throw err;
      }
    }
  }
  if (sources.builtin !== false && inUse.builtin) {
    for (const c of builtinCertificates()) store.addKnown(c.bytes, 'builtin', c.role === 'root');
  }
  // Disabled entries are off whichever source brought them, except a file named for this run.
  if (sources.keepDisabled !== true && (sources.managed !== false || sources.builtin !== false)) {
    store.without(await readDisabledFingerprints(sources.home));
  }
  return store;
}

/** Adds the certificates of `files` to the managed store; returns what was added (or already there). */
export async function importTrustedCertificates(
  files: readonly string[],
  home: string = kysoHome(),
): Promise<TrustedCertificate[]> {
  await assertTrustStoreWritable(home);
  const ders = await readCertificateFiles(files);
  const incoming = TrustStore.fromCertificates(ders, 'managed');
  const dir = managedTrustDir(home);
  await mkdir(dir, { recursive: true });
  const added = incoming.list();
  for (const entry of added) {
    const cert = [...incoming.anchors, ...incoming.intermediates].find(
      (c) => c.fingerprint === entry.fingerprint,
    );
    if (cert === undefined) continue;
    const target = path.join(dir, `${entry.fingerprint}.der`);
    // Written beside and renamed: a crash never leaves half a certificate in the store.
    const temp = path.join(dir, `.${entry.fingerprint}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temp, cert.der);
    await rename(temp, target);
  }
  return added;
}

export async function listTrustedCertificates(home: string = kysoHome()): Promise<TrustedCertificate[]> {
  const store = await loadTrustStore({ managed: true, builtin: false, keepDisabled: true, home });
  return store.list();
}

/**
 * Removes the certificate whose fingerprint is `fingerprint` (or starts with it, at least 8 hex
 * digits, when that names exactly one). Returns the removed certificate, or null when none matches.
 */
export async function removeTrustedCertificate(
  fingerprint: string,
  home: string = kysoHome(),
): Promise<TrustedCertificate | null> {
  await assertTrustStoreWritable(home);
  const wanted = fingerprint.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (wanted.length < 8) {
    throw new KysoError('USAGE', 'Give at least 8 hexadecimal digits of the fingerprint.', {
      details: { reason: 'fingerprint too short' },
    });
  }
  const matches = (await listTrustedCertificates(home)).filter((c) => c.fingerprint.startsWith(wanted));
  if (matches.length > 1) {
    throw new KysoError('USAGE', 'Several certificates match this fingerprint; give more digits.', {
      details: { reason: 'ambiguous fingerprint' },
    });
  }
  const match = matches[0];
  if (match === undefined) return null;
  await rm(path.join(managedTrustDir(home), `${match.fingerprint}.der`), { force: true });
  return match;
}
