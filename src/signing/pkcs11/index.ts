// The token layer's public face: libraries, tokens, sessions, and the token signer.
export { MODULE_CATALOGUE, catalogueCandidates, type CatalogueEntry } from './module-catalogue.js';
export { probeModule, type ProbeResult, type ProbeOutcome } from './module-probe.js';
export { readLibraryHeader, type LibraryHeader } from './library-architecture.js';
export type { Pkcs11Api } from './pkcs11-api.js';
export {
  Pkcs11Module,
  probeFailure,
  type SlotSummary,
  type TokenSummary,
  type ModuleOpenOptions,
} from './pkcs11-module.js';
export { decodeTokenFlags, pinState, type TokenFlags, type PinState } from './token-flags.js';
export { TokenSession, type TokenCertificate, type TokenKey, type LoginOptions } from './token-session.js';
export { TokenSigner, planMechanism } from './token-signer.js';
export {
  changeUserPin,
  checkNewPin,
  pinLengthRule,
  type ChangePinRequest,
  type PinLengthRule,
} from './pin-change.js';
export {
  TokenManager,
  resolveModuleRequests,
  chooseCertificate,
  assertLoginAllowed,
  type ModuleRequest,
  type ModuleFailure,
  type IdentitySelector,
  type OpenSignerOptions,
  type TokenRef,
} from './token-manager.js';
export { CKR, CKF, CKM } from './pkcs11-constants.js';
export { ckrName } from './pkcs11-errors.js';
