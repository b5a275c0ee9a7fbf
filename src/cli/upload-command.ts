// `kyso upload FILE... --dossier CODE`: checks the dossier code, verifies and queues each signed
// result in the outbox (<KYSO_HOME>/outbox), then, unless --queue-only, delivers them now and prints
// the outcome. The credential comes from KYSO_UPLOAD_TOKEN only (never argv, never written).
// Exit 0: every file delivered (or queued, with --queue-only); 1: some refused, failed or still
// waiting for a retry; 2: bad usage.
import { isKysoError, KysoError } from '../shared/errors.js';
import { messageFor, type Lang } from '../shared/messages.js';
import { Secret } from '../shared/secret.js';
import type { Settings } from '../signing/settings.js';
import {
  adaptersFromSettings,
  flushOutbox,
  needsCredential,
  Outbox,
  parseDossierCode,
  queueDocument,
  retryPolicyFromSettings,
  uploadDestination,
  type FlushEvent,
  type OutboxItem,
  type OutboxState,
  type UploadDestination,
} from '../signing/upload-api.js';
import { loadTrustStore } from '../signing/verify-api.js';
import { errorLine, EXIT, usageError } from './cli-io.js';
import { parseCommandArgs } from './command-args.js';
import { commandSettings } from './command-settings.js';

export const TOKEN_ENV = 'KYSO_UPLOAD_TOKEN';

/** The CLI's credential: the environment variable, read at the moment of use, kept as a Secret. */
export function envCredential(): Secret | undefined {
  const value = process.env[TOKEN_ENV];
  return value === undefined || value.trim() === '' ? undefined : new Secret(value.trim());
}

export function requireCredential(settings: Settings, destinations: readonly UploadDestination[]): void {
  if (destinations.some((d) => needsCredential(settings, d)) && envCredential() === undefined) {
    throw new KysoError('UPLOAD_CREDENTIAL_MISSING', `${TOKEN_ENV} is not set`, {
      details: { credentialSource: 'environment' },
    });
  }
}

export function parseWait(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 86_400)
    throw usageError(`--wait takes seconds (0–86400), not "${value}"`);
  return Math.round(n * 1000);
}

export const STATE_TEXT: Readonly<Record<Lang, Readonly<Record<OutboxState, string>>>> = {
  vi: {
    queued: 'đang chờ gửi',
    sending: 'đang gửi',
    delivered: 'đã gửi',
    failed: 'gửi lỗi',
    cancelled: 'đã hủy',
  },
  en: {
    queued: 'queued',
    sending: 'sending',
    delivered: 'delivered',
    failed: 'failed',
    cancelled: 'cancelled',
  },
};

/** One line about an item: number, state, file, dossier, and why it failed or when it is retried. */
export function itemLine(item: OutboxItem, lang: Lang): string {
  const parts = [`#${item.id}`, STATE_TEXT[lang][item.state], item.fileName, '→', item.dossierCode];
  if (item.state === 'delivered' && item.alreadyDelivered) {
    parts.push(lang === 'vi' ? '(máy chủ đã có từ lần gửi trước)' : '(the server already had it)');
  }
  if ((item.state === 'failed' || item.state === 'queued') && item.lastError) {
    const e = item.lastError;
    // The stored message is the server's words, or the address and the network's reason.
    const [url = '', reason = ''] = e.message.split(' ');
    const where = e.code === 'UPLOAD_FILE_CHANGED' ? item.sourcePath : e.message;
    // The CLI's credential is the environment variable: the message names it.
    const details = {
      status: e.status ?? '',
      message: e.message,
      url,
      reason,
      path: where,
      credentialSource: 'environment',
    };
    parts.push(`— ${messageFor(e.code, details, lang)} [${e.code}]`);
  }
  if (item.state === 'queued' && item.nextAttemptAt && item.attempts > 0) {
    parts.push(lang === 'vi' ? `(thử lại lúc ${item.nextAttemptAt})` : `(next try ${item.nextAttemptAt})`);
  }
  return parts.join(' ');
}

export function itemJson(item: OutboxItem): Record<string, unknown> {
  return {
    id: item.id,
    state: item.state,
    dossierCode: item.dossierCode,
    fileName: item.fileName,
    sourcePath: item.sourcePath,
    documentNumber: item.documentNumber,
    documentType: item.documentType,
    signer: item.signerName,
    signingTime: item.signingTime,
    sha256: item.sha256,
    size: item.size,
    destination: item.destination,
    idempotencyKey: item.idempotencyKey,
    attempts: item.attempts,
    nextAttemptAt: item.nextAttemptAt,
    lastError: item.lastError,
    alreadyDelivered: item.alreadyDelivered,
    warnings: item.warnings,
    createdAt: item.createdAt,
    deliveredAt: item.deliveredAt,
  };
}

/**
 * Progress on stderr while delivering: retries as they are scheduled, and (for flush, `all`) each
 * outcome with a running count; the final states go to stdout.
 */
export function progressPrinter(lang: Lang, all: boolean): (event: FlushEvent) => void {
  let done = 0;
  return (event) => {
    if (event.type === 'retry-scheduled') process.stderr.write(`${itemLine(event.item, lang)}\n`);
    else if (all && (event.type === 'delivered' || event.type === 'failed')) {
      done++;
      process.stderr.write(`[${done}] ${itemLine(event.item, lang)}\n`);
    }
  };
}

/** Delivers (all due items, or `only`), waiting up to waitMs for retries; the credential from the env. */
export async function deliver(
  outbox: Outbox,
  settings: Settings,
  options: { only?: readonly number[]; waitMs: number; onEvent?: (event: FlushEvent) => void },
): Promise<void> {
  const controller = new AbortController();
  // Ctrl+C: claims go back to the queue, nothing is half-recorded.
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await flushOutbox({
      outbox,
      adapterFor: adaptersFromSettings(settings, envCredential),
      retry: retryPolicyFromSettings(settings),
      concurrency: settings.upload.concurrency,
      waitMs: options.waitMs,
      signal: controller.signal,
      // A claim outlives any single request's silence, so a live sender is never overtaken.
      leaseMs: settings.upload.rest.timeoutMs * 2 + 30_000,
      ...(options.only ? { only: options.only } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const OPTIONS = {
  dossier: { type: 'string' },
  server: { type: 'string' },
  folder: { type: 'string' },
  'doc-number': { type: 'string' },
  'doc-type': { type: 'string' },
  'queue-only': { type: 'boolean' },
  'no-copy': { type: 'boolean' },
  'allow-broken-signatures': { type: 'boolean' },
  wait: { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
} as const;

export async function uploadCommand(argv: string[], lang: Lang): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, true);
  if (positionals.length === 0) throw usageError('kyso upload needs at least one PDF file');
  if (values.dossier === undefined) throw usageError('kyso upload needs --dossier CODE');
  // Before anything is read or queued.
  const dossier = parseDossierCode(values.dossier);
  const waitMs = parseWait(values.wait, 30);
  const settings = await commandSettings();
  const destination = uploadDestination(settings, {
    ...(values.server !== undefined ? { server: values.server } : {}),
    ...(values.folder !== undefined ? { folder: values.folder } : {}),
  });
  if (!values['queue-only']) requireCredential(settings, [destination]);

  const outbox = Outbox.open();
  try {
    // One trust store for every file (the data folder's): the chain is only a warning here.
    const trust = await loadTrustStore({});
    const queued: OutboxItem[] = [];
    const refused: { file: string; code: string; message: string }[] = [];
    for (const file of positionals) {
      try {
        const result = await queueDocument({
          outbox,
          file,
          dossierCode: dossier.code,
          destination,
          ...(values['doc-number'] !== undefined ? { documentNumber: values['doc-number'] } : {}),
          ...(values['doc-type'] !== undefined ? { documentType: values['doc-type'] } : {}),
          copy: !values['no-copy'],
          allowBrokenSignatures: values['allow-broken-signatures'] ?? false,
          lang,
          trust,
        });
        queued.push(result.item);
        if (!values.json) {
          for (const w of result.warnings)
            process.stderr.write(`kyso: ${file}: ${lang === 'vi' ? 'cảnh báo' : 'warning'}: ${w}\n`);
          if (result.existing) {
            process.stderr.write(
              lang === 'vi'
                ? `kyso: ${file} đã có trong hàng đợi gửi (#${result.item.id}, ${STATE_TEXT.vi[result.item.state]}); không gửi lại lần nữa.\n`
                : `kyso: ${file} is already in the outbox (#${result.item.id}, ${result.item.state}); it is not sent twice.\n`,
            );
          }
        }
      } catch (err) {
        if (!isKysoError(err) || err.code === 'UPLOAD_OUTBOX_UNAVAILABLE' || err.code === 'CANCELLED')
          throw err;
        refused.push({ file, code: err.code, message: messageFor(err.code, err.details, lang) });
        if (!values.json) process.stderr.write(`${errorLine(err, lang)}\n`);
      }
    }

    const ids = queued.map((i) => i.id);
    let deliveryError: unknown;
    if (!values['queue-only'] && ids.length > 0) {
      try {
        await deliver(outbox, settings, {
          only: ids,
          waitMs,
          ...(values.json ? {} : { onEvent: progressPrinter(lang, false) }),
        });
      } catch (err) {
        deliveryError = err;
      }
    }
    const final = outbox.list({ ids });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ items: final.map(itemJson), refused }, null, 2)}\n`);
    } else {
      for (const item of final) process.stdout.write(`${itemLine(item, lang)}\n`);
    }
    if (deliveryError !== undefined) throw deliveryError;
    const ok = values['queue-only']
      ? final.every((i) => i.state !== 'failed' && i.state !== 'cancelled')
      : final.every((i) => i.state === 'delivered');
    return refused.length === 0 && ok ? EXIT.OK : EXIT.FAILED;
  } finally {
    outbox.close();
  }
}
