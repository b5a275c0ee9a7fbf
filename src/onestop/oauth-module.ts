// OAuth2 client credentials (RFC 6749 §4.4) for the reference server: POST /oauth/token with the
// client's id and secret in a Basic header (or the form) returns a short-lived bearer token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readBody, sendJson, type Router } from './router.js';

export interface OAuthClients {
  readonly clients: Readonly<Record<string, string>>;
  readonly lifetimeSeconds: number;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function oauthModule(router: Router, options: OAuthClients): { isIssued(token: string): boolean } {
  const issued = new Map<string, number>();
  router.add('POST', '/oauth/token', async (req, res) => {
    const body = (await readBody(req, 16 * 1024))?.toString('utf8') ?? '';
    const form = new URLSearchParams(body);
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic?.[1]) {
      const pair = Buffer.from(basic[1], 'base64').toString('utf8');
      const i = pair.indexOf(':');
      id = decodeURIComponent(pair.slice(0, i));
      secret = decodeURIComponent(pair.slice(i + 1));
    }
    if (form.get('grant_type') !== 'client_credentials') {
      sendJson(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const expected = options.clients[id];
    if (expected === undefined || !same(expected, secret)) {
      sendJson(res, 401, { error: 'invalid_client' });
      return;
    }
    const token = randomBytes(24).toString('base64url');
    issued.set(token, Date.now() + options.lifetimeSeconds * 1000);
    sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: options.lifetimeSeconds });
  });
  return {
    isIssued: (token) => {
      const until = issued.get(token);
      return until !== undefined && until > Date.now();
    },
  };
}
