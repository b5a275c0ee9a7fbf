// Where a batch gets its signer: opened once (one login, one PIN for the whole batch), and for a
// token, opened again when the token was pulled out and put back — the PIN is then asked again
// through the same callback, never retried by itself.
import { KysoError, isKysoError, type ErrorCode } from '../../shared/errors.js';
import type { Signer } from '../cms/index.js';
import type { IdentitySelector, OpenSignerOptions, TokenManager, TokenSigner } from '../pkcs11/index.js';

export interface SignerSource {
  /** What to show while waiting for it: the token's label. */
  readonly description: string;
  /** The signer; the first call opens it (and asks the PIN). */
  open(signal?: AbortSignal): Promise<Signer>;
  /** Does `err` mean the token went away, so that the document is worth retrying after `recover`? */
  isTokenGone(err: unknown): boolean;
  /** Waits until the token is back, then logs in again; rejects with CANCELLED on `signal`. */
  recover(signal?: AbortSignal): Promise<Signer>;
  /** Logs out (for a token) and forgets the signer. */
  close(): void;
}

/** A key that cannot be pulled out: a .p12 file, the demo identity, a test key. */
export function keySignerSource(signer: Signer, description = ''): SignerSource {
  return {
    description,
    open: () => Promise.resolve(signer),
    isTokenGone: () => false,
    recover: () => Promise.reject(new KysoError('INTERNAL', 'a key file cannot be pulled out')),
    close: () => undefined,
  };
}

const GONE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PKCS11_DEVICE_REMOVED',
  'PKCS11_TOKEN_NOT_PRESENT',
  'PKCS11_SESSION_CLOSED',
]);

export interface TokenSignerSourceOptions extends OpenSignerOptions {
  readonly manager: TokenManager;
  readonly selector: IdentitySelector;
  /** A signer already opened with `manager` and `selector` (its PIN already asked). */
  readonly signer?: TokenSigner;
  /** How often to look for the token while it is out (default 500 ms). */
  readonly pollMs?: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function tokenSignerSource(options: TokenSignerSourceOptions): SignerSource {
  const { manager, selector, pollMs } = options;
  let signer: TokenSigner | undefined = options.signer;
  let opening: Promise<TokenSigner> | undefined;
  /** The token (serial) and certificate of the batch, fixed by the first opening. */
  let serial: string | undefined = signer?.session.token.serial;
  let certificate: Uint8Array | undefined = signer?.certificate;
  let label = signer?.session.token.label ?? selector.token ?? '';

  const remember = (s: TokenSigner): TokenSigner => {
    signer = s;
    serial ??= s.session.token.serial;
    certificate ??= s.certificate;
    label = s.session.token.label;
    return s;
  };

  const source: SignerSource = {
    get description() {
      return label;
    },
    open() {
      if (signer) return Promise.resolve(signer);
      opening ??= manager.openSigner(selector, options).then(remember, (err: unknown) => {
        opening = undefined;
        throw err;
      });
      return opening;
    },
    isTokenGone(err) {
      if (!isKysoError(err)) return false;
      if (GONE.has(err.code)) return true;
      // A device error with the token no longer listed is a token pulled out mid-operation.
      if (err.code === 'PKCS11_DEVICE_ERROR' && serial !== undefined) {
        try {
          return !manager.tokens().some((t) => t.slot.token.serial === serial);
        } catch {
          return true;
        }
      }
      return false;
    },
    async recover(signal) {
      const old = signer;
      signer = undefined;
      opening = undefined;
      old?.session.close();
      if (serial === undefined) return await source.open(signal);
      for (let attempt = 1; ; attempt++) {
        await manager.waitForToken(serial, {
          ...(signal ? { signal } : {}),
          ...(pollMs !== undefined ? { pollMs } : {}),
        });
        if (signal?.aborted) throw new KysoError('CANCELLED', 'Waiting for the token was cancelled.');
        let fresh: TokenSigner;
        try {
          fresh = await manager.openSigner(
            { token: serial, ...(selector.keyId !== undefined ? { keyId: selector.keyId } : {}) },
            options,
          );
        } catch (err) {
          // Just plugged in, the token may vanish once more (a loose contact): wait for it again.
          if (attempt < 5 && source.isTokenGone(err)) continue;
          throw err;
        }
        if (certificate !== undefined && !sameBytes(fresh.certificate, certificate)) {
          fresh.session.close();
          throw new KysoError('PKCS11_KEY_NOT_FOUND', 'The token put back holds another certificate.', {
            details: { token: label },
          });
        }
        return remember(fresh);
      }
    },
    close() {
      signer?.session.close();
      signer = undefined;
    },
  };
  return source;
}
