// The REST adapter (README "One-stop REST contract"): POST {server}{path} as multipart/form-data
// with the signed PDF and its metadata, an Idempotency-Key and the credential. What an answer means:
// success statuses (any 2xx by default) = delivered; 409 = already delivered; 401/403 = the
// credential is refused; 413 = too large; other 4xx = refused with the server's message (permanent);
// 408/425/429, 5xx, timeouts, resets and dropped connections = try again later.
import { KysoError, type ErrorCode } from '../../shared/errors.js';
import type { Secret } from '../../shared/secret.js';
import type { ProxySettings } from '../net/http-proxy.js';
import { postStream, type PostResult } from './http-post.js';
import { multipartBody } from './multipart-body.js';
import { OAuth2Client } from './oauth2-client.js';
import type {
  CredentialProvider,
  DeliveryOutcome,
  DeliveryRequest,
  UploadAdapter,
  UploadDestination,
} from './upload-types.js';

export interface RestAdapterConfig {
  readonly server: string;
  readonly path: string;
  readonly fileField: string;
  readonly metadataField: string;
  readonly idempotencyHeader: string;
  readonly successStatuses: readonly number[];
  readonly alreadyDeliveredStatuses: readonly number[];
  readonly successJsonField?: string;
  readonly successJsonValue?: string;
  readonly timeoutMs: number;
  readonly ca: readonly string[];
  readonly auth: 'bearer' | 'oauth2' | 'none';
  readonly oauth2?: { readonly tokenUrl: string; readonly clientId: string; readonly scope?: string };
  readonly proxy?: ProxySettings;
  readonly credential: CredentialProvider;
}

/** The server's own words from an answer: a JSON message/error member, else the text. */
export function serverMessage(text: string): string {
  let message = text;
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['message', 'Message', 'error_description', 'error', 'detail', 'title']) {
      const v = o[key];
      if (typeof v === 'string' && v !== '') {
        message = v;
        break;
      }
    }
  } catch {
    // not JSON: the text itself
  }
  // One line, printable, short: it goes into the outbox and onto a terminal.
  return (
    message
      // eslint-disable-next-line no-control-regex -- control characters are what must go
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .trim()
      .slice(0, 300)
  );
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function resultsUrl(server: string, pathTemplate: string, dossierCode: string): URL {
  const base = server.replace(/\/+$/, '');
  const path = pathTemplate.replace(/\{dossierCode\}/g, encodeURIComponent(dossierCode));
  return new URL(`${base}${path.startsWith('/') ? '' : '/'}${path}`);
}

export class RestAdapter implements UploadAdapter {
  readonly destination: UploadDestination;
  readonly #oauth: OAuth2Client | undefined;

  constructor(private readonly config: RestAdapterConfig) {
    this.destination = { kind: 'rest', server: config.server };
    this.#oauth =
      config.auth === 'oauth2' && config.oauth2
        ? new OAuth2Client({
            ...config.oauth2,
            timeoutMs: config.timeoutMs,
            ca: config.ca,
            ...(config.proxy ? { proxy: config.proxy } : {}),
          })
        : undefined;
    if (config.auth === 'oauth2' && !config.oauth2) {
      throw new KysoError('SETTINGS_INVALID', 'upload.rest.oauth2 needs tokenUrl and clientId', {
        details: { reason: 'upload.rest.oauth2: tokenUrl and clientId are required for auth "oauth2"' },
      });
    }
  }

  async #credential(): Promise<Secret | undefined> {
    if (this.config.auth === 'none') return undefined;
    const secret = await this.config.credential();
    if (secret === undefined || secret.length === 0) {
      throw new KysoError('UPLOAD_CREDENTIAL_MISSING', 'no upload credential');
    }
    return secret;
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
    const credential = await this.#credential();
    let outcome = await this.#attempt(request, credential);
    // An OAuth2 token can be revoked or expire early: one fresh token, then the verdict stands.
    if (this.#oauth && outcome.kind === 'failed' && outcome.code === 'UPLOAD_UNAUTHORIZED') {
      this.#oauth.invalidate();
      outcome = await this.#attempt(request, credential);
    }
    return outcome;
  }

  async #attempt(request: DeliveryRequest, credential: Secret | undefined): Promise<DeliveryOutcome> {
    const { metadata } = request;
    const url = resultsUrl(this.config.server, this.config.path, metadata.dossierCode);
    const display = `${url.protocol}//${url.host}${url.pathname}`;
    let bearer: Secret | undefined;
    if (credential !== undefined) {
      try {
        bearer = this.#oauth ? await this.#oauth.accessToken(credential, request.signal) : credential;
      } catch (error) {
        if (error instanceof KysoError && error.code === 'UPLOAD_OAUTH_FAILED') {
          // The token service may be down for a moment like any server.
          const reason = String(error.details['reason'] ?? '').replace(/\s+/g, '-');
          return {
            kind: error.details['permanent'] === true ? 'failed' : 'retry',
            code: error.code,
            message: `${String(error.details['url'])} ${reason}`,
            status: null,
          };
        }
        throw error;
      }
    }
    const body = multipartBody({
      metadataField: this.config.metadataField,
      metadata,
      fileField: this.config.fileField,
      fileName: metadata.fileName,
      file: request.file,
      fileSize: metadata.size,
    });
    const result = await postStream({
      url,
      headers: {
        'Content-Type': body.contentType,
        Accept: 'application/json',
        [this.config.idempotencyHeader]: metadata.idempotencyKey,
        ...(bearer ? { Authorization: `Bearer ${bearer.reveal()}` } : {}),
      },
      body,
      timeoutMs: this.config.timeoutMs,
      ca: this.config.ca,
      ...(this.config.proxy ? { proxy: this.config.proxy } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onBytes ? { onBytes: request.onBytes } : {}),
    });
    return this.#judge(result, display, [credential, bearer]);
  }

  #judge(result: PostResult, url: string, secrets: readonly (Secret | undefined)[]): DeliveryOutcome {
    if (!result.ok) {
      if (result.failure === 'timeout') {
        return { kind: 'retry', code: 'UPLOAD_TIMEOUT', message: url, status: null };
      }
      if (result.failure === 'tls') {
        return { kind: 'failed', code: 'UPLOAD_TLS', message: `${url} ${result.detail}`, status: null };
      }
      return { kind: 'retry', code: 'UPLOAD_UNREACHABLE', message: `${url} ${result.detail}`, status: null };
    }
    const status = result.status;
    // A server that echoes the request must not put the credential into the outbox or a log.
    let message = serverMessage(result.text);
    for (const secret of secrets) {
      if (secret !== undefined && secret.length >= 4)
        message = message.split(secret.reveal()).join('[secret]');
    }
    const success =
      this.config.successStatuses.length > 0
        ? this.config.successStatuses.includes(status)
        : status >= 200 && status < 300;
    if (success) {
      if (this.config.successJsonField !== undefined && !this.#jsonSaysSuccess(result.text)) {
        return { kind: 'failed', code: 'UPLOAD_REJECTED', message: message || `HTTP ${status}`, status };
      }
      return { kind: 'delivered', already: false, status, receipt: result.text.slice(0, 2000) || null };
    }
    if (this.config.alreadyDeliveredStatuses.includes(status)) {
      return { kind: 'delivered', already: true, status, receipt: result.text.slice(0, 2000) || null };
    }
    const permanent = (code: ErrorCode): DeliveryOutcome => ({
      kind: 'failed',
      code,
      message: message || `HTTP ${status}`,
      status,
    });
    if (status === 401 || status === 403) return permanent('UPLOAD_UNAUTHORIZED');
    if (status === 413) return permanent('UPLOAD_TOO_LARGE');
    if (status === 408 || status === 425 || status === 429 || status >= 500) {
      const after = retryAfterMs(result.headers['retry-after']);
      return {
        kind: 'retry',
        code: 'UPLOAD_SERVER_ERROR',
        message: message || `HTTP ${status}`,
        status,
        ...(after !== undefined ? { retryAfterMs: after } : {}),
      };
    }
    return permanent('UPLOAD_REJECTED');
  }

  #jsonSaysSuccess(text: string): boolean {
    try {
      const o = JSON.parse(text) as Record<string, unknown>;
      const v = o[this.config.successJsonField as string];
      return v !== undefined && v !== null && String(v) === (this.config.successJsonValue ?? '');
    } catch {
      return false;
    }
  }
}
