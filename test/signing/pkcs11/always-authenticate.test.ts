// Keys marked CKA_ALWAYS_AUTHENTICATE (some qualified-signature tokens) need a context-specific
// login before every signature: the session does it with the PIN it logged in with, so a batch
// still asks the user once.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { CKM } from '../../../src/signing/pkcs11/pkcs11-constants.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { TokenSession } from '../../../src/signing/pkcs11/token-session.js';
import { freshTokens, SOFTHSM_MODULE } from '../../support/fixtures.js';
import { faultyModule, newFaultState } from '../../support/faulty-module.js';

const LABEL = 'Always Auth';
const PIN = '2468';
let manager: TokenManager;
const state = newFaultState();

beforeAll(async () => {
  const { conf } = freshTokens();
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  execFileSync(
    'softhsm2-util',
    ['--init-token', '--free', '--label', LABEL, '--pin', PIN, '--so-pin', '87654321'],
    { env, stdio: 'ignore' },
  );
  execFileSync(
    'pkcs11-tool',
    [
      '--module',
      SOFTHSM_MODULE,
      '--token-label',
      LABEL,
      '--login',
      '--pin',
      PIN,
      '--keypairgen',
      '--key-type',
      'EC:prime256v1',
      '--id',
      '0a',
      '--label',
      'aa',
      '--always-auth',
    ],
    { env, stdio: 'ignore' },
  );
  manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }], {
    wrap: faultyModule(state),
    skipProbe: true,
  });
});
afterAll(() => manager?.close());

describe('always-authenticate keys', () => {
  it('logs in once as the user, then once per signature in the context of the key', async () => {
    const ref = manager.findToken({ token: LABEL });
    const session = TokenSession.open(ref.module, ref.slot.slotId);
    try {
      session.login(new Secret(PIN));
      const [key] = session.listKeys();
      expect(key?.alwaysAuthenticate).toBe(true);
      const loginsBefore = state.loginCount;
      for (let i = 0; i < 3; i++) {
        const hash = createHash('sha256').update(`document ${i}`).digest();
        const sig = await session.sign(key!, { mechanism: CKM.ECDSA }, hash, 64);
        expect(sig.length).toBe(64);
      }
      expect(state.loginCount - loginsBefore).toBe(3); // one CKU_CONTEXT_SPECIFIC login per signature
    } finally {
      session.close();
    }
  });
});
