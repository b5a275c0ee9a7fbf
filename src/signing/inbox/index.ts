// The signing inbox (kyso inbox): the one-stop server's signing chain seen from a certificate
// holder's desk — list, download, sign with one login, issue with the reserved number, decline,
// and deliver through a local outbox that keeps signed files until the server has them.
export {
  InboxClient,
  type InboxClientOptions,
  type IssueReservation,
  type InboxDocument,
  type SignedReturn,
  type InboxListState,
} from './inbox-client.js';
export { certificateId, type InboxCredentials } from './inbox-session.js';
export { parseInboxItem, isOverdue, type InboxItem } from './inbox-item.js';
export { InboxCache, inboxDir, type CachedList } from './inbox-cache.js';
export {
  InboxOutbox,
  inboxDeliveryKey,
  deliverEntry,
  flushInboxOutbox,
  DEFAULT_INBOX_RETRY,
  type InboxOutboxEntry,
  type InboxOutboxState,
  type InboxDeliveryEvent,
  type FlushInboxResult,
} from './inbox-outbox.js';
export {
  listInbox,
  declineInbox,
  type InboxView,
  type InboxListing,
  type ListInboxRequest,
} from './inbox-list.js';
export {
  signInbox,
  type SignInboxRequest,
  type SignInboxResult,
  type InboxSignOutcome,
  type InboxSignEvent,
  type InboxItemStage,
  type InboxOutcomeStatus,
  type IssuedAppearanceChoice,
} from './sign-inbox.js';
export { issuedAppearance, type IssuedAppearanceOptions } from '../appearance/issued-appearance.js';
