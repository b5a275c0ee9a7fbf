// Whether the trust store may be changed here: settings.json's `trust.locked` (IT staff's file) or
// the machine policy's lock on "trust" forbid adding, removing, enabling and disabling entries, for
// `kyso trust` and for the app alike, so every writer of the store checks it before writing.
import { loadEffectiveSettings } from '../settings.js';

export async function assertTrustStoreWritable(home: string, option?: string): Promise<void> {
  (await loadEffectiveSettings(home)).assertUnlocked('trust', option);
}

/**
 * Which stores anchor chains here: the managed store (off under the safest settings) and the
 * built-in list (a policy may turn it off).
 */
export async function trustSourcesInUse(home: string): Promise<{ managed: boolean; builtin: boolean }> {
  const { trust } = (await loadEffectiveSettings(home)).settings;
  return { managed: trust.useManagedStore, builtin: trust.useBuiltinList };
}
