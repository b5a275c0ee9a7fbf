// The settings in force: the machine policy's locked values over the user's settings.json over the
// policy's presets over the defaults. Also says, for every key, where its value comes from and
// whether (and why) it is locked, for the settings screens and for the checks that refuse a change.
import { KysoError } from '../../shared/errors.js';
import type { Settings } from '../settings-schema.js';
import { deepMerge, deletePath, getPath, hasPath, setPath, type JsonObject } from './json-paths.js';
import type { PolicyState } from './policy-file.js';
import { keyAndAncestors, SETTING_KEYS } from './setting-keys.js';

export interface SettingLock {
  /** policy: the machine policy locks it; invalid-policy: the policy file is broken and the safest
   * value applies; settings: settings.json itself locks it (trust.locked). */
  readonly by: 'policy' | 'invalid-policy' | 'settings';
  readonly reason: string | null;
}

export interface EffectiveSetting {
  readonly key: string;
  /** The value in force (null: absent, the feature is off or unset). */
  readonly value: unknown;
  readonly source: 'default' | 'settings' | 'policy';
  /** The lock on this key or a section above it; null: the user may change it. */
  readonly locked: SettingLock | null;
}

/** The raw settings.json value with the policy applied (appearance included, not yet parsed). */
export function applyPolicy(userRaw: JsonObject, state: PolicyState): JsonObject {
  const { policy } = state;
  const merged = deepMerge(policy.settings, userRaw) as JsonObject;
  // Sections first, so that a lock on "tsa.url" under a locked "tsa" keeps the section's value.
  for (const key of [...policy.locks.keys()].sort((a, b) => a.length - b.length)) {
    const preset = getPath(policy.settings, key);
    if (preset === undefined)
      deletePath(merged, key); // locked at the default
    else setPath(merged, key, structuredClone(preset));
  }
  return merged;
}

export class EffectiveSettings {
  /** Parsed, defaults filled in: what the engine uses. */
  readonly settings: Settings;
  /** The merged JSON (for members parsed elsewhere: appearance). */
  readonly raw: JsonObject;

  constructor(
    readonly userRaw: JsonObject,
    readonly policy: PolicyState,
    settings: Settings,
    raw: JsonObject,
  ) {
    this.settings = settings;
    this.raw = raw;
  }

  /** The lock on `key` or on a section above it, the nearest first. */
  lockOf(key: string): SettingLock | null {
    const by = this.policy.status === 'invalid' ? 'invalid-policy' : 'policy';
    for (const k of keyAndAncestors(key).reverse()) {
      if (this.policy.policy.locks.has(k)) return { by, reason: this.policy.policy.locks.get(k) ?? null };
    }
    // IT staff's settings.json locks the trust store (issue 12).
    if ((key === 'trust' || key.startsWith('trust.')) && this.settings.trust.locked) {
      return { by: 'settings', reason: null };
    }
    return null;
  }

  /** The lock that forbids changing `key`: its own, a section's above it, or one on a member below it. */
  lockAgainstChange(key: string): { key: string; lock: SettingLock } | null {
    const own = this.lockOf(key);
    if (own !== null) return { key, lock: own };
    for (const k of SETTING_KEYS) {
      if (!k.startsWith(`${key}.`)) continue;
      const lock = this.lockOf(k);
      if (lock !== null) return { key: k, lock };
    }
    return null;
  }

  /**
   * Throws SETTING_LOCKED when `key` may not be changed. `option` names the command-line option or
   * request member that asked for the change, for the message.
   */
  assertUnlocked(key: string, option?: string): void {
    const found = this.lockAgainstChange(key);
    if (found === null) return;
    throw new KysoError(
      'SETTING_LOCKED',
      `The setting ${found.key} is locked (${found.lock.by}${found.lock.reason ? `: ${found.lock.reason}` : ''}).`,
      {
        details: {
          key: found.key,
          by: found.lock.by,
          reason: found.lock.reason ?? undefined,
          option,
          file: found.lock.by === 'settings' ? undefined : this.policy.file,
        },
      },
    );
  }

  /** Throws IDENTITY_NOT_ALLOWED when .p12 files or the demo identity are turned off here. */
  assertIdentityAllowed(kind: 'p12' | 'demo'): void {
    if (this.settings.identities[kind]) return;
    const lock = this.lockOf(`identities.${kind}`);
    throw new KysoError(
      'IDENTITY_NOT_ALLOWED',
      `${kind === 'p12' ? '.p12/.pfx identities are' : 'The demo identity is'} not allowed on this computer.`,
      { details: { identity: kind, reason: lock?.reason ?? undefined } },
    );
  }

  /** Every key with its value, source and lock. */
  list(): EffectiveSetting[] {
    return SETTING_KEYS.map((key) => {
      const locked = this.lockOf(key);
      const policyLocked = locked !== null && locked.by !== 'settings';
      const source = policyLocked
        ? 'policy'
        : hasPath(this.userRaw, key)
          ? 'settings'
          : hasPath(this.policy.policy.settings, key)
            ? 'policy'
            : 'default';
      const value =
        key === 'appearance' || key.startsWith('appearance.')
          ? getPath(this.raw, key)
          : getPath(this.settings, key);
      return { key, value: value === undefined ? null : structuredClone(value), source, locked };
    });
  }
}
