// The engine's settings file (<KYSO_HOME>/settings.json): token libraries, the network (proxy), the
// timestamp server, OCSP/CRL behaviour, long-term validation, the trust store, identities. IT staff
// may preset it, and the machine policy (policy/) presets and locks it; it is parsed, never trusted
// as it is. Everything the engine, the CLI and the app read goes through the policy here.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../shared/errors.js';
import { kysoHome } from './home.js';
import { EffectiveSettings } from './policy/effective-settings.js';
import { isJsonObject, type JsonObject } from './policy/json-paths.js';
import { policyPath, readPolicy, type PolicyState } from './policy/policy-file.js';
import { applyPolicy } from './policy/effective-settings.js';
import { SettingsSchema, type Settings } from './settings-schema.js';

export { SettingsSchema, type Settings } from './settings-schema.js';
// The data folder the settings live in: the app's main process and services find it through this
// entry (kyso/settings) like any program using the engine.
export { kysoHome } from './home.js';

export function settingsPath(home: string = kysoHome()): string {
  return path.join(home, 'settings.json');
}

/** The user's settings.json as JSON ({} when there is none); SETTINGS_INVALID when it is not JSON. */
export async function readUserSettings(home: string = kysoHome()): Promise<JsonObject> {
  const file = settingsPath(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new KysoError('SETTINGS_INVALID', `Cannot read ${file}.`, {
      details: { reason: file },
      cause: err,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new KysoError('SETTINGS_INVALID', `${file} is not valid JSON.`, {
      details: { reason: `${file}: JSON` },
      cause,
    });
  }
  if (!isJsonObject(raw)) {
    throw new KysoError('SETTINGS_INVALID', `${file} does not hold a JSON object.`, {
      details: { reason: `${file}: not an object` },
    });
  }
  return raw;
}

export interface LoadSettingsOptions {
  /** The policy file (default: policyPath(), which honours KYSO_POLICY). */
  readonly policyFile?: string;
  /** A policy already read (the app reads it once per request). */
  readonly policy?: PolicyState;
}

/** The settings in force with the machine policy applied, and where each value comes from. */
export async function loadEffectiveSettings(
  home: string = kysoHome(),
  options: LoadSettingsOptions = {},
): Promise<EffectiveSettings> {
  const [userRaw, policy] = await Promise.all([
    readUserSettings(home),
    options.policy ?? readPolicy(options.policyFile ?? policyPath()),
  ]);
  const raw = applyPolicy(userRaw, policy);
  const { appearance: _appearance, ...engine } = raw;
  const parsed = SettingsSchema.safeParse(engine);
  if (!parsed.success) {
    const file = settingsPath(home);
    const reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new KysoError('SETTINGS_INVALID', `${file}: ${reason}`, {
      details: { reason: `${file}: ${reason}` },
    });
  }
  return new EffectiveSettings(userRaw, policy, parsed.data, raw);
}

/** The settings in force (machine policy applied). */
export async function loadSettings(
  home: string = kysoHome(),
  options: LoadSettingsOptions = {},
): Promise<Settings> {
  return (await loadEffectiveSettings(home, options)).settings;
}
