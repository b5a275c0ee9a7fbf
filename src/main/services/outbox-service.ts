// outbox.* and upload.settings.*: the app's side of delivery to the one-stop system (issue 15), over
// the engine's public entry kyso/upload. The engine checks the dossier code, refuses a file whose
// signatures are broken (unless the caller overrides), records the document durably before any
// network call and delivers it; this service adds the app's destination (kept apart from the
// settings.json IT staff preset) and the upload credential, which is write-only through the
// contract: set or cleared, never returned, never logged, never written in plain text.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type {
  Language,
  OutboxItemView,
  OutboxStateName,
  UploadSettingsView,
} from '../../shared/contract/index.js';
import { KysoError } from '../../shared/errors.js';
import { messageFor } from '../../shared/messages.js';
import { Secret } from '../../shared/secret.js';
import { kysoHome } from '../../signing/settings.js';
import { loadEffectiveSettings, type Settings } from '../../signing/settings.js';
import {
  adaptersFromSettings,
  flushOutbox,
  needsCredential,
  Outbox,
  queueDocument,
  retryPolicyFromSettings,
  uploadDestination,
  type OutboxItem,
  type UploadDestination,
} from '../../signing/upload-api.js';
import { writeFileAtomic } from './atomic-write.js';
import { memoryVault, type CredentialVault } from './credential-vault.js';
import { assertChangeAllowed } from './policy-service.js';
import type { Handlers } from './service-types.js';

export const UPLOAD_TOKEN_ENV = 'KYSO_UPLOAD_TOKEN';

function envCredential(): Secret | undefined {
  const value = process.env[UPLOAD_TOKEN_ENV];
  return value === undefined || value.trim() === '' ? undefined : new Secret(value.trim());
}

// ---------------------------------------------------------------------------------------------
// The app's destination: <KYSO_HOME>/app-upload.json, over the settings file's upload section

const AppUploadSchema = z
  .object({
    adapter: z.enum(['rest', 'folder']).optional(),
    server: z.string().url().optional(),
    folderPath: z.string().min(1).optional(),
  })
  .catch({});
type AppUpload = z.infer<typeof AppUploadSchema>;

export function appUploadPath(home: string = kysoHome()): string {
  return path.join(home, 'app-upload.json');
}

async function loadAppUpload(): Promise<AppUpload> {
  try {
    return AppUploadSchema.parse(JSON.parse(await readFile(appUploadPath(), 'utf8')));
  } catch {
    return {};
  }
}

/**
 * settings.json (with the machine policy) and the app's destination on top, except where the policy
 * locks the key: there the policy's value holds whatever app-upload.json says.
 */
async function effectiveSettings(): Promise<Settings> {
  const effective = await loadEffectiveSettings();
  const { settings } = effective;
  const stored = await loadAppUpload();
  const free = (key: string): boolean => effective.lockOf(key) === null;
  const app: AppUpload = {
    ...(stored.adapter !== undefined && free('upload.adapter') ? { adapter: stored.adapter } : {}),
    ...(stored.server !== undefined && free('upload.server') ? { server: stored.server } : {}),
    ...(stored.folderPath !== undefined && free('upload.folder.path')
      ? { folderPath: stored.folderPath }
      : {}),
  };
  return {
    ...settings,
    upload: {
      ...settings.upload,
      ...(app.adapter !== undefined ? { adapter: app.adapter } : {}),
      ...(app.server !== undefined ? { server: app.server } : {}),
      folder: {
        ...settings.upload.folder,
        ...(app.folderPath !== undefined ? { path: app.folderPath } : {}),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Views

/** The stored failure in the app's language (the stored message is the server's words or the reason). */
function errorView(item: OutboxItem, language: Language): OutboxItemView['lastError'] {
  const e = item.lastError;
  if (e === null) return null;
  const [url = '', reason = ''] = e.message.split(' ');
  // The app's messages point to its own credential setting, not the CLI's environment variable.
  const details = {
    status: e.status ?? '',
    message: e.message,
    url,
    reason,
    path: item.fileName,
    credentialSource: 'app',
  };
  return { code: e.code, message: messageFor(e.code, details, language), status: e.status };
}

function itemView(item: OutboxItem, language: Language): OutboxItemView {
  return {
    id: item.id,
    fileName: item.fileName,
    dossierCode: item.dossierCode,
    documentNumber: item.documentNumber,
    documentType: item.documentType,
    destination: item.destination,
    state: item.state,
    attempts: item.attempts,
    nextAttemptAt: item.nextAttemptAt,
    lastError: errorView(item, language),
    alreadyDelivered: item.alreadyDelivered,
    warnings: item.warnings,
    createdAt: item.createdAt,
    deliveredAt: item.deliveredAt,
  };
}

async function withOutbox<T>(work: (outbox: Outbox) => Promise<T> | T): Promise<T> {
  const outbox = Outbox.open();
  try {
    return await work(outbox);
  } finally {
    outbox.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Handlers

export interface OutboxServiceOptions {
  /**
   * Default: memory. Electron's safeStorage exists only in the shell's main process, not in the
   * utility process that runs these handlers: there the engine gives a HostHeldVault, which holds
   * what the shell's safeStorageVault pushes (see host-held-vault.ts).
   */
  readonly vault?: CredentialVault;
}

type OutboxChannel =
  | 'outbox.list'
  | 'outbox.queue'
  | 'outbox.retry'
  | 'outbox.cancel'
  | 'outbox.flush'
  | 'upload.settings.get'
  | 'upload.settings.set';

export function outboxHandlers(options: OutboxServiceOptions = {}): Handlers<OutboxChannel> {
  const vault = options.vault ?? memoryVault();
  const credential = async (): Promise<Secret | undefined> => (await vault.read()) ?? envCredential();

  const settingsView = async (): Promise<UploadSettingsView> => {
    const settings = await effectiveSettings();
    const stored = await vault.read();
    return {
      adapter: settings.upload.adapter,
      server: settings.upload.server ?? null,
      folderPath: settings.upload.folder.path ?? null,
      credential: stored !== undefined ? 'stored' : envCredential() !== undefined ? 'environment' : 'none',
      credentialStore: vault.kind,
      needsCredential: settings.upload.adapter === 'rest' && settings.upload.rest.auth !== 'none',
    };
  };

  return {
    'outbox.list': async (_request, ctx) =>
      withOutbox((outbox) => ({
        items: outbox.list().map((item) => itemView(item, ctx.language)),
        counts: outbox.counts() as Record<OutboxStateName, number>,
      })),

    'outbox.queue': async (request, ctx) => {
      const settings = await effectiveSettings();
      // The destination first: a document is not copied into the outbox with nowhere to go.
      const destination: UploadDestination = uploadDestination(settings);
      return withOutbox(async (outbox) => {
        const result = await queueDocument({
          outbox,
          file: request.path,
          dossierCode: request.dossierCode,
          destination,
          ...(request.docNumber ? { documentNumber: request.docNumber } : {}),
          ...(request.docType ? { documentType: request.docType } : {}),
          allowBrokenSignatures: request.override === true,
          signal: ctx.signal,
          lang: ctx.language,
        });
        return {
          item: itemView(result.item, ctx.language),
          existing: result.existing,
          warnings: result.warnings,
        };
      });
    },

    'outbox.retry': async (request) =>
      withOutbox((outbox) => {
        if ('allFailed' in request) return { retried: outbox.retryAllFailed() };
        outbox.retry(request.id);
        return { retried: 1 };
      }),

    'outbox.cancel': async (request, ctx) =>
      withOutbox((outbox) => ({ item: itemView(outbox.cancel(request.id), ctx.language) })),

    'outbox.flush': async (request, ctx) => {
      const settings = await effectiveSettings();
      return withOutbox(async (outbox) => {
        const only = request.ids;
        const due = outbox
          .list()
          .filter((i) => i.state === 'queued' && (only === undefined || only.includes(i.id)));
        // Asked before anything is claimed: nothing is sent half-authorised.
        if (due.some((i) => needsCredential(settings, i.destination)) && (await credential()) === undefined) {
          throw new KysoError('UPLOAD_CREDENTIAL_MISSING', 'no upload credential', {
            details: { credentialSource: 'app' },
          });
        }
        let done = 0;
        const result = await flushOutbox({
          outbox,
          adapterFor: adaptersFromSettings(settings, credential),
          retry: retryPolicyFromSettings(settings),
          concurrency: settings.upload.concurrency,
          waitMs: 0,
          signal: ctx.signal,
          leaseMs: settings.upload.rest.timeoutMs * 2 + 30_000,
          ...(only !== undefined ? { only } : {}),
          onEvent: (event) => {
            switch (event.type) {
              case 'bytes':
                ctx.progress({ stage: 'bytes', id: event.id, sent: event.sent, total: event.total, done });
                return;
              case 'waiting':
                ctx.progress({ stage: 'waiting', done });
                return;
              case 'sending':
                ctx.progress({ stage: 'sending', id: event.item.id, fileName: event.item.fileName, done });
                return;
              default:
                done++;
                ctx.progress({ stage: event.type, id: event.item.id, fileName: event.item.fileName, done });
            }
          },
        });
        return {
          delivered: result.delivered,
          failed: result.failed,
          retried: result.retried,
          counts: result.counts as Record<OutboxStateName, number>,
        };
      });
    },

    'upload.settings.get': async () => settingsView(),

    'upload.settings.set': async (request) => {
      // A locked destination (machine policy) is refused, before anything is written.
      const effective = await loadEffectiveSettings();
      const inForce = await effectiveSettings();
      if (request.adapter !== undefined) {
        assertChangeAllowed(effective, 'upload.adapter', request.adapter, inForce.upload.adapter, 'adapter');
      }
      if (request.server !== undefined) {
        assertChangeAllowed(
          effective,
          'upload.server',
          request.server,
          inForce.upload.server ?? null,
          'server',
        );
      }
      if (request.folderPath !== undefined) {
        const wanted = request.folderPath === null ? null : path.resolve(request.folderPath);
        const now = inForce.upload.folder.path ?? null;
        assertChangeAllowed(
          effective,
          'upload.folder.path',
          wanted,
          now === null ? null : path.resolve(now),
          'folderPath',
        );
      }
      const current = await loadAppUpload();
      const next: AppUpload = { ...current };
      if (request.adapter !== undefined) next.adapter = request.adapter;
      if (request.server === null) delete next.server;
      else if (request.server !== undefined) {
        // Same rule as --server: http(s), no credentials in the URL (it would be stored with each item).
        uploadDestination(effective.settings, { server: request.server });
        next.server = request.server;
      }
      if (request.folderPath === null) delete next.folderPath;
      else if (request.folderPath !== undefined) next.folderPath = path.resolve(request.folderPath);
      await writeFileAtomic(appUploadPath(), `${JSON.stringify(next, null, 2)}\n`);
      if (request.credential !== undefined) {
        if ('set' in request.credential) await vault.store(new Secret(request.credential.set.trim()));
        else await vault.clear();
      }
      return settingsView();
    },
  };
}
