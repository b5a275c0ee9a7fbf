// One loaded PKCS#11 library: its slots and tokens, decoded for people. A library is probed in a
// child process before it is loaded here (module-probe.ts), so a bad library cannot crash Kyso.
import { KysoError } from '../../shared/errors.js';
import type { Handle, Pkcs11Api } from './pkcs11-api.js';
import { loadPkcs11Library } from './pkcs11-api.js';
import { CKF } from './pkcs11-constants.js';
import { pkcs11Failure } from './pkcs11-errors.js';
import { probeModule, type ProbeResult } from './module-probe.js';
import { decodeTokenFlags, pinState, type PinState, type TokenFlags } from './token-flags.js';

export interface TokenSummary {
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly flags: TokenFlags;
  readonly pinState: PinState;
  readonly minPinLength: number;
  readonly maxPinLength: number;
}

export interface SlotSummary {
  /** The slot ID the library reports (what `--slot` takes). */
  readonly slotId: number;
  readonly description: string;
  readonly manufacturer: string;
  readonly tokenPresent: boolean;
  readonly removable: boolean;
  readonly token?: TokenSummary;
}

export interface ModuleOpenOptions {
  /** Skip the child-process probe (only for a library already known to be safe, e.g. in tests). */
  readonly skipProbe?: boolean;
  /** Wraps the interface: tests count calls, add latency or simulate a pulled-out token. */
  readonly wrap?: (api: Pkcs11Api) => Pkcs11Api;
}

/** Token info strings are fixed-width and blank padded (PKCS#11 §3.2): trim, then NFC. */
export function cleanPkcs11String(value: string): string {
  return value.replace(/[\s\0]+$/u, '').normalize('NFC');
}

export function slotIdOf(handle: Handle): number {
  return Number(handle.length >= 8 ? handle.readBigUInt64LE(0) : BigInt(handle.readUInt32LE(0)));
}

export function probeFailure(probe: ProbeResult): KysoError {
  const details = { path: probe.path, reason: probe.outcome, detail: probe.detail ?? '' };
  switch (probe.outcome) {
    case 'not-found':
      return new KysoError('PKCS11_MODULE_NOT_FOUND', `PKCS#11 library not found: ${probe.path}.`, {
        details,
      });
    case 'crashed':
    case 'timeout':
      return new KysoError(
        'PKCS11_MODULE_CRASHED',
        `The PKCS#11 library ${probe.path} crashed or hung while loading (${probe.detail ?? probe.outcome}).`,
        { details },
      );
    case 'wrong-architecture':
      return new KysoError(
        'PKCS11_MODULE_NOT_LOADABLE',
        `The PKCS#11 library ${probe.path} is built for another architecture (${probe.detail ?? ''}).`,
        // arch and processArch name the Kyso build to install (messages.ts).
        { details: { ...details, arch: probe.arch ?? 'unknown', processArch: process.arch } },
      );
    case 'not-pkcs11':
    case 'init-failed':
      return new KysoError(
        'PKCS11_MODULE_NOT_LOADABLE',
        `${probe.path} is not a usable PKCS#11 library (${probe.detail ?? probe.outcome}).`,
        { details },
      );
    case 'ok':
      return new KysoError('INTERNAL', 'probe succeeded');
  }
}

/**
 * Loads of one library share its state inside the process (dlopen returns the same handle and
 * C_Initialize is process-wide), so C_Finalize waits until the last user of a path closes it.
 */
const openCounts = new Map<string, number>();

export class Pkcs11Module {
  readonly path: string;
  readonly api: Pkcs11Api;
  readonly manufacturer: string;
  readonly description: string;
  readonly cryptokiVersion: string;
  #closed = false;

  private constructor(path: string, api: Pkcs11Api) {
    this.path = path;
    this.api = api;
    const info = api.C_GetInfo();
    this.manufacturer = cleanPkcs11String(info.manufacturerID);
    this.description = cleanPkcs11String(info.libraryDescription);
    this.cryptokiVersion = `${info.cryptokiVersion.major}.${info.cryptokiVersion.minor}`;
  }

  static async open(path: string, options: ModuleOpenOptions = {}): Promise<Pkcs11Module> {
    if (!options.skipProbe) {
      const probe = await probeModule(path);
      if (probe.outcome !== 'ok') throw probeFailure(probe);
    }
    let api: Pkcs11Api;
    try {
      api = loadPkcs11Library(path);
    } catch (cause) {
      throw new KysoError('PKCS11_MODULE_NOT_LOADABLE', `${path} could not be loaded as a PKCS#11 library.`, {
        details: { path },
        cause,
      });
    }
    openCounts.set(path, (openCounts.get(path) ?? 0) + 1);
    return new Pkcs11Module(path, options.wrap ? options.wrap(api) : api);
  }

  /** Every slot with its token, re-read on each call so that insertions and removals show. */
  listSlots(): SlotSummary[] {
    let handles: Handle[];
    try {
      handles = this.api.C_GetSlotList(false);
    } catch (err) {
      throw pkcs11Failure(err, 'Listing the slots');
    }
    const slots: SlotSummary[] = [];
    for (const handle of handles) {
      let info;
      try {
        info = this.api.C_GetSlotInfo(handle);
      } catch {
        continue; // a reader unplugged between the two calls
      }
      const tokenPresent = (info.flags & CKF.TOKEN_PRESENT) !== 0;
      const base = {
        slotId: slotIdOf(handle),
        description: cleanPkcs11String(info.slotDescription),
        manufacturer: cleanPkcs11String(info.manufacturerID),
        tokenPresent,
        removable: (info.flags & CKF.REMOVABLE_DEVICE) !== 0,
      };
      const token = tokenPresent ? this.readToken(handle) : undefined;
      slots.push(token ? { ...base, token } : base);
    }
    return slots;
  }

  /** The slot handle of a present token, looked up by its ID. */
  slotHandle(slotId: number): Handle | undefined {
    return this.api.C_GetSlotList(true).find((h) => slotIdOf(h) === slotId);
  }

  readToken(handle: Handle): TokenSummary | undefined {
    try {
      const t = this.api.C_GetTokenInfo(handle);
      const flags = decodeTokenFlags(t.flags);
      return {
        label: cleanPkcs11String(t.label),
        manufacturer: cleanPkcs11String(t.manufacturerID),
        model: cleanPkcs11String(t.model),
        serial: cleanPkcs11String(t.serialNumber),
        flags,
        pinState: pinState(flags),
        minPinLength: t.minPinLen,
        maxPinLength: t.maxPinLen,
      };
    } catch {
      return undefined; // the token went away between listing and reading
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const left = (openCounts.get(this.path) ?? 1) - 1;
    if (left > 0) {
      openCounts.set(this.path, left);
      return;
    }
    openCounts.delete(this.path);
    try {
      this.api.C_Finalize();
    } catch {
      // finalising a library whose device is gone may fail; nothing to do about it
    }
  }
}
