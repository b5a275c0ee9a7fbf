// The machine-wide policy IT staff install once per computer (policy.json, see policy-file.ts): values
// that preset settings.json and keys that lock them, with the reason shown to users. Parsed strictly:
// an unknown member or setting key is an error (a misspelt lock must not silently lock nothing), and
// the presets must be valid settings. Read with the engine's small schema builders rather than zod,
// as settings.json is: every command reads it before it starts (see schema/plain-schema.ts).
import { SettingsSchema } from '../settings-schema.js';
import { isJsonObject, type JsonObject } from './json-paths.js';
import { isSectionKey, isSettingKey } from './setting-keys.js';

/** A policy as Kyso applies it. */
export interface MachinePolicy {
  /** Preset values, shaped as settings.json (only what the policy names). */
  readonly settings: JsonObject;
  /** Locked keys and their reason (null: the policy's general reason, or none). */
  readonly locks: ReadonlyMap<string, string | null>;
}

export const EMPTY_POLICY: MachinePolicy = { settings: {}, locks: new Map() };

const TOP_LEVEL = new Set(['$schema', 'description', 'reason', 'settings', 'locked']);
const MAX_REASON = 500;

/** Every problem found, each with where it is ("locked[2]", "settings.tsa.url"). */
export type PolicyProblems = string[];

function checkKnownKeys(value: JsonObject, prefix: string, problems: PolicyProblems): void {
  for (const [name, member] of Object.entries(value)) {
    const key = `${prefix}${name}`;
    if (!isSettingKey(key)) {
      problems.push(`settings.${key}: unknown setting`);
      continue;
    }
    if (isSectionKey(key) && isJsonObject(member)) checkKnownKeys(member, `${key}.`, problems);
  }
}

function reasonText(value: unknown, where: string, problems: PolicyProblems): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_REASON) {
    problems.push(`${where}: expected a non-empty text of at most ${MAX_REASON} characters`);
    return null;
  }
  return value.trim();
}

/**
 * Parses a policy file's JSON value. `appearance` presets are checked by the caller (their schema
 * is zod, loaded only when a policy has them).
 */
export function parseMachinePolicy(raw: unknown): { policy: MachinePolicy; problems: PolicyProblems } {
  const problems: PolicyProblems = [];
  if (!isJsonObject(raw)) {
    return { policy: EMPTY_POLICY, problems: ['the file must hold a JSON object'] };
  }
  for (const name of Object.keys(raw)) {
    if (!TOP_LEVEL.has(name)) problems.push(`${name}: unknown member (expected settings, locked, reason)`);
  }
  const general = reasonText(raw['reason'], 'reason', problems);

  let settings: JsonObject = {};
  if (raw['settings'] !== undefined) {
    if (!isJsonObject(raw['settings'])) problems.push('settings: expected an object shaped as settings.json');
    else {
      settings = raw['settings'];
      checkKnownKeys(settings, '', problems);
      const { appearance: _appearance, ...engine } = settings;
      const parsed = SettingsSchema.safeParse(engine);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          problems.push(`settings.${issue.path.join('.')}: ${issue.message}`);
      }
    }
  }

  const locks = new Map<string, string | null>();
  const lock = (key: unknown, reason: string | null, where: string): void => {
    if (typeof key !== 'string' || !isSettingKey(key)) {
      problems.push(`${where}: ${JSON.stringify(key)} is not a setting key (see README, "Machine policy")`);
      return;
    }
    locks.set(key, reason ?? general);
  };
  const locked = raw['locked'];
  if (Array.isArray(locked)) locked.forEach((key, i) => lock(key, null, `locked[${i}]`));
  else if (isJsonObject(locked)) {
    for (const [key, reason] of Object.entries(locked)) {
      lock(key, reasonText(reason, `locked.${key}`, problems), `locked.${key}`);
    }
  } else if (locked !== undefined) {
    problems.push('locked: expected a list of setting keys, or an object of key: reason');
  }
  return { policy: { settings, locks }, problems };
}

/**
 * What applies when the policy file exists but cannot be read or parsed: IT staff meant to restrict
 * this computer, so Kyso does not run unrestricted. No .p12 files, no demo identity, the trust store
 * locked and only the built-in list anchoring chains, the signer's revocation status checked before
 * every signature and a status that cannot be checked refusing the signature.
 */
export function safestPolicy(reason: string): MachinePolicy {
  const locks = new Map<string, string | null>(
    ['identities', 'trust', 'revocation.checkBeforeSigning', 'revocation.whenUnavailable'].map((key) => [
      key,
      reason,
    ]),
  );
  return {
    settings: {
      identities: { p12: false, demo: false },
      trust: { locked: true, useManagedStore: false, useBuiltinList: true },
      revocation: { checkBeforeSigning: 'always', whenUnavailable: 'refuse' },
    },
    locks,
  };
}
