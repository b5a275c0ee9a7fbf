// From settings (and a command's overrides) to a destination and the adapters that serve it. The
// REST adapter's field names, paths and success rule, OAuth2, CAs and proxy come from settings; the
// credential from the caller's provider, at the moment of use.
import { readFileSync } from 'node:fs';
import { KysoError } from '../../shared/errors.js';
import type { Settings } from '../settings.js';
import { FolderAdapter } from './folder-adapter.js';
import { destinationId } from './idempotency-key.js';
import { RestAdapter } from './rest-adapter.js';
import type { RetryPolicy } from './retry-backoff.js';
import type { CredentialProvider, UploadAdapter, UploadDestination } from './upload-types.js';

export type UploadSettings = Settings['upload'];

/** --server / --folder first, then the settings; UPLOAD_NO_DESTINATION when there is none. */
export function uploadDestination(
  settings: Settings,
  overrides: { server?: string; folder?: string } = {},
): UploadDestination {
  if (overrides.server !== undefined && overrides.folder !== undefined) {
    throw new KysoError('USAGE', 'use --server or --folder, not both', {
      details: { reason: 'use --server or --folder, not both' },
    });
  }
  if (overrides.server !== undefined) return { kind: 'rest', server: checkedServer(overrides.server) };
  if (overrides.folder !== undefined) return { kind: 'folder', path: overrides.folder };
  const upload = settings.upload;
  if (upload.adapter === 'folder' && upload.folder.path !== undefined) {
    return { kind: 'folder', path: upload.folder.path };
  }
  if (upload.adapter === 'rest' && upload.server !== undefined)
    return { kind: 'rest', server: upload.server };
  throw new KysoError('UPLOAD_NO_DESTINATION', 'no upload destination configured');
}

function checkedServer(raw: string): string {
  try {
    const u = new URL(raw);
    if (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      u.hostname !== '' &&
      u.username === '' &&
      u.password === ''
    ) {
      return raw;
    }
  } catch {
    // below
  }
  // Credentials never travel in a URL (it would end up in the outbox and in ps output).
  throw new KysoError('USAGE', `--server takes an http(s) URL without credentials`, {
    details: { reason: '--server takes an http(s) URL without credentials' },
  });
}

export function retryPolicyFromSettings(settings: Settings): RetryPolicy {
  return settings.upload.retry;
}

/** Does delivering to this destination need a credential from the provider? */
export function needsCredential(settings: Settings, destination: UploadDestination): boolean {
  return destination.kind === 'rest' && settings.upload.rest.auth !== 'none';
}

/** A resolver of adapters by destination, one adapter (and one OAuth2 token cache) per destination. */
export function adaptersFromSettings(
  settings: Settings,
  credential: CredentialProvider,
): (destination: UploadDestination) => UploadAdapter {
  const cache = new Map<string, UploadAdapter>();
  let ca: string[] | undefined;
  return (destination) => {
    const id = destinationId(destination);
    let adapter = cache.get(id);
    if (adapter !== undefined) return adapter;
    if (destination.kind === 'folder') adapter = new FolderAdapter(destination.path);
    else {
      const rest = settings.upload.rest;
      ca ??= rest.caFiles.map((file) => {
        try {
          return readFileSync(file, 'utf8');
        } catch (cause) {
          throw new KysoError('SETTINGS_INVALID', `cannot read ${file}`, {
            details: { reason: `upload.rest.caFiles: ${file}` },
            cause,
          });
        }
      });
      const oauth2 =
        rest.oauth2.tokenUrl !== undefined && rest.oauth2.clientId !== undefined
          ? {
              tokenUrl: rest.oauth2.tokenUrl,
              clientId: rest.oauth2.clientId,
              ...(rest.oauth2.scope !== undefined ? { scope: rest.oauth2.scope } : {}),
            }
          : undefined;
      const proxy = settings.network.proxy;
      adapter = new RestAdapter({
        server: destination.server,
        path: rest.path,
        fileField: rest.fileField,
        metadataField: rest.metadataField,
        idempotencyHeader: rest.idempotencyHeader,
        successStatuses: rest.successStatuses,
        alreadyDeliveredStatuses: rest.alreadyDeliveredStatuses,
        ...(rest.successJsonField !== undefined ? { successJsonField: rest.successJsonField } : {}),
        ...(rest.successJsonValue !== undefined ? { successJsonValue: rest.successJsonValue } : {}),
        timeoutMs: rest.timeoutMs,
        ca,
        auth: rest.auth,
        ...(oauth2 ? { oauth2 } : {}),
        ...(proxy !== undefined ? { proxy: { url: proxy, noProxy: settings.network.noProxy } } : {}),
        credential,
      });
    }
    cache.set(id, adapter);
    return adapter;
  };
}
