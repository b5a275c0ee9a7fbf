// The local bridge for web one-stop systems (the signing-plugin protocol over a loopback WebSocket).
export {
  startBridge,
  DEFAULT_BRIDGE_PORT,
  type BridgeOptions,
  type BridgeMode,
  type RunningBridge,
} from './bridge-server.js';
export {
  handleBridgeMessage,
  displayFileName,
  type BridgeReply,
  type BridgeEvent,
  type BridgeSigningProfile,
  type ConfirmationRequest,
  type ConfirmFunction,
  type UndeliveredHandler,
} from './bridge-job.js';
export {
  heldSignerIdentity,
  perRequestIdentity,
  type BridgeIdentity,
  type AcquiredSigner,
} from './bridge-identity.js';
export {
  BRIDGE_ENDPOINTS,
  SIGNING_ENDPOINTS,
  parseBridgeRequest,
  parseIssuedDate,
  type BridgeEndpoint,
  type BridgeRequest,
} from './bridge-request.js';
export { BRIDGE_STATUS, statusForError, type BridgeStatus } from './bridge-status.js';
export { ensureLocalCertificate, certificateFolder, type LocalCertificate } from './local-certificate.js';
export { OriginAllowList, normalizeOrigin } from './origin-allow-list.js';
export { assertLoopbackBind, isLocalHostHeader } from './local-address.js';
export { keepUndelivered, undeliveredFolder, type UndeliveredNote } from './undelivered-files.js';
