// The inbox's list and its decline: from the server when it answers (and then kept in the cache),
// else from what the cache holds — `list` works offline from what was downloaded.
import { KysoError } from '../../shared/errors.js';
import type { InboxCache } from './inbox-cache.js';
import type { InboxClient } from './inbox-client.js';
import type { InboxItem } from './inbox-item.js';

/** pending: waiting for this certificate; done: a step it signed; all: every request it is in. */
export type InboxView = 'pending' | 'done' | 'all';

export interface InboxListing {
  readonly items: readonly InboxItem[];
  /** When the server gave it (ISO 8601). */
  readonly fetchedAt: string;
  /** From the cache: the server could not be reached. */
  readonly offline: boolean;
}

export interface ListInboxRequest {
  readonly client: InboxClient;
  readonly cache: InboxCache;
  readonly view?: InboxView;
  /** Also download the pending documents (so that they can be signed offline). */
  readonly download?: boolean;
  readonly signal?: AbortSignal;
}

function select(items: readonly InboxItem[], view: InboxView, assignee: string): InboxItem[] {
  if (view === 'done') return items.filter((i) => i.chain.some((s) => s.signedBy === assignee));
  return [...items];
}

export async function listInbox(request: ListInboxRequest): Promise<InboxListing> {
  const { client, cache } = request;
  const view = request.view ?? 'pending';
  const serverState = view === 'pending' ? 'pending' : 'all';
  try {
    const { items, serverTime } = await client.list(serverState, request.signal);
    const fetchedAt = serverTime ?? new Date().toISOString();
    await cache.writeList(serverState, { items, fetchedAt });
    if (request.download && view === 'pending') {
      for (const item of items) {
        if (cache.cachedDocument(item)) continue;
        const doc = await client.document(item.id, request.signal);
        if (doc.sha256 === item.sha256) await cache.keepDocument(item, doc.data);
      }
    }
    return { items: select(items, view, client.assignee), fetchedAt, offline: false };
  } catch (err) {
    if (!(err instanceof KysoError) || err.code !== 'INBOX_UNREACHABLE') throw err;
    const cached = cache.readList(serverState);
    if (!cached) throw err;
    return { items: select(cached.items, view, client.assignee), fetchedAt: cached.fetchedAt, offline: true };
  }
}

/** Declines a request with the reason; it goes back to the officer. */
export async function declineInbox(request: {
  readonly client: InboxClient;
  readonly cache: InboxCache;
  readonly id: string;
  readonly reason: string;
  readonly signal?: AbortSignal;
}): Promise<InboxItem> {
  const reason = request.reason.trim();
  if (reason === '') {
    throw new KysoError('USAGE', 'A decline needs its reason.', { details: { reason: 'reason' } });
  }
  const item = await request.client.decline(request.id, reason, request.signal);
  await request.cache.dropPending(request.id);
  return item;
}
