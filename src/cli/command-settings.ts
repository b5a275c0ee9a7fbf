// What a command reads from the data folder once: settings.json and the intermediate certificates
// it names. Several parts of one command need them (token libraries, the TSA defaults, the
// revocation policy, the signer's chain); one process runs one command, so each is read and parsed
// once per data folder, not once per use; the machine policy is applied here too. The engine's loadSettings stays a plain read, for the app,
// whose settings change while it runs.
import { readCertificateFiles } from '../signing/certificates-api.js';
import { kysoHome } from '../signing/home.js';
import type { EffectiveSettings } from '../signing/policy-api.js';
import { loadEffectiveSettings, type Settings } from '../signing/settings.js';

const settingsByHome = new Map<string, Promise<EffectiveSettings>>();
const intermediatesByHome = new Map<string, Promise<Uint8Array[]>>();

/** The settings with the machine policy applied, and the locks (policy.json, settings.json). */
export function commandEffectiveSettings(home: string = kysoHome()): Promise<EffectiveSettings> {
  let settings = settingsByHome.get(home);
  if (settings === undefined) {
    settings = loadEffectiveSettings(home);
    settingsByHome.set(home, settings);
  }
  return settings;
}

export async function commandSettings(home: string = kysoHome()): Promise<Settings> {
  return (await commandEffectiveSettings(home)).settings;
}

/** The intermediate CA certificates configured in the settings file, to complete signers' chains. */
export function configuredIntermediates(home: string = kysoHome()): Promise<Uint8Array[]> {
  let intermediates = intermediatesByHome.get(home);
  if (intermediates === undefined) {
    intermediates = commandSettings(home).then((s) => readCertificateFiles(s.intermediates));
    intermediatesByHome.set(home, intermediates);
  }
  return intermediates;
}
