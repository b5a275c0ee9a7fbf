// The PIN policy on real SoftHSM tokens, with a wrapper that gives SoftHSM a real token's PIN counter
// (SoftHSM 2.6 never locks): no retry by itself, length checked before a try is spent, final-try
// refusal, locked tokens, and the remaining-tries state after a wrong PIN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { FAULTY_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../../support/fixtures.js';
import { faultyModule, newFaultState, type FaultState } from '../../support/faulty-module.js';

let manager: TokenManager;
let state: FaultState;

beforeAll(async () => {
  freshTokens();
  state = newFaultState({ maxPinTries: 3 });
  manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }], {
    wrap: faultyModule(state),
  });
});
afterAll(() => manager?.close());

const open = (pin: string, allowFinalTry = false) =>
  manager.openSigner(
    { token: FAULTY_TOKEN, keyId: '01' },
    { getPin: async () => new Secret(pin), allowFinalTry },
  );

describe('PIN policy', () => {
  it('checks the PIN length before spending a try', async () => {
    const before = state.loginCount;
    await expect(open('12')).rejects.toMatchObject({
      code: 'PKCS11_PIN_LEN_RANGE',
      details: { min: 4, max: 255 },
    });
    await expect(open('9'.repeat(300))).rejects.toMatchObject({ code: 'PKCS11_PIN_LEN_RANGE' });
    expect(state.loginCount).toBe(before);
  });

  it('reports a wrong PIN once, with the state the token gives, and never retries by itself', async () => {
    const before = state.loginCount;
    const err = await open('0000').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PKCS11_PIN_INCORRECT', details: { pinState: 'count-low' } });
    expect(state.loginCount).toBe(before + 1);
    expect(manager.findToken({ token: FAULTY_TOKEN }).slot.token.flags.userPinCountLow).toBe(true);
  });

  it('after the second wrong PIN says one try is left, and refuses the final try unless confirmed', async () => {
    await expect(open('0001')).rejects.toMatchObject({
      code: 'PKCS11_PIN_INCORRECT',
      details: { pinState: 'final-try' },
    });
    const before = state.loginCount;
    let asked = false;
    await expect(
      manager.openSigner(
        { token: FAULTY_TOKEN, keyId: '01' },
        { getPin: async () => ((asked = true), new Secret('x')) },
      ),
    ).rejects.toMatchObject({ code: 'PKCS11_PIN_FINAL_TRY' });
    expect(asked).toBe(false); // refused before even asking for the PIN
    expect(state.loginCount).toBe(before);
  });

  it('a confirmed final try with the right PIN logs in and resets the counter', async () => {
    const signer = await open(testToken(FAULTY_TOKEN).pin, true);
    signer.session.close();
    expect(state.wrongPins).toBe(0);
    expect(manager.findToken({ token: FAULTY_TOKEN }).slot.token.pinState).toBe('ok');
  });

  it('locks after the last wrong PIN and then refuses with advice to contact the CA', async () => {
    await expect(open('0000')).rejects.toMatchObject({ code: 'PKCS11_PIN_INCORRECT' });
    await expect(open('0000')).rejects.toMatchObject({
      code: 'PKCS11_PIN_INCORRECT',
      details: { pinState: 'final-try' },
    });
    const last = await open('0000', true).catch((e: unknown) => e);
    expect(last).toMatchObject({ code: 'PKCS11_PIN_LOCKED' });
    const before = state.loginCount;
    const locked = await open(testToken(FAULTY_TOKEN).pin, true).catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'PKCS11_PIN_LOCKED' });
    expect((locked as Error).message).toMatch(/Contact the CA/);
    expect(state.loginCount).toBe(before); // a locked token is not even tried
  });
});
