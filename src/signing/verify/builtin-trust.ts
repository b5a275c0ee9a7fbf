// The built-in Vietnamese trust list (builtin-trust-list.ts, generated from trust/vn) and the
// managed store's list of disabled entries: IT staff can switch a built-in root off on one machine
// (`kyso trust disable SHA256`) without editing the program. The list of disabled fingerprints is
// <KYSO_HOME>/trust/disabled.json, written beside and renamed into place.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import { kysoHome } from '../home.js';
import { assertTrustStoreWritable } from './trust-lock.js';
import { BUILTIN_TRUST_LIST, type BuiltinCertificate } from './builtin-trust-list.js';

export type { BuiltinCertificate } from './builtin-trust-list.js';

/** The built-in certificates (roots and intermediates) with their DER. */
export function builtinCertificates(): ReadonlyArray<BuiltinCertificate & { readonly bytes: Uint8Array }> {
  return BUILTIN_TRUST_LIST.map((c) => ({ ...c, bytes: new Uint8Array(Buffer.from(c.der, 'base64')) }));
}

const DISABLED_FILE = 'disabled.json';

function disabledPath(home: string): string {
  return path.join(home, 'trust', DISABLED_FILE);
}

/** Fingerprints switched off in the managed store (lowercase hex). */
export async function readDisabledFingerprints(home: string = kysoHome()): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(disabledPath(home), 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw new KysoError('INPUT_UNREADABLE', `Cannot read ${disabledPath(home)}.`, {
      details: { path: disabledPath(home) },
      cause,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new KysoError('TRUST_STORE_BROKEN', `${disabledPath(home)} is not valid JSON.`, {
      details: { path: disabledPath(home) },
      cause,
    });
  }
  const list = (parsed as { disabled?: unknown } | null)?.disabled;
  if (!Array.isArray(list) || !list.every((f) => typeof f === 'string' && /^[0-9a-f]{64}$/.test(f))) {
    throw new KysoError('TRUST_STORE_BROKEN', `${disabledPath(home)} must list SHA-256 fingerprints.`, {
      details: { path: disabledPath(home) },
    });
  }
  return new Set(list as string[]);
}

/** Switches `fingerprint` off (or back on); the file is replaced atomically. */
export async function setFingerprintDisabled(
  fingerprint: string,
  disabled: boolean,
  home: string = kysoHome(),
): Promise<void> {
  await assertTrustStoreWritable(home);
  const current = await readDisabledFingerprints(home);
  if (disabled) current.add(fingerprint);
  else current.delete(fingerprint);
  const dir = path.join(home, 'trust');
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${DISABLED_FILE}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, `${JSON.stringify({ disabled: [...current].sort() }, null, 2)}\n`);
  await rename(temp, disabledPath(home));
}
