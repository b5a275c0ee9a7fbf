// Delivery of signed results to the one-stop system: adapters, the durable outbox, the flush.
export { parseDossierCode, type DossierCode } from './dossier-code.js';
export { idempotencyKey, destinationId } from './idempotency-key.js';
export {
  Outbox,
  outboxDir,
  OUTBOX_STATES,
  type OutboxItem,
  type OutboxState,
  type OutboxError,
  type NewOutboxItem,
  type ClaimOwner,
} from './outbox.js';
export {
  queueDocument,
  sha256File,
  type QueueDocumentRequest,
  type QueueDocumentResult,
} from './queue-document.js';
export { flushOutbox, type FlushRequest, type FlushResult, type FlushEvent } from './flush-outbox.js';
export { retryDelay, type RetryPolicy } from './retry-backoff.js';
export { RestAdapter, resultsUrl, serverMessage, type RestAdapterConfig } from './rest-adapter.js';
export { FolderAdapter } from './folder-adapter.js';
export { OAuth2Client, type OAuth2Config } from './oauth2-client.js';
export {
  uploadDestination,
  adaptersFromSettings,
  retryPolicyFromSettings,
  needsCredential,
  type UploadSettings,
} from './upload-destination.js';
export type {
  UploadDestination,
  UploadMetadata,
  UploadAdapter,
  DeliveryRequest,
  DeliveryOutcome,
  CredentialProvider,
} from './upload-types.js';
