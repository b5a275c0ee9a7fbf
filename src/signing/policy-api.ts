// Public entry `kyso/policy`: the machine-wide policy IT staff install (policy.json) that presets
// and locks settings, the keys it can lock, and the settings in force with each key's source and
// lock. loadEffectiveSettings (in `kyso/settings`) applies it.
export { policyPath, readPolicy, type PolicyState } from './policy/policy-file.js';
export { parseMachinePolicy, safestPolicy, type MachinePolicy } from './policy/machine-policy.js';
export { SETTING_KEYS, APPEARANCE_KEYS, isSettingKey } from './policy/setting-keys.js';
export {
  EffectiveSettings,
  applyPolicy,
  type EffectiveSetting,
  type SettingLock,
} from './policy/effective-settings.js';
export { setUserSetting, unsetUserSetting } from './policy/settings-edit.js';
