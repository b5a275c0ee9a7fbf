// Decodes CK_TOKEN_INFO flags into the states a user and IT staff care about (PKCS#11 v2.40 §3.2).
import { CKF } from './pkcs11-constants.js';

export interface TokenFlags {
  readonly loginRequired: boolean;
  readonly userPinInitialized: boolean;
  readonly tokenInitialized: boolean;
  readonly writeProtected: boolean;
  /** A PIN pad or biometric reader: the PIN is entered on the device, not in Kyso. */
  readonly protectedAuthenticationPath: boolean;
  readonly userPinCountLow: boolean;
  readonly userPinFinalTry: boolean;
  readonly userPinLocked: boolean;
  readonly userPinToBeChanged: boolean;
  readonly soPinLocked: boolean;
}

export function decodeTokenFlags(flags: number): TokenFlags {
  const has = (bit: number): boolean => (flags & bit) !== 0;
  return {
    loginRequired: has(CKF.LOGIN_REQUIRED),
    userPinInitialized: has(CKF.USER_PIN_INITIALIZED),
    tokenInitialized: has(CKF.TOKEN_INITIALIZED),
    writeProtected: has(CKF.WRITE_PROTECTED),
    protectedAuthenticationPath: has(CKF.PROTECTED_AUTHENTICATION_PATH),
    userPinCountLow: has(CKF.USER_PIN_COUNT_LOW),
    userPinFinalTry: has(CKF.USER_PIN_FINAL_TRY),
    userPinLocked: has(CKF.USER_PIN_LOCKED),
    userPinToBeChanged: has(CKF.USER_PIN_TO_BE_CHANGED),
    soPinLocked: has(CKF.SO_PIN_LOCKED),
  };
}

/** The user PIN state in one word, the way the UI and `kyso doctor` show it. */
export type PinState = 'ok' | 'count-low' | 'final-try' | 'locked' | 'not-initialized' | 'to-be-changed';

export function pinState(flags: TokenFlags): PinState {
  if (flags.userPinLocked) return 'locked';
  if (!flags.userPinInitialized) return 'not-initialized';
  if (flags.userPinFinalTry) return 'final-try';
  if (flags.userPinCountLow) return 'count-low';
  if (flags.userPinToBeChanged) return 'to-be-changed';
  return 'ok';
}
