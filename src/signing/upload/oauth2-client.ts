// OAuth2 client credentials (RFC 6749 §4.4) as an alternative to a fixed token: the client secret
// is the configured credential; access tokens are asked for when needed and kept in memory only,
// until shortly before they expire (or the server refuses one).
import { KysoError } from '../../shared/errors.js';
import type { Secret } from '../../shared/secret.js';
import { Secret as SecretValue } from '../../shared/secret.js';
import type { ProxySettings } from '../net/http-proxy.js';
import { postStream } from './http-post.js';

export interface OAuth2Config {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly scope?: string;
  readonly timeoutMs: number;
  readonly proxy?: ProxySettings;
  readonly ca?: readonly string[];
}

/** `permanent`: the token service refused the client (4xx): retrying with the same secret cannot help. */
function failed(url: string, reason: string, permanent = false): KysoError {
  const u = new URL(url);
  return new KysoError('UPLOAD_OAUTH_FAILED', `OAuth2 token request failed: ${reason}`, {
    details: { url: `${u.protocol}//${u.host}${u.pathname}`, reason, permanent },
  });
}

export class OAuth2Client {
  #token: { value: Secret; expiresAt: number } | undefined;

  constructor(private readonly config: OAuth2Config) {}

  /** Forget the current token (the server answered 401 with it). */
  invalidate(): void {
    this.#token = undefined;
  }

  async accessToken(clientSecret: Secret, signal?: AbortSignal): Promise<Secret> {
    if (this.#token !== undefined && this.#token.expiresAt > Date.now()) return this.#token.value;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.config.scope !== undefined && this.config.scope !== '') form.set('scope', this.config.scope);
    const body = Buffer.from(form.toString(), 'utf8');
    // client_secret_basic (RFC 6749 §2.3.1): the form-encoded id and secret in a Basic header.
    const basic = Buffer.from(
      `${encodeURIComponent(this.config.clientId)}:${encodeURIComponent(clientSecret.reveal())}`,
      'utf8',
    ).toString('base64');
    const result = await postStream({
      url: new URL(this.config.tokenUrl),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        Authorization: `Basic ${basic}`,
      },
      body: {
        length: body.length,
        async *chunks() {
          yield body;
        },
      },
      timeoutMs: this.config.timeoutMs,
      ...(this.config.proxy ? { proxy: this.config.proxy } : {}),
      ...(this.config.ca ? { ca: this.config.ca } : {}),
      ...(signal ? { signal } : {}),
    });
    if (!result.ok) throw failed(this.config.tokenUrl, `${result.failure} ${result.detail}`);
    if (result.status !== 200) {
      throw failed(
        this.config.tokenUrl,
        `HTTP ${result.status}`,
        result.status >= 400 && result.status < 500,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.text);
    } catch {
      throw failed(this.config.tokenUrl, 'answer is not JSON');
    }
    const o = parsed as { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    if (typeof o.access_token !== 'string' || o.access_token === '') {
      throw failed(this.config.tokenUrl, 'no access_token');
    }
    if (typeof o.token_type === 'string' && o.token_type.toLowerCase() !== 'bearer') {
      throw failed(this.config.tokenUrl, `token type ${o.token_type.slice(0, 20)}`);
    }
    const lifetime = typeof o.expires_in === 'number' && o.expires_in > 0 ? o.expires_in : 300;
    // Renew 30 s early (or at half-life for short tokens): a token must not expire mid-upload.
    const margin = Math.min(30, lifetime / 2);
    this.#token = {
      value: new SecretValue(o.access_token),
      expiresAt: Date.now() + (lifetime - margin) * 1000,
    };
    return this.#token.value;
  }
}
