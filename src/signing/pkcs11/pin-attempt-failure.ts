// What a failed PIN attempt (C_Login, or C_SetPIN with the current PIN) means to the user: a wrong
// PIN with the tries left, a PIN now locked, or another token failure. The token's PIN flags read
// before and after the attempt decide, because vendors word the same event differently.
import { KysoError } from '../../shared/errors.js';
import { pkcs11Failure } from './pkcs11-errors.js';
import type { TokenSummary } from './pkcs11-module.js';

/**
 * @param before the token as read just before the attempt
 * @param after the token re-read after it (undefined when it is gone)
 * @param action what was being done, for the message IT staff read
 */
export function pinAttemptFailure(
  err: unknown,
  before: TokenSummary,
  after: TokenSummary | undefined,
  action: string,
): KysoError {
  const state = after?.pinState ?? before.pinState;
  // Some tokens (ePass2003) answer a wrong PIN with CKR_GENERAL_ERROR: a PIN counter that moved
  // tells us what really happened.
  const counterMoved =
    after !== undefined &&
    (after.flags.userPinCountLow !== before.flags.userPinCountLow ||
      after.flags.userPinFinalTry !== before.flags.userPinFinalTry ||
      after.flags.userPinLocked !== before.flags.userPinLocked);
  const mapped = pkcs11Failure(err, action);
  const wrongPin =
    mapped.code === 'PKCS11_PIN_INCORRECT' || (mapped.code === 'PKCS11_GENERAL_ERROR' && counterMoved);
  if (state === 'locked' && (wrongPin || mapped.code === 'PKCS11_PIN_LOCKED')) {
    return new KysoError(
      'PKCS11_PIN_LOCKED',
      `The PIN is now locked on token "${before.label}". Contact the CA that issued the token to unlock it.`,
      { details: { ...mapped.details, pinState: state }, cause: err },
    );
  }
  if (wrongPin) {
    const remaining =
      state === 'final-try'
        ? 'one try left before the token locks'
        : state === 'count-low'
          ? 'few tries left'
          : '';
    return new KysoError(
      'PKCS11_PIN_INCORRECT',
      `The PIN is incorrect${remaining ? ` (${remaining})` : ''}.`,
      {
        details: { ...mapped.details, pinState: state },
        cause: err,
      },
    );
  }
  return mapped;
}
