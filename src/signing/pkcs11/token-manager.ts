// Finds PKCS#11 libraries (command line, KYSO_PKCS11_MODULE, settings, the catalogue), loads the
// ones that pass the probe, and turns "the token and certificate the user meant" into a signer.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import type { Secret } from '../../shared/secret.js';
import { allowsSigning } from '../x509/certificate-info.js';
import { orderCertificateChain } from '../x509/certificate-chain.js';
import { catalogueCandidates } from './module-catalogue.js';
import {
  Pkcs11Module,
  type ModuleOpenOptions,
  type SlotSummary,
  type TokenSummary,
} from './pkcs11-module.js';
import { TokenSession, type LoginOptions, type TokenCertificate } from './token-session.js';
import { TokenSigner } from './token-signer.js';

export type ModuleOrigin = 'option' | 'env' | 'settings' | 'catalogue';

export interface ModuleRequest {
  readonly path: string;
  readonly origin: ModuleOrigin;
  readonly vendor?: string;
}

export interface ModuleSourceInput {
  /** `--module PATH`, possibly repeated: when given, only these are used. */
  readonly explicit?: readonly string[];
  readonly settings?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Also search the catalogue of known Vietnamese token libraries (default true). */
  readonly catalogue?: boolean;
}

/** The libraries to load, most specific first, each path once. */
export function resolveModuleRequests(input: ModuleSourceInput): ModuleRequest[] {
  const out: ModuleRequest[] = [];
  const seen = new Set<string>();
  const add = (p: string, origin: ModuleOrigin, vendor?: string): void => {
    const resolved = path.resolve(p);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    out.push(vendor === undefined ? { path: resolved, origin } : { path: resolved, origin, vendor });
  };
  if (input.explicit && input.explicit.length > 0) {
    for (const p of input.explicit) add(p, 'option');
    return out;
  }
  const fromEnv = input.env?.['KYSO_PKCS11_MODULE'];
  if (fromEnv) for (const p of fromEnv.split(path.delimiter).filter(Boolean)) add(p, 'env');
  for (const p of input.settings ?? []) add(p, 'settings');
  if (input.catalogue ?? true) {
    for (const c of catalogueCandidates()) if (existsSync(c.path)) add(c.path, 'catalogue', c.entry.vendor);
  }
  return out;
}

export interface LoadedModule {
  readonly request: ModuleRequest;
  readonly module: Pkcs11Module;
}

export interface ModuleFailure {
  readonly request: ModuleRequest;
  readonly error: KysoError;
}

export interface TokenRef {
  readonly module: Pkcs11Module;
  readonly slot: SlotSummary & { readonly token: TokenSummary };
}

export interface IdentitySelector {
  /** Token label (exact, after trimming) or serial. */
  readonly token?: string;
  readonly slot?: number;
  /** CKA_ID in hex. */
  readonly keyId?: string;
}

export interface OpenSignerOptions extends LoginOptions {
  /** Asked once the token is chosen and known not to be locked; null means a PIN pad. */
  readonly getPin: (token: TokenSummary) => Promise<Secret | null>;
  /** Extra intermediates (DER) to complete the chain, from settings. */
  readonly intermediates?: readonly Uint8Array[];
}

export class TokenManager {
  readonly modules: readonly LoadedModule[];
  readonly failures: readonly ModuleFailure[];

  private constructor(modules: LoadedModule[], failures: ModuleFailure[]) {
    this.modules = modules;
    this.failures = failures;
  }

  static async open(
    requests: readonly ModuleRequest[],
    options: ModuleOpenOptions = {},
  ): Promise<TokenManager> {
    const modules: LoadedModule[] = [];
    const failures: ModuleFailure[] = [];
    for (const request of requests) {
      try {
        modules.push({ request, module: await Pkcs11Module.open(request.path, options) });
      } catch (err) {
        const error =
          err instanceof KysoError
            ? err
            : new KysoError('PKCS11_MODULE_NOT_LOADABLE', `${request.path} could not be loaded.`, {
                cause: err,
              });
        failures.push({ request, error });
      }
    }
    return new TokenManager(modules, failures);
  }

  /** Every present token in every loaded library, re-read now. */
  tokens(): TokenRef[] {
    const out: TokenRef[] = [];
    for (const { module } of this.modules) {
      for (const slot of module.listSlots()) {
        if (slot.token) out.push({ module, slot: { ...slot, token: slot.token } });
      }
    }
    return out;
  }

  findToken(selector: IdentitySelector): TokenRef {
    const all = this.tokens();
    if (this.modules.length === 0) {
      const first = this.failures[0];
      if (first) throw first.error;
      throw new KysoError(
        'PKCS11_NO_MODULE',
        'No PKCS#11 library was found. Install the token driver or pass --module.',
      );
    }
    let matches = all;
    if (selector.slot !== undefined) matches = matches.filter((t) => t.slot.slotId === selector.slot);
    if (selector.token !== undefined) {
      const wanted = selector.token.normalize('NFC');
      matches = matches.filter((t) => t.slot.token.label === wanted || t.slot.token.serial === wanted);
    }
    const [only, ...rest] = matches;
    if (!only) {
      if (all.length === 0) {
        throw new KysoError(
          'PKCS11_TOKEN_NOT_PRESENT',
          'No token is plugged in. Insert the USB token and try again.',
        );
      }
      throw new KysoError('PKCS11_TOKEN_NOT_FOUND', 'No token matches the one asked for.', {
        details: { token: selector.token, slot: selector.slot },
      });
    }
    if (rest.length > 0) {
      throw new KysoError(
        'PKCS11_TOKEN_AMBIGUOUS',
        `Several tokens are present (${matches.map((t) => `"${t.slot.token.label}"`).join(', ')}); choose one with --token or --slot.`,
        { details: { count: matches.length } },
      );
    }
    return only;
  }

  /**
   * Opens a session on the chosen token, logs in (asking the PIN only after checking the token's
   * PIN state) and returns a signer for the chosen certificate. The caller closes `signer.session`.
   */
  async openSigner(selector: IdentitySelector, options: OpenSignerOptions): Promise<TokenSigner> {
    const ref = this.findToken(selector);
    const session = TokenSession.open(ref.module, ref.slot.slotId);
    try {
      const token = session.refreshToken();
      assertLoginAllowed(token, options);
      // A PIN pad takes the PIN on the device: never ask for it on screen.
      const pin = token.flags.protectedAuthenticationPath ? null : await options.getPin(token);
      session.login(pin, options);
      const certs = session.listCertificates();
      const cert = chooseCertificate(certs, selector.keyId);
      const key = session.keyForCertificate(cert.info, cert.idHex);
      if (!key) {
        throw new KysoError(
          'PKCS11_KEY_NOT_FOUND',
          `The private key of certificate ${cert.idHex} is not on the token.`,
          {
            details: { keyId: cert.idHex },
          },
        );
      }
      const pool = [
        ...certs.filter((c) => c.isAuthority).map((c) => c.info.der),
        ...(options.intermediates ?? []),
      ];
      return new TokenSigner(session, key, cert.info, orderCertificateChain(cert.info.der, pool));
    } catch (err) {
      session.close();
      throw err;
    }
  }

  /**
   * Waits until a token with this serial is present again (a pulled-out token put back), polling the
   * slot list since C_WaitForSlotEvent blocks and is unreliable across vendors.
   */
  async waitForToken(
    serial: string,
    options: { signal?: AbortSignal; pollMs?: number } = {},
  ): Promise<TokenRef> {
    const pollMs = options.pollMs ?? 500;
    for (;;) {
      if (options.signal?.aborted) throw new KysoError('CANCELLED', 'Waiting for the token was cancelled.');
      const found = this.tokens().find((t) => t.slot.token.serial === serial);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  close(): void {
    for (const { module } of this.modules) module.close();
  }
}

export function assertLoginAllowed(token: TokenSummary, options: LoginOptions): void {
  if (token.flags.userPinLocked) {
    throw new KysoError(
      'PKCS11_PIN_LOCKED',
      `The PIN of token "${token.label}" is locked. Contact the CA that issued the token to unlock it.`,
      { details: { token: token.label } },
    );
  }
  if (token.flags.userPinFinalTry && !options.allowFinalTry) {
    throw new KysoError(
      'PKCS11_PIN_FINAL_TRY',
      `Token "${token.label}" allows only one more PIN attempt; a wrong PIN now locks it.`,
      { details: { token: token.label } },
    );
  }
}

/** The certificate to sign with: the one asked for, or the only signing certificate with a key. */
export function chooseCertificate(
  certs: readonly TokenCertificate[],
  keyId: string | undefined,
): TokenCertificate {
  if (keyId !== undefined) {
    const wanted = keyId.toLowerCase().replace(/[^0-9a-f]/g, '');
    const found = certs.find((c) => c.idHex === wanted && !c.isAuthority);
    if (!found) {
      throw new KysoError('PKCS11_KEY_NOT_FOUND', `No certificate with key ID ${keyId} is on the token.`, {
        details: { keyId },
      });
    }
    return found;
  }
  const usable = certs.filter((c) => !c.isAuthority && c.hasPrivateKey === true && allowsSigning(c.info));
  const [only, ...rest] = usable;
  if (!only) {
    throw new KysoError(
      'PKCS11_KEY_NOT_FOUND',
      'The token holds no signing certificate with its private key.',
    );
  }
  if (rest.length > 0) {
    throw new KysoError(
      'PKCS11_KEY_AMBIGUOUS',
      `The token holds ${usable.length} signing certificates; choose one with --key (${usable.map((c) => c.idHex).join(', ')}).`,
      { details: { count: usable.length } },
    );
  }
  return only;
}
