// `kyso inbox list|sign|decline|sync`: the signing chain of the one-stop server from a certificate
// holder's desk. The identity options are those of `kyso sign`/`kyso batch`; the token (or .p12)
// proves who the inbox is for by signing the server's challenge, and signs the documents, with one
// PIN for the whole command (from the terminal, --pin-stdin or --pin-env: never from argv). The
// server is --server or upload.server in the settings. Exit 0: everything done; 1: something failed
// or waits for delivery; 2: bad usage.
import { isKysoError, KysoError } from '../shared/errors.js';
import type { Lang } from '../shared/messages.js';
import { issuedChoice } from './inbox-options.js';
import {
  flushInboxOutbox,
  InboxCache,
  InboxClient,
  inboxDir,
  InboxOutbox,
  listInbox,
  declineInbox,
  signInbox,
  type InboxView,
} from '../signing/inbox-api.js';
import { retryDelay } from '../signing/upload-api.js';
import { loadTrustStore } from '../signing/verify-api.js';
import { batchSigningOptions } from './batch-options.js';
import { batchSignerFrom, type BatchSigner } from './batch-signer.js';
import { errorLine, EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';
import { commandSettings } from './command-settings.js';
import { itemLine, listHeader, outcomeLine, progressLine } from './inbox-text.js';
import { APPEARANCE_OPTIONS, SIGNATURE_OPTIONS } from './sign-command.js';
import { SIGNER_OPTIONS } from './signer-options.js';

const COMMON = {
  ...SIGNER_OPTIONS,
  server: { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
} as const;

const USAGE_LIKE: ReadonlySet<string> = new Set(['USAGE', 'SETTINGS_INVALID', 'INBOX_NO_SERVER']);

export async function inboxCommand(argv: string[], lang: Lang): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'list':
        return await listCommand(rest, lang);
      case 'sign':
        return await signCommand(rest, lang);
      case 'decline':
        return await declineCommand(rest, lang);
      case 'sync':
        return await syncCommand(rest, lang);
      default:
        throw usageError('kyso inbox list | sign ID... | decline ID --reason TEXT | sync [--watch]');
    }
  } catch (err) {
    if (!isKysoError(err) || !USAGE_LIKE.has(err.code)) throw err;
    process.stderr.write(`${errorLine(err, lang)}\n`);
    return EXIT.USAGE;
  }
}

interface Desk {
  readonly client: InboxClient;
  readonly cache: InboxCache;
  readonly outbox: InboxOutbox;
  readonly signer: BatchSigner;
}

async function serverOf(given: string | undefined): Promise<string> {
  const server = given ?? (await commandSettings()).upload.server;
  if (server === undefined || server.trim() === '') {
    throw new KysoError('INBOX_NO_SERVER', 'No one-stop server: --server URL or upload.server.');
  }
  return server;
}

/** The identity (its PIN asked once, here) and the inbox of its certificate on the server. */
async function openDesk(
  values: Parameters<typeof batchSignerFrom>[0] & { server?: string },
  lang: Lang,
): Promise<Desk> {
  const server = await serverOf(values.server);
  const signer = await batchSignerFrom(values, lang);
  try {
    const opened = await signer.source.open();
    const client = new InboxClient({
      server,
      certificate: opened.certificate,
      credentials: { kind: 'key', signer: (signal) => signer.source.open(signal) },
    });
    const dir = inboxDir(client.server, client.assignee);
    return { client, cache: new InboxCache(dir), outbox: new InboxOutbox(dir), signer };
  } catch (err) {
    signer.close();
    throw err;
  }
}

function parseView(value: string | undefined): InboxView {
  const view = value ?? 'pending';
  if (view !== 'pending' && view !== 'done' && view !== 'all') {
    throw usageError(`--state takes pending, done or all, not "${view}"`);
  }
  return view;
}

async function listCommand(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...COMMON, state: { type: 'string' }, download: { type: 'boolean' } },
    true,
  );
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`);
  const view = parseView(values.state);
  const desk = await openDesk(values, lang);
  try {
    const listing = await listInbox({
      client: desk.client,
      cache: desk.cache,
      view,
      download: values.download ?? false,
    });
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ items: listing.items, fetchedAt: listing.fetchedAt, offline: listing.offline }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(`${listHeader(listing.items.length, listing.offline, listing.fetchedAt, lang)}\n`);
      for (const item of listing.items) process.stdout.write(`${itemLine(item, lang)}\n`);
    }
    return EXIT.OK;
  } finally {
    desk.signer.close();
  }
}

async function signCommand(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...COMMON,
      ...SIGNATURE_OPTIONS,
      ...APPEARANCE_OPTIONS,
      all: { type: 'boolean' },
      'issued-template': { type: 'string' },
      'seal-image': { type: 'string' },
    },
    true,
  );
  if (values.all && positionals.length > 0) throw usageError('give request IDs or --all, not both');
  if (!values.all && positionals.length === 0) throw usageError('give the request IDs to sign, or --all');
  const batch = await batchSigningOptions(values, undefined);
  const issued = await issuedChoice(values);
  const sealing =
    issued.template === 'seal' ||
    (batch.appearance?.template === 'seal' && batch.appearance.allowSealWithoutSignature !== true);
  const trust = sealing ? await loadTrustStore() : undefined;
  const desk = await openDesk(values, lang);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const ids = values.all
      ? (await listInbox({ client: desk.client, cache: desk.cache, view: 'pending' })).items.map((i) => i.id)
      : positionals;
    const result = await signInbox({
      client: desk.client,
      cache: desk.cache,
      outbox: desk.outbox,
      ids,
      signer: desk.signer.source,
      options: batch.options,
      ...(batch.appearance ? { appearance: batch.appearance } : {}),
      issued,
      ...(trust ? { trust } : {}),
      signal: stop.signal,
      lang,
      onEvent: (event) => {
        const line = progressLine(event, lang);
        if (line !== undefined) process.stderr.write(`${line}\n`);
      },
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      for (const o of result.items) process.stdout.write(`${outcomeLine(o, lang)}\n`);
    }
    if (result.stopped) {
      const { code, message, details } = result.stopped;
      process.stderr.write(`${errorLine(new KysoError(code, message, { details }), lang)}\n`);
    }
    const allDelivered = result.items.every((o) => o.status === 'delivered');
    return allDelivered && !result.stopped && !result.cancelled && result.items.length === ids.length
      ? EXIT.OK
      : EXIT.FAILED;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    desk.signer.close();
  }
}

async function declineCommand(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON, reason: { type: 'string' } }, true);
  if (positionals.length !== 1) throw usageError('give one request ID: kyso inbox decline ID --reason TEXT');
  const reason = values.reason?.trim() ?? '';
  if (reason === '') throw usageError('a decline needs its reason: --reason TEXT');
  const desk = await openDesk(values, lang);
  try {
    const item = await declineInbox({
      client: desk.client,
      cache: desk.cache,
      id: positionals[0] as string,
      reason,
    });
    if (values.json) process.stdout.write(`${JSON.stringify(item, null, 2)}\n`);
    else process.stdout.write(`${itemLine(item, lang)}\n`);
    return EXIT.OK;
  } finally {
    desk.signer.close();
  }
}

/**
 * Downloads the pending list and documents, and delivers what waits in the outbox. With --watch,
 * again every --interval seconds (default 60) until interrupted; after a failure the next round
 * waits longer (backoff), up to 10 minutes.
 */
async function syncCommand(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...COMMON, watch: { type: 'boolean' }, interval: { type: 'string' } },
    true,
  );
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`);
  const interval = Number(values.interval ?? 60);
  if (!Number.isFinite(interval) || interval < 1 || interval > 86_400) {
    throw usageError(`--interval takes seconds (1–86400), not "${values.interval}"`);
  }
  const desk = await openDesk(values, lang);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let failures = 0;
  try {
    for (;;) {
      let ok = true;
      try {
        const listing = await listInbox({
          client: desk.client,
          cache: desk.cache,
          download: true,
          signal: stop.signal,
        });
        const flushed = await flushInboxOutbox(desk.client, desk.outbox, {
          force: true,
          signal: stop.signal,
        });
        const line =
          lang === 'vi'
            ? `${listHeader(listing.items.length, listing.offline, listing.fetchedAt, lang)}; đã gửi ${flushed.delivered.length}, còn chờ gửi ${flushed.kept.length}, bị từ chối ${flushed.failed.length}`
            : `${listHeader(listing.items.length, listing.offline, listing.fetchedAt, lang)}; delivered ${flushed.delivered.length}, waiting ${flushed.kept.length}, refused ${flushed.failed.length}`;
        process.stdout.write(`${line}\n`);
        ok = !listing.offline && flushed.kept.length === 0 && flushed.failed.length === 0;
      } catch (err) {
        if (stop.signal.aborted) break;
        if (!values.watch) throw err;
        process.stderr.write(`${errorLine(err, lang)}\n`);
        ok = false;
      }
      if (!values.watch) return ok ? EXIT.OK : EXIT.FAILED;
      failures = ok ? 0 : failures + 1;
      const wait =
        failures === 0
          ? interval * 1000
          : retryDelay({ baseMs: 5_000, maxMs: 10 * 60_000, maxAttempts: 0 }, failures);
      const slept = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), wait);
        stop.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve(false);
          },
          { once: true },
        );
      });
      if (!slept) break;
    }
    return EXIT.OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    desk.signer.close();
  }
}
