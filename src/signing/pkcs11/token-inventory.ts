// What is plugged in, as plain data: libraries → slots → tokens (flags decoded) → certificates.
// `kyso tokens --json`, `kyso doctor` and the app's token screen all show this one structure.
import type { KysoError } from '../../shared/errors.js';
import type { PinState, TokenFlags } from './token-flags.js';
import type { ModuleOrigin, TokenManager } from './token-manager.js';
import type { TokenSummary } from './pkcs11-module.js';
import type { Secret } from '../../shared/secret.js';
import { TokenSession } from './token-session.js';

export interface InventoryCertificate {
  readonly id: string;
  readonly label: string;
  readonly subjectCN: string | null;
  readonly subjectDN: string;
  readonly issuerDN: string;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyType: 'rsa' | 'ec';
  readonly keySize: number;
  readonly curve: string | null;
  readonly keyUsage: readonly string[] | null;
  readonly isAuthority: boolean;
  /** null when the token hides its private keys until login and none was done. */
  readonly hasPrivateKey: boolean | null;
  readonly sha256: string;
}

export interface InventoryToken {
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly flags: TokenFlags;
  readonly pinState: PinState;
  readonly minPinLength: number;
  readonly maxPinLength: number;
  readonly certificates: readonly InventoryCertificate[];
  /** Private keys without a certificate (seen only after login). */
  readonly keysWithoutCertificate: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
}

export interface InventorySlot {
  readonly slotId: number;
  readonly description: string;
  readonly tokenPresent: boolean;
  readonly token: InventoryToken | null;
}

export interface InventoryModule {
  readonly path: string;
  readonly origin: ModuleOrigin;
  readonly vendor: string | null;
  readonly loaded: boolean;
  readonly manufacturer: string | null;
  readonly description: string | null;
  readonly cryptokiVersion: string | null;
  readonly error: InventoryModuleError | null;
  readonly slots: readonly InventorySlot[];
}

export interface InventoryModuleError {
  readonly code: string;
  readonly message: string;
  readonly reason: string | null;
  /** For a library of the wrong architecture: its architecture and this process's (which build to install). */
  readonly arch: string | null;
  readonly processArch: string | null;
}

function errorOf(err: KysoError): InventoryModuleError {
  const text = (key: string): string | null => {
    const v = err.details[key];
    return typeof v === 'string' ? v : null;
  };
  return {
    code: err.code,
    message: err.message,
    reason: text('reason'),
    arch: text('arch'),
    processArch: text('processArch'),
  };
}

export interface InventoryLogin {
  /** The token to log in to, so that its private keys show (many tokens hide them until login). */
  readonly serial: string;
  readonly pin: Secret | null;
  readonly allowFinalTry?: boolean;
}

export function takeInventory(manager: TokenManager, login?: InventoryLogin): InventoryModule[] {
  const loaded: InventoryModule[] = manager.modules.map(({ request, module }) => ({
    path: request.path,
    origin: request.origin,
    vendor: request.vendor ?? null,
    loaded: true,
    manufacturer: module.manufacturer,
    description: module.description,
    cryptokiVersion: module.cryptokiVersion,
    error: null,
    slots: module.listSlots().map((slot) => ({
      slotId: slot.slotId,
      description: slot.description,
      tokenPresent: slot.tokenPresent,
      token: slot.token
        ? (readTokenContents(module, slot.slotId, login?.serial === slot.token.serial ? login : undefined) ??
          emptyToken(slot.token))
        : null,
    })),
  }));
  const failed: InventoryModule[] = manager.failures.map(({ request, error }) => ({
    path: request.path,
    origin: request.origin,
    vendor: request.vendor ?? null,
    loaded: false,
    manufacturer: null,
    description: null,
    cryptokiVersion: null,
    error: errorOf(error),
    slots: [],
  }));
  return [...loaded, ...failed];
}

/** A token we could not open a session with (not initialised, busy): its info without contents. */
function emptyToken(t: TokenSummary): InventoryToken {
  return {
    label: t.label,
    manufacturer: t.manufacturer,
    model: t.model,
    serial: t.serial,
    flags: t.flags,
    pinState: t.pinState,
    minPinLength: t.minPinLength,
    maxPinLength: t.maxPinLength,
    certificates: [],
    keysWithoutCertificate: [],
  };
}

function readTokenContents(
  module: TokenManager['modules'][number]['module'],
  slotId: number,
  login: InventoryLogin | undefined,
): InventoryToken | null {
  let session: TokenSession;
  try {
    session = TokenSession.open(module, slotId);
  } catch {
    return null;
  }
  try {
    // A failed login is the user's business (wrong PIN): it propagates instead of being listed.
    if (login)
      session.login(
        login.pin,
        login.allowFinalTry === undefined ? {} : { allowFinalTry: login.allowFinalTry },
      );
    const t = session.token;
    const base = {
      label: t.label,
      manufacturer: t.manufacturer,
      model: t.model,
      serial: t.serial,
      flags: t.flags,
      pinState: t.pinState,
      minPinLength: t.minPinLength,
      maxPinLength: t.maxPinLength,
    };
    try {
      const certs = session.listCertificates();
      const certIds = new Set(certs.map((c) => c.idHex));
      return {
        ...base,
        certificates: certs.map((c) => ({
          id: c.idHex,
          label: c.label,
          subjectCN: c.info.subjectCN ?? null,
          subjectDN: c.info.subjectDN,
          issuerDN: c.info.issuerDN,
          serial: c.info.serialHex,
          notBefore: c.info.notBefore.toISOString(),
          notAfter: c.info.notAfter.toISOString(),
          keyType: c.info.key.kind,
          keySize: c.info.key.bits,
          curve: c.info.key.kind === 'ec' ? c.info.key.curve : null,
          keyUsage: c.info.keyUsage ?? null,
          isAuthority: c.isAuthority,
          hasPrivateKey: c.hasPrivateKey ?? null,
          sha256: c.info.sha256,
        })),
        keysWithoutCertificate: session
          .listKeys()
          .map((k) => k.idHex)
          .filter((id) => !certIds.has(id)),
      };
    } catch (err) {
      const e = err as KysoError;
      return {
        ...base,
        certificates: [],
        keysWithoutCertificate: [],
        error: { code: e.code, message: e.message },
      };
    }
  } finally {
    session.close();
  }
}
