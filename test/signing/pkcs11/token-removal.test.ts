// A token pulled out during a session gives a clear error at once (no hang), and works again once
// put back, in the same process, after a new login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { CHAIRMAN_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../../support/fixtures.js';
import { faultyModule, newFaultState, type FaultState } from '../../support/faulty-module.js';

let manager: TokenManager;
let state: FaultState;

beforeAll(async () => {
  freshTokens();
  state = newFaultState();
  manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }], {
    wrap: faultyModule(state),
  });
});
afterAll(() => manager?.close());

const getPin = async () => new Secret(testToken(CHAIRMAN_TOKEN).pin);

describe('token removal', () => {
  it('fails fast with PKCS11_DEVICE_REMOVED, then signs again after re-insertion', async () => {
    const signer = await manager.openSigner({ token: CHAIRMAN_TOKEN, keyId: '01' }, { getPin });
    await signer.sign(Buffer.from('before'), { digest: 'sha256', scheme: 'rsa-pkcs1' });
    state.signLatencyMs = 50;
    const pending = signer.sign(Buffer.from('during'), { digest: 'sha256', scheme: 'rsa-pkcs1' });
    state.removed = true; // pulled out while the token works
    await expect(pending).rejects.toMatchObject({ code: 'PKCS11_DEVICE_REMOVED' });
    await expect(
      signer.sign(Buffer.from('after'), { digest: 'sha256', scheme: 'rsa-pkcs1' }),
    ).rejects.toMatchObject({
      code: 'PKCS11_DEVICE_REMOVED',
    });
    expect(signer.session.usable).toBe(false);
    expect(manager.tokens()).toHaveLength(0);
    await expect(
      manager.openSigner({ token: CHAIRMAN_TOKEN, keyId: '01' }, { getPin }),
    ).rejects.toMatchObject({
      code: 'PKCS11_TOKEN_NOT_PRESENT',
    });
    signer.session.close();

    const serial = testToken(CHAIRMAN_TOKEN).serial;
    const waiting = manager.waitForToken(serial, { pollMs: 20 });
    setTimeout(() => (state.removed = false), 100); // put back
    const back = await waiting;
    expect(back.slot.token.serial).toBe(serial);
    const again = await manager.openSigner({ token: CHAIRMAN_TOKEN, keyId: '01' }, { getPin });
    try {
      const sig = await again.sign(Buffer.from('after re-insertion'), {
        digest: 'sha256',
        scheme: 'rsa-pkcs1',
      });
      expect(sig.length).toBe(256);
    } finally {
      again.session.close();
    }
  });

  it('waiting for a token can be cancelled', async () => {
    state.removed = true;
    const controller = new AbortController();
    const waiting = manager.waitForToken('nope', { pollMs: 10, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    state.removed = false;
  });
});
