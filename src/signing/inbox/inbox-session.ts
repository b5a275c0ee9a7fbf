// Who the inbox is for, proved to the server (docs/signing-chain.md "Who is who"): the desktop signs
// the server's challenge text with the certificate's key (the token: no password travels) and gets a
// short-lived bearer token; or an admin-configured static credential is sent as it is.
import { createHash } from 'node:crypto';
import { KysoError } from '../../shared/errors.js';
import type { Secret } from '../../shared/secret.js';
import { defaultScheme, type DigestAlgorithm, type Signer } from '../cms/index.js';

/** The SHA-256 (hex) of a certificate: how the server names an assignee. */
export function certificateId(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** How the inbox proves who it is for. */
export type InboxCredentials =
  | {
      readonly kind: 'key';
      /** The certificate's key, opened (and its PIN asked) only when a session is needed. */
      readonly signer: (signal?: AbortSignal) => Promise<Signer>;
    }
  | {
      readonly kind: 'static';
      /** An admin-configured bearer token that acts for the certificate. */
      readonly credential: () => Promise<Secret | undefined>;
    };

/** POST a JSON body without credentials; the JSON answer (or the KysoError of a refusal). */
export type PostJson = (path: string, body: unknown, signal?: AbortSignal) => Promise<unknown>;

export interface Session {
  readonly token: string;
  /** When to open a new one (a little before the server forgets this one), ms since the epoch. */
  readonly renewAt: number;
}

function digestFor(signer: Signer): DigestAlgorithm {
  const key = signer.keyAlgorithm;
  if (key.kind === 'ec' && key.curve === 'P-384') return 'sha384';
  if (key.kind === 'ec' && key.curve === 'P-521') return 'sha512';
  return 'sha256';
}

/** Challenge–response: the server's nonce signed with the key of `certificate`. */
export async function openSession(
  post: PostJson,
  certificate: Uint8Array,
  openSigner: (signal?: AbortSignal) => Promise<Signer>,
  signal?: AbortSignal,
): Promise<Session> {
  const challenge = (await post(
    '/auth/challenge',
    { certificate: Buffer.from(certificate).toString('base64') },
    signal,
  )) as { nonce?: unknown; challenge?: unknown };
  if (typeof challenge.nonce !== 'string' || typeof challenge.challenge !== 'string') {
    throw new KysoError('INBOX_REQUEST_INVALID', 'The server sent no challenge.', {
      details: { message: 'challenge' },
    });
  }
  const signer = await openSigner(signal);
  if (certificateId(signer.certificate) !== certificateId(certificate)) {
    throw new KysoError('INBOX_NOT_ASSIGNEE', 'The key holds another certificate than the inbox is for.');
  }
  const scheme = defaultScheme(signer.keyAlgorithm);
  const digest = digestFor(signer);
  const signature = await signer.sign(
    new Uint8Array(Buffer.from(challenge.challenge, 'utf8')),
    { digest, scheme },
    signal ? { signal } : {},
  );
  const session = (await post(
    '/auth/session',
    { nonce: challenge.nonce, signature: Buffer.from(signature).toString('base64'), scheme, digest },
    signal,
  )) as { token?: unknown; expiresIn?: unknown };
  if (typeof session.token !== 'string' || session.token === '') {
    throw new KysoError('INBOX_REQUEST_INVALID', 'The server opened no session.', {
      details: { message: 'session' },
    });
  }
  const lifetime = typeof session.expiresIn === 'number' ? session.expiresIn : 300;
  return { token: session.token, renewAt: Date.now() + Math.max(10, lifetime - 30) * 1000 };
}
