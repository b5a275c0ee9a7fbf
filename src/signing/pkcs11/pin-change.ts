// Changes the user PIN of a token (C_SetPIN, PKCS#11 §5.6) for IT staff and for the holder. The same
// rules as login: the token's PIN state is read first (a locked token is not touched; a final try
// needs the caller's explicit consent), the lengths are checked here so a too-short PIN does not
// cost a try, and a failure is never retried — each wrong current PIN spends one of the few tries.
import { KysoError } from '../../shared/errors.js';
import type { Secret } from '../../shared/secret.js';
import type { Handle } from './pkcs11-api.js';
import { CKF, CKR } from './pkcs11-constants.js';
import { ckrOf, pkcs11Failure } from './pkcs11-errors.js';
import type { TokenSummary } from './pkcs11-module.js';
import { pinAttemptFailure } from './pin-attempt-failure.js';
import type { TokenRef } from './token-manager.js';
import { assertLoginAllowed } from './token-manager.js';

export interface ChangePinRequest {
  readonly currentPin: Secret;
  readonly newPin: Secret;
  /** Proceed although the token says the next wrong PIN locks it (the user ticked the warning). */
  readonly allowFinalTry?: boolean;
}

/** The token's PIN length rule, as CK_TOKEN_INFO gives it (0 = no bound stated). */
export interface PinLengthRule {
  readonly min: number;
  readonly max: number;
}

export function pinLengthRule(token: TokenSummary): PinLengthRule {
  return { min: token.minPinLength, max: token.maxPinLength };
}

function outsideRule(pin: Secret, rule: PinLengthRule): boolean {
  const length = Buffer.byteLength(pin.reveal(), 'utf8');
  return (rule.min > 0 && length < rule.min) || (rule.max > 0 && length > rule.max);
}

/**
 * Checks the new PIN without the token: within the token's lengths, different from the current
 * one, and nothing but printable characters (a control character typed by mistake would make a
 * PIN nobody can type again).
 */
export function checkNewPin(token: TokenSummary, request: ChangePinRequest): void {
  const rule = pinLengthRule(token);
  const fresh = request.newPin.reveal();
  if (outsideRule(request.newPin, rule)) {
    throw new KysoError('PIN_NEW_INVALID', `The new PIN must be ${rule.min}–${rule.max} characters long.`, {
      details: { reason: 'length', min: rule.min, max: rule.max },
    });
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(fresh)) {
    throw new KysoError('PIN_NEW_INVALID', 'The new PIN contains a character that cannot be typed.', {
      details: { reason: 'characters' },
    });
  }
  if (fresh === request.currentPin.reveal()) {
    throw new KysoError('PIN_NEW_INVALID', 'The new PIN is the same as the current one.', {
      details: { reason: 'same' },
    });
  }
}

/**
 * Changes the user PIN of the token `ref` names. Throws PKCS11_PIN_INCORRECT (with the PIN state
 * after the attempt) for a wrong current PIN, PKCS11_PIN_LOCKED, PKCS11_PIN_FINAL_TRY without
 * consent, PKCS11_PIN_LEN_RANGE for a current PIN of impossible length, PIN_NEW_INVALID for a new
 * PIN the token or the rules refuse, PKCS11_TOKEN_WRITE_PROTECTED, PIN_PAD_CHANGE_UNSUPPORTED.
 */
export function changeUserPin(ref: TokenRef, request: ChangePinRequest): void {
  const { module } = ref;
  const slot = module.slotHandle(ref.slot.slotId);
  const before = slot ? module.readToken(slot) : undefined;
  if (!slot || !before) {
    throw new KysoError('PKCS11_TOKEN_NOT_PRESENT', `No token is present in slot ${ref.slot.slotId}.`, {
      details: { slotId: ref.slot.slotId },
    });
  }
  if (before.flags.protectedAuthenticationPath) {
    // The PIN pad would take both PINs on the device; pkcs11js passes them as strings only.
    throw new KysoError(
      'PIN_PAD_CHANGE_UNSUPPORTED',
      'Change the PIN of a PIN-pad token with its vendor’s tool.',
      {
        details: { token: before.label },
      },
    );
  }
  assertLoginAllowed(before, { allowFinalTry: request.allowFinalTry ?? false });
  if (outsideRule(request.currentPin, pinLengthRule(before))) {
    throw new KysoError(
      'PKCS11_PIN_LEN_RANGE',
      `The PIN must be ${before.minPinLength}–${before.maxPinLength} characters long.`,
      { details: { min: before.minPinLength, max: before.maxPinLength } },
    );
  }
  checkNewPin(before, request);
  if (before.flags.writeProtected) {
    throw new KysoError('PKCS11_TOKEN_WRITE_PROTECTED', `Token "${before.label}" is write-protected.`, {
      details: { token: before.label },
    });
  }
  let session: Handle;
  try {
    // C_SetPIN needs a read-write session (CKR_SESSION_READ_ONLY otherwise); not logged in, it
    // changes the user PIN.
    session = module.api.C_OpenSession(slot, CKF.SERIAL_SESSION | CKF.RW_SESSION);
  } catch (err) {
    if (ckrOf(err) === CKR.TOKEN_WRITE_PROTECTED) {
      throw new KysoError('PKCS11_TOKEN_WRITE_PROTECTED', `Token "${before.label}" is write-protected.`, {
        details: { token: before.label },
        cause: err,
      });
    }
    throw pkcs11Failure(err, 'Opening a read-write session with the token');
  }
  try {
    module.api.C_SetPIN(session, request.currentPin.reveal(), request.newPin.reveal());
  } catch (err) {
    throw setPinFailure(err, before, slot, ref);
  } finally {
    try {
      module.api.C_CloseSession(session);
    } catch {
      // a token pulled out after the change: nothing left to close
    }
  }
}

function setPinFailure(err: unknown, before: TokenSummary, slot: Handle, ref: TokenRef): KysoError {
  const ckr = ckrOf(err);
  // The new PIN is what the token refuses with these (the current one was checked for length, and
  // a wrong current PIN is CKR_PIN_INCORRECT): say so, and no try was spent.
  if (ckr === CKR.PIN_LEN_RANGE || ckr === CKR.PIN_INVALID) {
    return new KysoError('PIN_NEW_INVALID', 'The token refused the new PIN.', {
      details: { reason: 'rejected', min: before.minPinLength, max: before.maxPinLength },
      cause: err,
    });
  }
  let after: TokenSummary | undefined;
  try {
    after = ref.module.readToken(slot);
  } catch {
    after = undefined;
  }
  return pinAttemptFailure(err, before, after, 'Changing the PIN');
}
