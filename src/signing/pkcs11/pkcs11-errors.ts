// The one place where PKCS#11 return values (CKR_*) become Kyso error codes. Vendor libraries word
// their messages differently, so only the numeric code is read, never the message.
import type { ErrorCode } from '../../shared/errors.js';
import { KysoError } from '../../shared/errors.js';
import { CKR } from './pkcs11-constants.js';

const CKR_TO_CODE: ReadonlyMap<number, ErrorCode> = new Map<number, ErrorCode>([
  [CKR.PIN_INCORRECT, 'PKCS11_PIN_INCORRECT'],
  [CKR.PIN_INVALID, 'PKCS11_PIN_INCORRECT'],
  [CKR.PIN_LEN_RANGE, 'PKCS11_PIN_LEN_RANGE'],
  [CKR.PIN_EXPIRED, 'PKCS11_PIN_EXPIRED'],
  [CKR.PIN_LOCKED, 'PKCS11_PIN_LOCKED'],
  [CKR.TOKEN_NOT_PRESENT, 'PKCS11_TOKEN_NOT_PRESENT'],
  [CKR.TOKEN_NOT_RECOGNIZED, 'PKCS11_TOKEN_NOT_PRESENT'],
  [CKR.SLOT_ID_INVALID, 'PKCS11_TOKEN_NOT_PRESENT'],
  [CKR.DEVICE_REMOVED, 'PKCS11_DEVICE_REMOVED'],
  [CKR.DEVICE_ERROR, 'PKCS11_DEVICE_ERROR'],
  [CKR.DEVICE_MEMORY, 'PKCS11_DEVICE_ERROR'],
  [CKR.SESSION_CLOSED, 'PKCS11_SESSION_CLOSED'],
  [CKR.SESSION_HANDLE_INVALID, 'PKCS11_SESSION_CLOSED'],
  [CKR.USER_NOT_LOGGED_IN, 'PKCS11_NOT_LOGGED_IN'],
  [CKR.USER_PIN_NOT_INITIALIZED, 'PKCS11_PIN_LOCKED'],
  [CKR.MECHANISM_INVALID, 'PKCS11_MECHANISM_NOT_SUPPORTED'],
  [CKR.MECHANISM_PARAM_INVALID, 'PKCS11_MECHANISM_NOT_SUPPORTED'],
  [CKR.KEY_TYPE_INCONSISTENT, 'PKCS11_MECHANISM_NOT_SUPPORTED'],
  [CKR.KEY_FUNCTION_NOT_PERMITTED, 'PKCS11_MECHANISM_NOT_SUPPORTED'],
  [CKR.FUNCTION_NOT_SUPPORTED, 'PKCS11_MECHANISM_NOT_SUPPORTED'],
  [CKR.KEY_HANDLE_INVALID, 'PKCS11_KEY_NOT_FOUND'],
  [CKR.OBJECT_HANDLE_INVALID, 'PKCS11_KEY_NOT_FOUND'],
  [CKR.FUNCTION_CANCELED, 'CANCELLED'],
  [CKR.CANCEL, 'CANCELLED'],
]);

const CKR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(CKR).map(([name, value]) => [value, `CKR_${name}`]),
);

export function ckrName(code: number): string {
  return CKR_NAMES.get(code) ?? `CKR_0x${code.toString(16).padStart(8, '0')}`;
}

/** The CKR value carried by a pkcs11js error, or undefined for other errors. */
export function ckrOf(err: unknown): number | undefined {
  if (err instanceof KysoError) {
    const ckr = err.details['ckr'];
    return typeof ckr === 'number' ? ckr : undefined;
  }
  const code = (err as { code?: unknown } | null)?.code;
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'Pkcs11Error' && typeof code === 'number' ? code : undefined;
}

/**
 * Wraps a failure of a PKCS#11 call. `action` says what we were doing (for the message); the CKR
 * name goes in the details for IT staff. The original error is kept as the cause.
 */
export function pkcs11Failure(err: unknown, action: string): KysoError {
  if (err instanceof KysoError) return err;
  const ckr = ckrOf(err);
  if (ckr === undefined) {
    return new KysoError('PKCS11_GENERAL_ERROR', `${action} failed.`, { cause: err });
  }
  const code = CKR_TO_CODE.get(ckr) ?? 'PKCS11_GENERAL_ERROR';
  return new KysoError(code, `${action} failed: ${ckrName(ckr)}.`, {
    details: { ckr, ckrName: ckrName(ckr) },
    cause: err,
  });
}
