// Who signs for the bridge. The bridge never asks for a PIN itself: an identity hands it a signer
// for one signing, asking the PIN (or the .p12 password) through whatever provider its maker gave
// it: the CLI reads it once at start (--pin-env or the terminal), the app will show its PIN dialog.
import type { Signer } from '../cms/signer.js';

export interface AcquiredSigner {
  readonly signer: Signer;
  /** Ends this use (logs out, for a per-request identity). */
  release(): void;
}

export interface BridgeIdentity {
  /** DER of the signing certificate: shown to the user before signing, returned by GetCertInfo. */
  certificate(signal?: AbortSignal): Promise<Uint8Array>;
  /** A signer for one signing, after the user said yes. */
  acquire(signal?: AbortSignal): Promise<AcquiredSigner>;
}

/** A signer opened once (e.g. at start, after the PIN was given) and used for every request. */
export function heldSignerIdentity(signer: Signer): BridgeIdentity {
  return {
    certificate: () => Promise.resolve(signer.certificate),
    acquire: () => Promise.resolve({ signer, release: () => undefined }),
  };
}

/**
 * A signer opened for each signing: `open` asks the PIN through its provider (the app's dialog) only
 * once the user agreed. The certificate is known beforehand (from the token listing, no login).
 */
export function perRequestIdentity(
  certificate: Uint8Array,
  open: (signal?: AbortSignal) => Promise<{ readonly signer: Signer; close(): void }>,
): BridgeIdentity {
  return {
    certificate: () => Promise.resolve(certificate),
    acquire: async (signal) => {
      const opened = await open(signal);
      return { signer: opened.signer, release: () => opened.close() };
    },
  };
}
