// Changing a token's user PIN (C_SetPIN) on real SoftHSM tokens, with the wrapper that gives SoftHSM
// a real token's PIN counter: the rules are checked before the token is asked, a wrong current PIN
// spends exactly one try and is never retried, a final try needs consent, a locked token is left
// alone (the wrapper's counter is the process's: the lock comes last), and after a change the new PIN signs (our verifier, pdfsig, qpdf) while the old one fails.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { changeUserPin } from '../../../src/signing/pkcs11/pin-change.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { signPdf } from '../../../src/signing/sign/sign-pdf.js';
import { CLERK_TOKEN, FAULTY_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../../support/fixtures.js';
import { faultyModule, newFaultState, type FaultState } from '../../support/faulty-module.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../../support/signed-output.js';
import { shadowReadyPdf } from '../verify/sample-documents.js';

let manager: TokenManager;
let state: FaultState;
let dir = '';

beforeAll(async () => {
  freshTokens();
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-pin-change-'));
  state = newFaultState({ maxPinTries: 3 });
  manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }], {
    wrap: faultyModule(state),
  });
});
afterAll(() => {
  manager?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const change = (token: string, current: string, fresh: string, allowFinalTry = false): void =>
  changeUserPin(manager.findToken({ token }), {
    currentPin: new Secret(current),
    newPin: new Secret(fresh),
    allowFinalTry,
  });
const attempt = (fn: () => void): unknown => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err;
  }
};

describe('changing the PIN', () => {
  it('after a change the new PIN signs a valid document and the old PIN is refused', async () => {
    const old = testToken(CLERK_TOKEN).pin;
    const fresh = 'Moi-2468';
    change(CLERK_TOKEN, old, fresh);
    await expect(
      manager.openSigner({ token: CLERK_TOKEN, keyId: '01' }, { getPin: async () => new Secret(old) }),
    ).rejects.toMatchObject({ code: 'PKCS11_PIN_INCORRECT' });
    const input = path.join(dir, 'in.pdf');
    const output = path.join(dir, 'signed.pdf');
    writeFileSync(input, shadowReadyPdf());
    const signer = await manager.openSigner(
      { token: CLERK_TOKEN, keyId: '01' },
      { getPin: async () => new Secret(fresh) },
    );
    try {
      await signPdf({ input, output, signer });
      await expectKysoVerifies(output);
      await expectPdfsigValid(output, 1);
      await qpdfCheck(output);
    } finally {
      signer.session.close();
    }
  });

  it('checks the lengths and the new PIN before the token is asked', () => {
    const pin = testToken(FAULTY_TOKEN).pin;
    const calls = state.setPinCount;
    const cases: [string, string, object][] = [
      [pin, '123', { code: 'PIN_NEW_INVALID', details: { reason: 'length', min: 4, max: 255 } }],
      [pin, '9'.repeat(256), { code: 'PIN_NEW_INVALID', details: { reason: 'length' } }],
      [pin, pin, { code: 'PIN_NEW_INVALID', details: { reason: 'same' } }],
      [pin, '12\u00034567', { code: 'PIN_NEW_INVALID', details: { reason: 'characters' } }],
      ['12', '123456', { code: 'PKCS11_PIN_LEN_RANGE', details: { min: 4, max: 255 } }],
    ];
    for (const [current, fresh, expected] of cases) {
      expect(attempt(() => change(FAULTY_TOKEN, current, fresh))).toMatchObject(expected);
    }
    expect(state.setPinCount).toBe(calls);
    expect(state.wrongPins).toBe(0);
  });

  it('a wrong current PIN spends one try, says how many are left, and is not retried', () => {
    const calls = state.setPinCount;
    const err = attempt(() => change(FAULTY_TOKEN, '0000', '24681357'));
    expect(err).toMatchObject({ code: 'PKCS11_PIN_INCORRECT', details: { pinState: 'count-low' } });
    expect(state.setPinCount).toBe(calls + 1);
    expect(state.wrongPins).toBe(1);
    // the PIN is unchanged: the old one still logs in (and resets the counter)
    return manager
      .openSigner(
        { token: FAULTY_TOKEN, keyId: '01' },
        { getPin: async () => new Secret(testToken(FAULTY_TOKEN).pin) },
      )
      .then((signer) => {
        signer.session.close();
        expect(state.wrongPins).toBe(0);
      });
  });

  it('at the final try it asks for consent first, and a locked token is not touched', () => {
    expect(attempt(() => change(FAULTY_TOKEN, '0000', '24681357'))).toMatchObject({
      code: 'PKCS11_PIN_INCORRECT',
    });
    expect(attempt(() => change(FAULTY_TOKEN, '0001', '24681357'))).toMatchObject({
      code: 'PKCS11_PIN_INCORRECT',
      details: { pinState: 'final-try' },
    });
    const calls = state.setPinCount;
    expect(attempt(() => change(FAULTY_TOKEN, '0002', '24681357'))).toMatchObject({
      code: 'PKCS11_PIN_FINAL_TRY',
    });
    expect(state.setPinCount).toBe(calls);
    expect(attempt(() => change(FAULTY_TOKEN, '0002', '24681357', true))).toMatchObject({
      code: 'PKCS11_PIN_LOCKED',
    });
    expect(state.setPinCount).toBe(calls + 1);
    expect(attempt(() => change(FAULTY_TOKEN, testToken(FAULTY_TOKEN).pin, '24681357', true))).toMatchObject({
      code: 'PKCS11_PIN_LOCKED',
    });
    expect(state.setPinCount).toBe(calls + 1);
  });
});
