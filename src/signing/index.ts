// The engine's public entry: what the desktop app, the batch runner and other programs use. It
// gathers the feature entries (*-api.ts beside it); a program that needs one feature imports that
// entry alone and loads nothing else: `kyso sign` never evaluates the verifier, pkijs or the
// appearance code it does not use, which is most of a command's start-up time.
export { KysoError, isKysoError, ERROR_CODES, type ErrorCode } from '../shared/errors.js';
export { Secret } from '../shared/secret.js';
export { kysoHome } from './home.js';
export {
  loadSettings,
  loadEffectiveSettings,
  readUserSettings,
  settingsPath,
  SettingsSchema,
  type Settings,
  type LoadSettingsOptions,
} from './settings.js';
export * from './tokens-api.js';
export * from './identities-api.js';
export * from './certificates-api.js';
export * from './sign-api.js';
export * from './verify-api.js';
export * from './appearance-api.js';
export * from './batch-api.js';
export * from './long-term-api.js';
export * from './upload-api.js';
export * from './bridge-api.js';
export * from './policy-api.js';
export * from './inbox-api.js';
