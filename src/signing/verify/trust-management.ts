// What `kyso trust` (and later the app's settings screen) shows and changes: the built-in list and
// the managed store side by side, each entry with its fingerprint, validity and whether it is on;
// a preview of certificates before they are added; switching entries off and on.
import { KysoError } from '../../shared/errors.js';
import { kysoHome } from '../home.js';
import { readCertificateFiles } from '../x509/certificate-files.js';
import { builtinCertificates, readDisabledFingerprints, setFingerprintDisabled } from './builtin-trust.js';
import {
  importTrustedCertificates,
  loadTrustStore,
  removeTrustedCertificate,
  TrustStore,
  type TrustedCertificate,
} from './trust-store.js';

export interface TrustListEntry extends TrustedCertificate {
  /** builtin: Kyso's Vietnamese list; managed: added by IT staff with `kyso trust add`. */
  readonly origin: 'builtin' | 'managed';
  /** The built-in list's name for it (null for managed entries). */
  readonly name: string | null;
  readonly enabled: boolean;
}

/** Every built-in and managed certificate, disabled ones included. */
export async function trustInventory(home: string = kysoHome()): Promise<TrustListEntry[]> {
  const disabled = await readDisabledFingerprints(home);
  const builtin = TrustStore.empty();
  const names = new Map<string, string>();
  for (const c of builtinCertificates()) {
    builtin.addKnown(c.bytes, 'builtin', c.role === 'root');
    names.set(c.sha256, c.name);
  }
  const managed = await loadTrustStore({ managed: true, builtin: false, home, keepDisabled: true });
  const entries: TrustListEntry[] = [];
  for (const c of builtin.list()) {
    entries.push({
      ...c,
      origin: 'builtin',
      name: names.get(c.fingerprint) ?? null,
      enabled: !disabled.has(c.fingerprint),
    });
  }
  for (const c of managed.list()) {
    if (names.has(c.fingerprint)) continue; // the same certificate added by hand: listed once, as built-in
    entries.push({ ...c, origin: 'managed', name: null, enabled: !disabled.has(c.fingerprint) });
  }
  return entries;
}

/** The certificates `files` hold, as `kyso trust add` shows them before asking (nothing written). */
export async function previewTrustedCertificates(files: readonly string[]): Promise<TrustedCertificate[]> {
  return TrustStore.fromCertificates(await readCertificateFiles(files), 'managed').list();
}

/**
 * The one entry whose fingerprint is `wanted` (or starts with it: at least 8 hex digits naming
 * exactly one); TRUST_CERT_NOT_FOUND when none, USAGE when several.
 */
export async function findTrustEntry(wanted: string, home: string = kysoHome()): Promise<TrustListEntry> {
  const hex = wanted.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (hex.length < 8) {
    throw new KysoError('USAGE', 'Give at least 8 hexadecimal digits of the SHA-256 fingerprint.', {
      details: { reason: 'fingerprint too short' },
    });
  }
  const matches = (await trustInventory(home)).filter((e) => e.fingerprint.startsWith(hex));
  if (matches.length > 1) {
    throw new KysoError('USAGE', 'Several certificates match this fingerprint; give more digits.', {
      details: { reason: 'ambiguous fingerprint' },
    });
  }
  const match = matches[0];
  if (match === undefined) {
    throw new KysoError('TRUST_CERT_NOT_FOUND', 'No certificate of the trust list has this fingerprint.', {
      details: { fingerprint: wanted },
    });
  }
  return match;
}

/** Switches an entry (built-in or managed) off or on; returns it with its new state. */
export async function setTrustEntryEnabled(
  fingerprint: string,
  enabled: boolean,
  home: string = kysoHome(),
): Promise<TrustListEntry> {
  const entry = await findTrustEntry(fingerprint, home);
  await setFingerprintDisabled(entry.fingerprint, !enabled, home);
  return { ...entry, enabled };
}

/**
 * Adds the certificates of `files` to the managed store (after the caller showed the preview and
 * the person confirmed). A certificate added again after it was switched off is wanted on: it is
 * switched back on. Refused while the store is locked (SETTING_LOCKED).
 */
export async function addTrustedCertificates(
  files: readonly string[],
  home: string = kysoHome(),
): Promise<TrustedCertificate[]> {
  const added = await importTrustedCertificates(files, home);
  const disabled = await readDisabledFingerprints(home);
  for (const c of added) {
    if (disabled.has(c.fingerprint)) await setFingerprintDisabled(c.fingerprint, false, home);
  }
  return added;
}

/**
 * Takes a managed certificate out of the store (and its "off" mark with it, so nothing is left
 * behind). A built-in one cannot be removed, only switched off: TRUST_BUILTIN_NOT_REMOVABLE.
 */
export async function removeManagedTrustEntry(
  fingerprint: string,
  home: string = kysoHome(),
): Promise<TrustListEntry> {
  const entry = await findTrustEntry(fingerprint, home);
  if (entry.origin === 'builtin') {
    throw new KysoError('TRUST_BUILTIN_NOT_REMOVABLE', 'A built-in certificate cannot be removed.', {
      details: { fingerprint: entry.fingerprint },
    });
  }
  await removeTrustedCertificate(entry.fingerprint, home);
  if (!entry.enabled) await setFingerprintDisabled(entry.fingerprint, false, home);
  return entry;
}
