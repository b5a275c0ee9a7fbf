// A fault-injecting wrapper around the real PKCS#11 interface (SoftHSM underneath). It adds what
// SoftHSM cannot do: a token pulled out and put back, a PIN counter that locks like real tokens
// (SoftHSM 2.6 only ever sets COUNT_LOW), a slow token, and a count of C_Login calls.
import { createRequire } from 'node:module';
import type { Pkcs11Api } from '../../src/signing/pkcs11/pkcs11-api.js';
import { CKF, CKR } from '../../src/signing/pkcs11/pkcs11-constants.js';

const require = createRequire(import.meta.url);
const { Pkcs11Error } = require('pkcs11js') as {
  Pkcs11Error: new (m: string, c: number, method: string) => Error;
};

export interface FaultState {
  removed: boolean;
  /** When set, the token locks after this many consecutive wrong PINs. */
  maxPinTries?: number;
  wrongPins: number;
  loginCount: number;
  /** C_SetPIN calls, whatever their outcome. */
  setPinCount: number;
  signCount: number;
  signLatencyMs: number;
  /** A PIN-pad token: advertises CKF_PROTECTED_AUTHENTICATION_PATH; this is what the user types on it. */
  padPin?: string;
  /** What the last C_Login received as PIN: 'null' (NULL_PTR) or 'string'. */
  lastPinKind?: 'null' | 'string';
}

export function newFaultState(partial: Partial<FaultState> = {}): FaultState {
  return {
    removed: false,
    wrongPins: 0,
    loginCount: 0,
    setPinCount: 0,
    signCount: 0,
    signLatencyMs: 0,
    ...partial,
  };
}

function fail(ckr: number, method: string): never {
  const name = Object.entries(CKR).find(([, v]) => v === ckr)?.[0] ?? 'GENERAL_ERROR';
  throw new Pkcs11Error(`CKR_${name}:${ckr}`, ckr, method);
}

export function faultyModule(state: FaultState): (api: Pkcs11Api) => Pkcs11Api {
  return (api) => {
    const remaining = (): number | undefined =>
      state.maxPinTries === undefined ? undefined : state.maxPinTries - state.wrongPins;
    const whenPresent = <A extends unknown[], R>(method: string, fn: (...args: A) => R) => {
      return (...args: A): R => {
        if (state.removed) fail(CKR.DEVICE_REMOVED, method);
        return fn(...args);
      };
    };
    const wrapped: Pkcs11Api = {
      C_Finalize: () => api.C_Finalize(),
      C_GetInfo: () => api.C_GetInfo(),
      C_GetSlotList: (present) => (state.removed && present ? [] : api.C_GetSlotList(present)),
      C_GetSlotInfo: (slot) => {
        const info = api.C_GetSlotInfo(slot);
        return state.removed ? { ...info, flags: info.flags & ~CKF.TOKEN_PRESENT } : info;
      },
      C_GetTokenInfo: (slot) => {
        if (state.removed) fail(CKR.TOKEN_NOT_PRESENT, 'C_GetTokenInfo');
        const real = api.C_GetTokenInfo(slot);
        const info =
          state.padPin === undefined
            ? real
            : { ...real, flags: real.flags | CKF.PROTECTED_AUTHENTICATION_PATH };
        const left = remaining();
        if (left === undefined) return info;
        let flags = info.flags & ~(CKF.USER_PIN_COUNT_LOW | CKF.USER_PIN_FINAL_TRY | CKF.USER_PIN_LOCKED);
        if (left <= 0) flags |= CKF.USER_PIN_LOCKED;
        else if (left === 1) flags |= CKF.USER_PIN_FINAL_TRY | CKF.USER_PIN_COUNT_LOW;
        else if (state.wrongPins > 0) flags |= CKF.USER_PIN_COUNT_LOW;
        return { ...info, flags };
      },
      C_GetMechanismList: whenPresent('C_GetMechanismList', (slot) => api.C_GetMechanismList(slot)),
      C_GetMechanismInfo: whenPresent('C_GetMechanismInfo', (slot, m) => api.C_GetMechanismInfo(slot, m)),
      C_OpenSession: whenPresent('C_OpenSession', (slot, flags) => api.C_OpenSession(slot, flags)),
      C_CloseSession: (s) => api.C_CloseSession(s),
      C_Login: (session, userType, pin) => {
        state.loginCount++;
        if (state.removed) fail(CKR.DEVICE_REMOVED, 'C_Login');
        const left = remaining();
        if (left !== undefined && left <= 0) fail(CKR.PIN_LOCKED, 'C_Login');
        state.lastPinKind = pin === undefined ? 'null' : 'string';
        try {
          // The pad's PIN goes to the real token when the engine passes NULL, as a pad reader does.
          api.C_Login(
            session,
            userType,
            pin === undefined && state.padPin !== undefined ? state.padPin : pin,
          );
          state.wrongPins = 0;
        } catch (err) {
          if ((err as { code?: number }).code === CKR.PIN_INCORRECT) state.wrongPins++;
          throw err;
        }
      },
      C_Logout: (s) => api.C_Logout(s),
      // A wrong current PIN counts against the same tries as a wrong login, as on real tokens.
      C_SetPIN: (session, oldPin, newPin) => {
        state.setPinCount++;
        if (state.removed) fail(CKR.DEVICE_REMOVED, 'C_SetPIN');
        const left = remaining();
        if (left !== undefined && left <= 0) fail(CKR.PIN_LOCKED, 'C_SetPIN');
        try {
          api.C_SetPIN(session, oldPin, newPin);
          state.wrongPins = 0;
        } catch (err) {
          if ((err as { code?: number }).code === CKR.PIN_INCORRECT) state.wrongPins++;
          throw err;
        }
      },
      C_FindObjectsInit: whenPresent('C_FindObjectsInit', (s, t) => api.C_FindObjectsInit(s, t)),
      C_FindObjects: whenPresent('C_FindObjects', (s, n) => api.C_FindObjects(s, n)),
      C_FindObjectsFinal: (s) => api.C_FindObjectsFinal(s),
      C_GetAttributeValue: whenPresent('C_GetAttributeValue', (s, o, t) => api.C_GetAttributeValue(s, o, t)),
      C_SignInit: whenPresent('C_SignInit', (s, m, k) => api.C_SignInit(s, m, k)),
      C_SignAsync: async (s, data, out) => {
        if (state.removed) fail(CKR.DEVICE_REMOVED, 'C_Sign');
        state.signCount++;
        if (state.signLatencyMs > 0) await new Promise((r) => setTimeout(r, state.signLatencyMs));
        if (state.removed) fail(CKR.DEVICE_REMOVED, 'C_Sign');
        return await api.C_SignAsync(s, data, out);
      },
    };
    return wrapped;
  };
}
