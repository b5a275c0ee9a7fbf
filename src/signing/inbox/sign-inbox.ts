// Signs inbox items with one login: each item is checked (still pending, this certificate's step),
// its document taken from the cache or downloaded (SHA-256 checked), and at the clerk's issue step
// its number and date reserved first and written into the visible signature; the batch engine signs
// it (the same SignerSource for every item, so the PIN is asked once); the signed file goes to the
// inbox outbox before the first delivery attempt, so that with the network gone it is kept and
// delivered later, once. Per item the outcome is delivered, queued (kept for later) or failed with
// its code; a failure that concerns every item (the PIN, the certificate) stops the run.
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { isKysoError, KysoError, type ErrorCode, type ErrorDetails } from '../../shared/errors.js';
import type { Lang } from '../../shared/messages.js';
import { issuedAppearance } from '../appearance/issued-appearance.js';
import {
  loadAppearanceSettings,
  type AppearanceRequest,
  type AppearanceSettings,
  type DisplayRect,
} from '../appearance/index.js';
import type { BatchEvent } from '../batch/batch-result.js';
import { runBatch } from '../batch/run-batch.js';
import type { SignerSource } from '../batch/signer-source.js';
import type { PdfSignOptions } from '../sign/sign-pdf.js';
import type { RetryPolicy } from '../upload/retry-backoff.js';
import type { TrustStore } from '../verify/index.js';
import type { InboxCache } from './inbox-cache.js';
import type { InboxClient, IssueReservation } from './inbox-client.js';
import type { InboxItem } from './inbox-item.js';
import {
  deliverEntry,
  inboxDeliveryKey,
  type InboxDeliveryEvent,
  type InboxOutbox,
  type InboxOutboxEntry,
} from './inbox-outbox.js';

/** How the clerk's signature shows the number and date (Decree 30): a text block, or the seal. */
export interface IssuedAppearanceChoice {
  readonly template?: 'text' | 'seal';
  readonly settings?: AppearanceSettings;
  readonly organization?: string;
  readonly sealImage?: string;
  readonly rect?: DisplayRect;
  readonly anchor?: string;
}

export interface SignInboxRequest {
  readonly client: InboxClient;
  readonly cache: InboxCache;
  readonly outbox: InboxOutbox;
  readonly ids: readonly string[];
  readonly signer: SignerSource;
  /** Options of every signature (reason, level, TSA…). */
  readonly options?: PdfSignOptions;
  /** The visible signature at an approval step (none when absent). */
  readonly appearance?: AppearanceRequest;
  /** The visible signature at the issue step (default: the text template). */
  readonly issued?: IssuedAppearanceChoice;
  /** Judges earlier signatures for the seal template (Decree 30 art. 32). */
  readonly trust?: TrustStore;
  /** Where signing happens (default: the cache's folder). */
  readonly workDir?: string;
  /** Stops after the item in progress; its signed file (if any) is kept in the outbox. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: InboxSignEvent) => void;
  readonly lang?: Lang;
  readonly retry?: RetryPolicy;
  /** The data folder of appearance settings and stored images. */
  readonly home?: string;
}

export type InboxItemStage = 'checking' | 'downloading' | 'reserving' | 'signing' | 'signed';

export type InboxSignEvent =
  | {
      readonly kind: 'item';
      readonly id: string;
      readonly stage: InboxItemStage;
      readonly index: number;
      readonly total: number;
    }
  | { readonly kind: 'reserved'; readonly id: string; readonly reservation: IssueReservation }
  | { readonly kind: 'batch'; readonly id: string; readonly event: BatchEvent }
  | { readonly kind: 'delivery'; readonly id: string; readonly event: InboxDeliveryEvent }
  | { readonly kind: 'outcome'; readonly outcome: InboxSignOutcome };

export type InboxOutcomeStatus = 'delivered' | 'queued' | 'failed';

export interface InboxSignOutcome {
  readonly id: string;
  readonly status: InboxOutcomeStatus;
  readonly stepKind: 'approve' | 'issue' | null;
  readonly documentNumber: string | null;
  readonly issuedDate: string | null;
  /** The request's state after delivery (pending at the next step, done). */
  readonly serverState: string | null;
  /** The signed file, kept in the outbox (queued or delivered). */
  readonly signedFile: string | null;
  /** Delivered by an earlier run (or an earlier attempt whose answer was lost). */
  readonly earlier: boolean;
  readonly code?: ErrorCode;
  readonly message?: string;
  readonly details?: ErrorDetails;
}

export interface SignInboxResult {
  readonly items: readonly InboxSignOutcome[];
  /** A failure that concerns every item stopped the run (the rest were not tried). */
  readonly stopped?: { readonly code: ErrorCode; readonly message: string; readonly details: ErrorDetails };
  readonly cancelled: boolean;
}

/** The code of a request that is no longer waiting for a signature. */
function stateError(item: InboxItem): KysoError {
  const details = { id: item.id, state: item.state, reason: item.declineReason ?? '' };
  if (item.state === 'withdrawn')
    return new KysoError('INBOX_WITHDRAWN', 'The request was withdrawn.', { details });
  if (item.state === 'declined')
    return new KysoError('INBOX_DECLINED', 'The request was declined.', { details });
  return new KysoError('INBOX_ALREADY_DONE', 'This step is already done.', { details });
}

function outcomeOfEntry(entry: InboxOutboxEntry, outbox: InboxOutbox, earlier: boolean): InboxSignOutcome {
  const status: InboxOutcomeStatus = entry.state;
  return {
    id: entry.id,
    status,
    stepKind: entry.stepKind,
    documentNumber: entry.documentNumber,
    issuedDate: entry.issuedDate,
    serverState: entry.serverState,
    signedFile: status === 'failed' ? null : outbox.file(entry.key),
    earlier,
    ...(entry.error && status !== 'delivered'
      ? { code: entry.error.code, message: entry.error.message, details: { id: entry.id } }
      : {}),
  };
}

function failure(id: string, err: KysoError): InboxSignOutcome {
  return {
    id,
    status: 'failed',
    stepKind: null,
    documentNumber: null,
    issuedDate: null,
    serverState: null,
    signedFile: null,
    earlier: false,
    code: err.code,
    message: err.message,
    details: { ...err.details, id: String(err.details['id'] ?? id) },
  };
}

/** Failures that concern every item: stop instead of failing each one the same way. */
function stopsRun(code: ErrorCode): boolean {
  return (
    code === 'PIN_NOT_PROVIDED' ||
    code === 'CANCELLED' ||
    code === 'INBOX_UNAUTHORIZED' ||
    code === 'INBOX_NO_SERVER' ||
    code.startsWith('PKCS11_') ||
    code.startsWith('CERT_') ||
    code.startsWith('P12_')
  );
}

export async function signInbox(request: SignInboxRequest): Promise<SignInboxResult> {
  const { client, cache, outbox } = request;
  const outcomes: InboxSignOutcome[] = [];
  const emit = (event: InboxSignEvent): void => request.onEvent?.(event);
  const done = (o: InboxSignOutcome): void => {
    outcomes.push(o);
    emit({ kind: 'outcome', outcome: o });
  };
  let settings: AppearanceSettings | undefined = request.issued?.settings;
  for (const [index, id] of request.ids.entries()) {
    if (request.signal?.aborted) return { items: outcomes, cancelled: true };
    const stage = (s: InboxItemStage): void =>
      emit({ kind: 'item', id, stage: s, index, total: request.ids.length });
    try {
      stage('checking');
      // A step signed here and not yet delivered: deliver it, never sign it twice.
      const waiting = outbox.list().find((e) => e.id === id && e.state === 'queued');
      if (waiting) {
        const after = await deliverEntry(client, outbox, waiting, {
          signal: request.signal,
          retry: request.retry,
          onEvent: (event) => emit({ kind: 'delivery', id, event }),
        });
        done(outcomeOfEntry(after, outbox, false));
        continue;
      }
      const item = await currentItem(client, cache, id, request.signal);
      // Delivered by an earlier run, and the request has moved on since (unless it came back to
      // this certificate at a later step, which is signed as any other).
      const mine = item.state === 'pending' && item.step?.certificates.includes(client.assignee) === true;
      const delivered = outbox
        .list()
        .find((e) => e.id === id && e.state === 'delivered' && (!mine || e.step >= (item.step?.index ?? 0)));
      if (delivered) {
        done(outcomeOfEntry(delivered, outbox, true));
        continue;
      }
      if (item.state !== 'pending' || item.step === null) throw stateError(item);
      if (!item.step.certificates.includes(client.assignee)) {
        throw new KysoError('INBOX_NOT_ASSIGNEE', 'This certificate is not the assignee of this step.', {
          details: { id },
        });
      }
      stage('downloading');
      const document = await documentOf(client, cache, item, request.signal);
      let reservation: IssueReservation | undefined;
      if (item.step.kind === 'issue') {
        stage('reserving');
        reservation = await client.reserveIssue(id, request.signal);
        emit({ kind: 'reserved', id, reservation });
      }
      stage('signing');
      let appearance: AppearanceRequest | undefined = request.appearance;
      let options: PdfSignOptions = request.options ?? {};
      if (reservation) {
        settings ??= await loadAppearanceSettings(request.home);
        const choice = request.issued ?? {};
        appearance = {
          ...issuedAppearance({
            template: choice.template ?? 'text',
            settings,
            docNumber: reservation.number,
            issuedDate: reservation.issuedDate,
            organization: choice.organization,
            sealImage: choice.sealImage,
            rect: choice.rect,
            anchor: choice.anchor,
          }),
          ...(request.home !== undefined ? { home: request.home } : {}),
        };
        options = {
          ...options,
          reason:
            options.reason ?? `Ban hành văn bản số ${reservation.number} ngày ${reservation.issuedDate}`,
        };
      }
      const signed = await signOne(request, item, document.file, options, appearance);
      if (signed === 'cancelled') return { items: outcomes, cancelled: true };
      stage('signed');
      const key = inboxDeliveryKey(client.server, client.assignee, id, item.step.index);
      await outbox.remove(key); // an earlier entry refused for good (a changed document)
      const entry = await outbox.add(
        {
          key,
          id,
          step: item.step.index,
          stepKind: item.step.kind,
          title: item.title,
          dossierCode: item.dossierCode,
          fileName: item.fileName,
          baseSha256: document.sha256,
          sha256: signed.sha256,
          documentNumber: reservation?.number ?? null,
          issuedDate: reservation?.issuedDate ?? null,
        },
        signed.data,
      );
      await rm(signed.dir, { recursive: true, force: true });
      const after = await deliverEntry(client, outbox, entry, {
        signal: request.signal,
        retry: request.retry,
        onEvent: (event) => emit({ kind: 'delivery', id, event }),
      });
      if (after.state === 'delivered') await cache.dropPending(id);
      if (after.state === 'failed' && after.error?.code === 'INBOX_DOCUMENT_CHANGED') {
        await cache.forget(document);
      }
      done(outcomeOfEntry(after, outbox, false));
    } catch (err) {
      const e = isKysoError(err)
        ? err
        : new KysoError('INTERNAL', 'An unexpected error occurred.', { cause: err });
      if (stopsRun(e.code)) {
        if (e.code === 'CANCELLED') return { items: outcomes, cancelled: true };
        return {
          items: outcomes,
          cancelled: false,
          stopped: { code: e.code, message: e.message, details: e.details },
        };
      }
      done(failure(id, e));
    }
  }
  return { items: outcomes, cancelled: false };
}

/** The request as the server sees it now; offline, as last listed. */
async function currentItem(
  client: InboxClient,
  cache: InboxCache,
  id: string,
  signal: AbortSignal | undefined,
): Promise<InboxItem> {
  try {
    return await client.get(id, signal);
  } catch (err) {
    if (!isKysoError(err) || err.code !== 'INBOX_UNREACHABLE') throw err;
    const cached = cache.cachedItem(id);
    if (!cached) throw err;
    return cached;
  }
}

/** The document to sign: the cached copy of this version, else downloaded (and kept). */
async function documentOf(
  client: InboxClient,
  cache: InboxCache,
  item: InboxItem,
  signal: AbortSignal | undefined,
): Promise<{ file: string; sha256: string; id: string; version: number }> {
  const cached = cache.cachedDocument(item);
  if (cached) return { file: cached, sha256: item.sha256, id: item.id, version: item.version };
  let doc;
  try {
    doc = await client.document(item.id, signal);
  } catch (err) {
    if (isKysoError(err) && err.code === 'INBOX_UNREACHABLE') {
      throw new KysoError('INBOX_NOT_DOWNLOADED', 'The document was never downloaded here.', {
        details: { id: item.id },
        cause: err,
      });
    }
    throw err;
  }
  // The version the server holds now (it may have changed since the item was read).
  const ref = { id: item.id, version: doc.version ?? item.version, sha256: doc.sha256 };
  const file = await cache.keepDocument(ref, doc.data);
  return { file, ...ref };
}

/** One document through the batch engine; the signed bytes, or 'cancelled'. */
async function signOne(
  request: SignInboxRequest,
  item: InboxItem,
  input: string,
  options: PdfSignOptions,
  appearance: AppearanceRequest | undefined,
): Promise<{ data: Buffer; sha256: string; dir: string } | 'cancelled'> {
  const dir = path.join(request.workDir ?? path.join(request.cache.dir, 'signing'), randomUUID());
  const inDir = path.join(dir, 'in');
  await mkdir(inDir, { recursive: true, mode: 0o700 });
  const name = `${item.id.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
  await copyFile(input, path.join(inDir, name));
  const outDir = path.join(dir, 'out');
  let result;
  try {
    result = await runBatch({
      inputs: [path.join(inDir, name)],
      outDir,
      suffix: '-signed',
      signer: request.signer,
      options,
      ...(appearance ? { appearance } : {}),
      ...(request.trust ? { trust: request.trust } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.lang ? { lang: request.lang } : {}),
      onEvent: (event) => request.onEvent?.({ kind: 'batch', id: item.id, event }),
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  if (result.stopped) {
    await rm(dir, { recursive: true, force: true });
    throw new KysoError(result.stopped.code, result.stopped.message, { details: result.stopped.details });
  }
  const doc = result.documents[0];
  if (result.cancelled || !doc || doc.status === 'pending') {
    await rm(dir, { recursive: true, force: true });
    return 'cancelled';
  }
  if (doc.status === 'failed') {
    await rm(dir, { recursive: true, force: true });
    throw new KysoError(doc.code ?? 'INTERNAL', doc.message ?? 'The document could not be signed.', {
      details: { ...(doc.details ?? {}), id: item.id },
    });
  }
  const data = await readFile(doc.output);
  return { data, sha256: createHash('sha256').update(data).digest('hex'), dir };
}
