// The part of the PKCS#11 interface Kyso calls, as a TypeScript interface. The real binding
// (pkcs11js) implements it; tests wrap it to count calls, add latency or inject faults such as a
// pulled-out token, without mocking the module itself.
import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';
import { CKF } from './pkcs11-constants.js';

export type Handle = Buffer;
export type ModuleInfo = Pkcs11js.ModuleInfo;
export type SlotInfo = Pkcs11js.SlotInfo;
export type TokenInfo = Pkcs11js.TokenInfo;
export type MechanismInfo = Pkcs11js.MechanismInfo;
export type Attribute = Pkcs11js.Attribute;
export type Mechanism = Pkcs11js.Mechanism;

export interface Pkcs11Api {
  C_Finalize(): void;
  C_GetInfo(): ModuleInfo;
  C_GetSlotList(tokenPresent?: boolean): Handle[];
  C_GetSlotInfo(slot: Handle): SlotInfo;
  C_GetTokenInfo(slot: Handle): TokenInfo;
  C_GetMechanismList(slot: Handle): number[];
  C_GetMechanismInfo(slot: Handle, mech: number): MechanismInfo;
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  /** `pin` undefined means NULL_PTR: the PIN pad (needs the patch in scripts/patch-pkcs11js.mjs). */
  C_Login(session: Handle, userType: number, pin: string | undefined): void;
  C_Logout(session: Handle): void;
  /** Changes the PIN of the user logged in, or the user PIN when nobody is: needs an R/W session. */
  C_SetPIN(session: Handle, oldPin: string, newPin: string): void;
  C_FindObjectsInit(session: Handle, template: Attribute[]): void;
  C_FindObjects(session: Handle, maxObjectCount: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_GetAttributeValue(session: Handle, object: Handle, template: Attribute[]): Attribute[];
  C_SignInit(session: Handle, mechanism: Mechanism, key: Handle): void;
  C_SignAsync(session: Handle, inData: Buffer, outData: Buffer): Promise<Buffer>;
}

const require = createRequire(import.meta.url);

/**
 * Loads a PKCS#11 library into this process. Call only after the library passed the child-process
 * probe: a library that crashes in its initialiser would otherwise take the whole app down.
 */
export function loadPkcs11Library(libraryPath: string): Pkcs11Api {
  const binding = require('pkcs11js') as typeof Pkcs11js;
  const lib = new binding.PKCS11();
  lib.load(libraryPath);
  try {
    lib.C_Initialize({ flags: CKF.OS_LOCKING_OK });
  } catch (err) {
    // Already initialised by another user of the same library in this process is fine.
    if ((err as { code?: number }).code !== 0x191) {
      lib.close();
      throw err;
    }
  }
  return lib as unknown as Pkcs11Api;
}
