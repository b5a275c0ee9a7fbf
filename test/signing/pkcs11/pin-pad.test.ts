// PIN-pad tokens (CKF_PROTECTED_AUTHENTICATION_PATH): Kyso never asks for the PIN on screen and calls
// C_Login with a NULL PIN, which needs the patched pkcs11js binding (scripts/patch-pkcs11js.mjs).
import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { CKF, CKR, CKU } from '../../../src/signing/pkcs11/pkcs11-constants.js';
import { CHAIRMAN_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../../support/fixtures.js';
import { faultyModule, newFaultState, type FaultState } from '../../support/faulty-module.js';

let manager: TokenManager;
let state: FaultState;

beforeAll(async () => {
  freshTokens();
  state = newFaultState({ padPin: testToken(CHAIRMAN_TOKEN).pin });
  manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }], {
    wrap: faultyModule(state),
  });
});
afterAll(() => manager?.close());

describe('PIN pads', () => {
  it('the patched binding passes an undefined PIN to the library as NULL_PTR', () => {
    const require = createRequire(import.meta.url);
    const { PKCS11 } = require('pkcs11js') as typeof Pkcs11js;
    const lib = new PKCS11();
    lib.load(SOFTHSM_MODULE);
    let initialised = false;
    try {
      lib.C_Initialize({ flags: CKF.OS_LOCKING_OK });
      initialised = true;
    } catch (e) {
      // the manager of this file initialised the shared library already
      expect(e).toMatchObject({ code: CKR.CRYPTOKI_ALREADY_INITIALIZED });
    }
    try {
      const slot = lib
        .C_GetSlotList(true)
        .find((s) => lib.C_GetTokenInfo(s).label.trim() === CHAIRMAN_TOKEN)!;
      const session = lib.C_OpenSession(slot, CKF.SERIAL_SESSION);
      // SoftHSM answers CKR_ARGUMENTS_BAD to a NULL PIN; unpatched pkcs11js throws a TypeError instead.
      let caught: unknown;
      try {
        lib.C_Login(session, CKU.USER, undefined);
      } catch (e) {
        caught = e;
      }
      expect(caught).toMatchObject({ name: 'Pkcs11Error', code: CKR.ARGUMENTS_BAD });
      lib.C_CloseSession(session);
    } finally {
      if (initialised) lib.C_Finalize();
    }
  });

  it('logs in without asking for a PIN and signs', async () => {
    let asked = false;
    const signer = await manager.openSigner(
      { token: CHAIRMAN_TOKEN, keyId: '01' },
      { getPin: async () => ((asked = true), new Secret('should not be used')) },
    );
    try {
      expect(asked).toBe(false);
      expect(state.lastPinKind).toBe('null');
      const sig = await signer.sign(Buffer.from('PIN pad'), { digest: 'sha256', scheme: 'rsa-pkcs1' });
      expect(sig.length).toBe(256);
    } finally {
      signer.session.close();
    }
  });
});
