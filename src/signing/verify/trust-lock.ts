// Whether the trust store may be changed here: settings.json's `trust.locked` (IT staff's file) or
// the machine policy's lock on "trust" forbid adding, removing, enabling and disabling entries, for
// `kyso trust` and for the app alike, so every writer of the store checks it before writing.
import { loadEffectiveSettings } from '../settings.js';

export async function assertTrustStoreWritable(home: string, option?: string): Promise<void> {
  (await loadEffectiveSettings(home)).assertUnlocked('trust', option);
}

/** Whether certificates added to the managed store anchor chains (off under the safest settings). */
export async function managedStoreInUse(home: string): Promise<boolean> {
  return (await loadEffectiveSettings(home)).settings.trust.useManagedStore;
}
