// inbox.*: "Văn bản chờ ký" over kyso/inbox. One desk per certificate (its client, cache and
// outbox under KYSO_HOME), kept while the engine process lives. The server knows the holder by the
// certificate: a session is opened by signing the server's challenge with the token, which needs the
// PIN, so only inbox.open and inbox.sign (which carry the PIN) may open one; the other calls use the
// session while it lasts and answer INBOX_LOGIN_NEEDED after. The token is logged out at the end of
// each call: nothing stays logged in between the user's actions.
import { KysoError } from '../../shared/errors.js';
import { messageFor } from '../../shared/messages.js';
import { Secret } from '../../shared/secret.js';
import type {
  CertificateRef,
  InboxItemView,
  InboxListView,
  InboxOutcomeView,
  Language,
} from '../../shared/contract/index.js';
import { loadAppearanceSettings } from '../../signing/appearance-api.js';
import { profileOptions, tokenSignerSource, type SignerSource } from '../../signing/batch-api.js';
import { readCertificateFiles } from '../../signing/certificates-api.js';
import {
  declineInbox,
  flushInboxOutbox,
  InboxCache,
  InboxClient,
  inboxDir,
  InboxOutbox,
  isOverdue,
  listInbox,
  signInbox,
  type InboxItem,
} from '../../signing/inbox-api.js';
import { loadSettings } from '../../signing/settings.js';
import { loadTrustStore } from '../../signing/verify-api.js';
import { SIGNATURE_ANCHORS } from './document-service.js';
import type { Handlers } from './service-types.js';
import { openModule, readTokenCertificate } from './token-access.js';

type Channel =
  'inbox.open' | 'inbox.list' | 'inbox.document' | 'inbox.reserve' | 'inbox.sign' | 'inbox.decline';

interface Desk {
  readonly client: InboxClient;
  readonly cache: InboxCache;
  readonly outbox: InboxOutbox;
  /** The token's key while a call that carries the PIN runs; null otherwise. */
  readonly key: { source: SignerSource | null };
}

const refKey = (ref: CertificateRef): string =>
  JSON.stringify([ref.modulePath, ref.tokenSerial, ref.slotId, ref.keyId.toLowerCase()]);

function itemView(item: InboxItem, now: Date): InboxItemView {
  return {
    id: item.id,
    dossierCode: item.dossierCode,
    documentType: item.documentType,
    title: item.title,
    fileName: item.fileName,
    preparedBy: item.preparedBy,
    arrivedAt: item.createdAt,
    dueAt: item.dueAt,
    overdue: isOverdue(item, now),
    stepKind: item.step?.kind ?? null,
    issue: item.issue,
  };
}

export function inboxHandlers(): Handlers<Channel> {
  const desks = new Map<string, Desk>();

  async function deskOf(ref: CertificateRef): Promise<Desk> {
    const key = refKey(ref);
    const known = desks.get(key);
    if (known) return known;
    const server = (await loadSettings()).upload.server;
    if (server === undefined || server.trim() === '') {
      throw new KysoError('INBOX_NO_SERVER', 'No one-stop server is set (upload.server).');
    }
    const certificate = (await readTokenCertificate(ref)).der;
    // The client's key callback reads the desk's current source (set by withKey).
    const holder: { source: SignerSource | null } = { source: null };
    const client = new InboxClient({
      server,
      certificate,
      credentials: {
        kind: 'key',
        signer: async (signal) => {
          if (holder.source === null) {
            throw new KysoError('INBOX_LOGIN_NEEDED', 'The session ended; the PIN is needed to open one.');
          }
          return holder.source.open(signal);
        },
      },
    });
    const dir = inboxDir(client.server, client.assignee);
    const made: Desk = { client, cache: new InboxCache(dir), outbox: new InboxOutbox(dir), key: holder };
    desks.set(key, made);
    return made;
  }

  /** Runs `work` with the token's key available for a new session, logged out afterwards. */
  async function withKey<T>(
    desk: Desk,
    ref: CertificateRef,
    pin: string | null,
    allowFinalTry: boolean,
    work: (source: SignerSource) => Promise<T>,
  ): Promise<T> {
    const settings = await loadSettings();
    const secret = pin === null ? null : new Secret(pin);
    const source = tokenSignerSource({
      manager: await openModule(ref.modulePath, settings),
      selector: { token: ref.tokenSerial, slot: ref.slotId, keyId: ref.keyId },
      allowFinalTry,
      intermediates: await readCertificateFiles(settings.intermediates),
      getPin: async () => {
        if (secret === null) throw new KysoError('PIN_NOT_PROVIDED', 'no PIN for a token without a PIN pad');
        return secret;
      },
    });
    desk.key.source = source;
    try {
      return await work(source);
    } finally {
      desk.key.source = null;
      source.close();
    }
  }

  /**
   * The list (delivering first what waits, when the server answers), as the screen shows it. `force`:
   * the user opened the inbox, so what waits is tried now rather than at its backoff time.
   */
  async function listView(desk: Desk, signal: AbortSignal, force = false): Promise<InboxListView> {
    const queued = (): number => desk.outbox.list().filter((e) => e.state === 'queued').length;
    if (queued() > 0) {
      await flushInboxOutbox(desk.client, desk.outbox, { signal, force }).catch((err: unknown) => {
        // The server still away: the list below says offline; the files stay kept.
        if (!(err instanceof KysoError && err.code === 'INBOX_UNREACHABLE')) throw err;
      });
    }
    const listing = await listInbox({ client: desk.client, cache: desk.cache, download: true, signal });
    const now = new Date();
    return {
      items: listing.items.filter((i) => i.state === 'pending').map((i) => itemView(i, now)),
      fetchedAt: listing.fetchedAt,
      offline: listing.offline,
      // Read again: the flush above may have delivered some.
      waitingDelivery: queued(),
    };
  }

  function outcomeView(
    o: { id: string; status: 'delivered' | 'queued' | 'failed'; documentNumber: string | null },
    extra: { issuedDate: string | null; code?: string; message?: string; details?: object },
    language: Language,
  ): InboxOutcomeView {
    const code = o.status === 'delivered' ? null : ((extra.code ?? null) as InboxOutcomeView['code']);
    return {
      id: o.id,
      status: o.status,
      documentNumber: o.documentNumber,
      issuedDate: extra.issuedDate,
      code,
      message:
        code === null
          ? null
          : messageFor(code, (extra.details ?? {}) as Record<string, string | number | boolean>, language),
    };
  }

  return {
    'inbox.open': async (request, ctx) => {
      const desk = await deskOf(request.certificate);
      return withKey(desk, request.certificate, request.pin, request.allowFinalTry, async (source) => {
        // The PIN is checked here, before any request reaches the server.
        await source.open(ctx.signal);
        return listView(desk, ctx.signal, true);
      });
    },
    'inbox.list': async (request, ctx) => listView(await deskOf(request.certificate), ctx.signal),
    'inbox.document': async (request, ctx) => {
      const desk = await deskOf(request.certificate);
      const item = desk.cache.cachedItem(request.id);
      if (item === undefined) {
        throw new KysoError('INBOX_NOT_FOUND', 'This request is not in the inbox.', {
          details: { id: request.id },
        });
      }
      const cached = desk.cache.cachedDocument(item);
      if (cached !== undefined) return { path: cached };
      const doc = await desk.client.document(item.id, ctx.signal);
      if (doc.sha256 !== item.sha256) {
        throw new KysoError('INBOX_DOCUMENT_CHANGED', 'The document changed on the server.', {
          details: { id: item.id },
        });
      }
      return { path: await desk.cache.keepDocument(item, doc.data) };
    },
    'inbox.reserve': async (request, ctx) => {
      const desk = await deskOf(request.certificate);
      const r = await desk.client.reserveIssue(request.id, ctx.signal);
      return { number: r.number, issuedDate: r.issuedDate };
    },
    'inbox.sign': async (request, ctx) => {
      const desk = await deskOf(request.certificate);
      const settings = await loadSettings();
      const anchor = settings.signing.anchorText.trim();
      // The competent person's signature is seen on the page (Decree 30): the personal template,
      // under the office's title when set, else under the usual titles, else in the template's
      // corner (documents of every shape arrive here); the clerk's shows the number and date.
      const approval = profileOptions(
        { version: 1, appearance: { template: 'personal' } },
        await loadAppearanceSettings(),
      );
      const anchorCandidates = [...(anchor !== '' ? [anchor] : []), ...SIGNATURE_ANCHORS];
      const issuedTemplate = settings.bridge.issuedTemplate;
      const trust = issuedTemplate === 'seal' ? await loadTrustStore() : undefined;
      return withKey(desk, request.certificate, request.pin, request.allowFinalTry, async (source) => {
        await source.open(ctx.signal);
        const total = request.ids.length;
        const result = await signInbox({
          client: desk.client,
          cache: desk.cache,
          outbox: desk.outbox,
          ids: request.ids,
          signer: source,
          options: approval.options,
          ...(approval.appearance ? { appearance: { ...approval.appearance, anchorCandidates } } : {}),
          issued: { template: issuedTemplate },
          ...(trust ? { trust } : {}),
          signal: ctx.signal,
          lang: ctx.language,
          onEvent: (event) => {
            if (event.kind === 'item') {
              ctx.progress({ id: event.id, stage: event.stage, index: event.index, total });
            } else if (event.kind === 'outcome' && event.outcome.status === 'delivered') {
              const index = request.ids.indexOf(event.outcome.id);
              ctx.progress({ id: event.outcome.id, stage: 'delivered', index, total });
            }
          },
        });
        if (result.stopped && result.items.every((o) => o.status === 'failed')) {
          const { code, message, details } = result.stopped;
          throw new KysoError(code, message, { details });
        }
        const outcomes = result.items.map((o) => outcomeView(o, o, ctx.language));
        return { outcomes, list: await listView(desk, ctx.signal) };
      });
    },
    'inbox.decline': async (request, ctx) => {
      const desk = await deskOf(request.certificate);
      await declineInbox({ client: desk.client, cache: desk.cache, id: request.id, reason: request.reason });
      return listView(desk, ctx.signal);
    },
  };
}
