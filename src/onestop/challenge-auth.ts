// Who is calling the signing routes (README "The signing chain: who is who"). A certificate holder
// proves it holds the key: POST /auth/challenge with the certificate gives a one-time nonce; the
// desktop signs the challenge text with the token (no password ever travels) and POST /auth/session
// gives a short-lived bearer token bound to that certificate. An admin-configured static credential
// (a bearer token) stays possible for officers and for systems that cannot do challenge–response;
// it may act for any certificate holder it names.
import { X509Certificate, constants, randomBytes, timingSafeEqual, verify } from 'node:crypto';
import type http from 'node:http';
import { readBody, sendJson, type Router } from './router.js';
import { sha256Hex } from './signing-store.js';

export type CallerIdentity =
  | { readonly kind: 'certificate'; readonly sha256: string; readonly der: Buffer }
  | { readonly kind: 'static'; readonly name: string };

export interface ChallengeAuthOptions {
  /** Static bearer tokens (name → token): officers, admins, systems without challenge–response. */
  readonly staticCredentials: Readonly<Record<string, string>>;
  /** Lifetime of a session token (default 15 minutes). */
  readonly sessionSeconds?: number;
  /** Lifetime of a nonce (default 2 minutes). */
  readonly nonceSeconds?: number;
}

export interface ChallengeAuth {
  /** The caller of a request; undefined when it carries no credential, 'invalid' for a wrong one. */
  identify(req: http.IncomingMessage): CallerIdentity | 'invalid' | undefined;
}

/** The exact text the desktop signs (UTF-8): bound to the nonce and the certificate. */
export function challengeText(nonce: string, certificateSha256: string): string {
  return `kyso-signing-session-v1\n${nonce}\n${certificateSha256}`;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseJson(body: Buffer | undefined): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body?.toString('utf8') ?? '') as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function challengeAuth(router: Router, options: ChallengeAuthOptions): ChallengeAuth {
  const sessionMs = (options.sessionSeconds ?? 15 * 60) * 1000;
  const nonceMs = (options.nonceSeconds ?? 120) * 1000;
  const nonces = new Map<string, { der: Buffer; sha256: string; until: number }>();
  const sessions = new Map<string, { der: Buffer; sha256: string; until: number }>();

  const sweep = (now: number): void => {
    for (const [k, v] of nonces) if (v.until <= now) nonces.delete(k);
    for (const [k, v] of sessions) if (v.until <= now) sessions.delete(k);
  };

  router.add('POST', '/auth/challenge', async (req, res) => {
    const body = parseJson(await readBody(req, 64 * 1024));
    const b64 = body?.['certificate'];
    let cert: X509Certificate;
    let der: Buffer;
    try {
      if (typeof b64 !== 'string') throw new Error('certificate');
      der = Buffer.from(b64, 'base64');
      cert = new X509Certificate(der);
    } catch {
      sendJson(res, 400, {
        code: 'INBOX_REQUEST_INVALID',
        message: 'Cần chứng thư số (DER, base64) / "certificate" (base64 DER) required',
      });
      return;
    }
    const now = Date.now();
    if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) < now) {
      sendJson(res, 403, {
        code: 'INBOX_NOT_ASSIGNEE',
        message: 'Chứng thư số chưa hoặc đã hết hiệu lực / the certificate is not valid now',
      });
      return;
    }
    sweep(now);
    const nonce = randomBytes(24).toString('base64url');
    const sha256 = sha256Hex(der);
    nonces.set(nonce, { der, sha256, until: now + nonceMs });
    sendJson(res, 200, {
      nonce,
      challenge: challengeText(nonce, sha256),
      expiresAt: new Date(now + nonceMs).toISOString(),
    });
  });

  router.add('POST', '/auth/session', async (req, res) => {
    const body = parseJson(await readBody(req, 64 * 1024));
    const nonce = body?.['nonce'];
    const signature = body?.['signature'];
    const scheme = body?.['scheme'] ?? 'rsa-pkcs1';
    const digest = body?.['digest'] ?? 'sha256';
    const pending = typeof nonce === 'string' ? nonces.get(nonce) : undefined;
    // A nonce is good for one answer, right or wrong.
    if (typeof nonce === 'string') nonces.delete(nonce);
    if (!pending || pending.until <= Date.now() || typeof signature !== 'string') {
      sendJson(res, 401, {
        code: 'INBOX_UNAUTHORIZED',
        message: 'Mã thử thách không còn hiệu lực / unknown or expired nonce',
      });
      return;
    }
    if (
      !['sha256', 'sha384', 'sha512'].includes(String(digest)) ||
      !['rsa-pkcs1', 'rsa-pss', 'ecdsa'].includes(String(scheme))
    ) {
      sendJson(res, 400, { code: 'INBOX_REQUEST_INVALID', message: 'digest or scheme not supported' });
      return;
    }
    let ok = false;
    try {
      const key = new X509Certificate(pending.der).publicKey;
      ok = verify(
        String(digest),
        Buffer.from(challengeText(nonce as string, pending.sha256), 'utf8'),
        scheme === 'rsa-pss'
          ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }
          : { key, dsaEncoding: 'der' },
        Buffer.from(signature, 'base64'),
      );
    } catch {
      ok = false;
    }
    if (!ok) {
      sendJson(res, 401, {
        code: 'INBOX_UNAUTHORIZED',
        message:
          'Chữ ký trên mã thử thách không khớp chứng thư số / the signature does not match the certificate',
      });
      return;
    }
    const token = randomBytes(24).toString('base64url');
    const until = Date.now() + sessionMs;
    sessions.set(token, { der: pending.der, sha256: pending.sha256, until });
    sendJson(res, 200, {
      token,
      tokenType: 'Bearer',
      expiresIn: Math.round(sessionMs / 1000),
      certificate: pending.sha256,
    });
  });

  return {
    identify(req) {
      const header = req.headers.authorization;
      if (header === undefined) return undefined;
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m?.[1]) return 'invalid';
      const token = m[1];
      const session = sessions.get(token);
      if (session && session.until > Date.now()) {
        return { kind: 'certificate', sha256: session.sha256, der: session.der };
      }
      for (const [name, secret] of Object.entries(options.staticCredentials)) {
        if (same(secret, token)) return { kind: 'static', name };
      }
      return 'invalid';
    },
  };
}
