// The failures that concern the PIN: the signing and batch screens show them in their PIN dialog
// (with the token's tries left), and the batch service reports them as the run's failure when
// nothing was signed. One list for the services and the screens.
import type { ErrorCode } from '../errors.js';
import type { PinStateName } from './requests.js';
import type { ContractError } from './result.js';

export const PIN_ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'PKCS11_PIN_INCORRECT',
  'PKCS11_PIN_LOCKED',
  'PKCS11_PIN_LEN_RANGE',
  'PKCS11_PIN_FINAL_TRY',
  'PKCS11_PIN_EXPIRED',
  'PIN_NOT_PROVIDED',
]);

export function isPinError(code: string): boolean {
  return PIN_ERROR_CODES.has(code);
}

/** The token's PIN state a PIN failure carries (its tries left), when it says. */
export function pinStateOfError(error: ContractError): PinStateName | null {
  const state = error.details?.['pinState'];
  return typeof state === 'string' && PIN_STATES.has(state) ? (state as PinStateName) : null;
}

const PIN_STATES: ReadonlySet<string> = new Set<PinStateName>([
  'ok',
  'count-low',
  'final-try',
  'locked',
  'not-initialized',
  'to-be-changed',
]);
