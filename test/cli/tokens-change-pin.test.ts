// `kyso tokens change-pin` on a real SoftHSM token: the PINs from stdin or from variables (never
// argv), a wrong current PIN reported once with exit 1, a new PIN outside the token's lengths
// refused before the token is asked, and after a change `kyso sign` works with the new PIN only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../support/fixtures.js';
import { runKyso } from '../support/run-cli.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { shadowReadyPdf } from '../signing/verify/sample-documents.js';

let env: NodeJS.ProcessEnv;
let dir = '';

beforeAll(() => {
  const { conf } = freshTokens();
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-change-pin-'));
  env = { SOFTHSM2_CONF: conf, KYSO_HOME: path.join(dir, 'home'), KYSO_LANG: '' };
});

const changePin = (args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}) =>
  runKyso(['tokens', 'change-pin', '--module', SOFTHSM_MODULE, '--token', CHAIRMAN_TOKEN, ...args], {
    env: { ...env, ...extraEnv },
    ...(input !== undefined ? { input } : {}),
  });

describe('kyso tokens change-pin', () => {
  it('refuses a new PIN outside the lengths, and a wrong current PIN, each with its message', async () => {
    const pin = testToken(CHAIRMAN_TOKEN).pin;
    const short = await changePin(['--pin-stdin'], `${pin}\n12\n`);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/Mã PIN mới phải dài từ 4 đến 255 ký tự.*\[PIN_NEW_INVALID\]/);
    const wrong = await changePin(['--pin-stdin'], '99999999\nMoi-2468\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/PKCS11_PIN_INCORRECT/);
    const missing = await changePin(['--pin-env', 'KYSO_OLD'], undefined, { KYSO_OLD: pin });
    expect(missing.stderr).toMatch(/PIN_NOT_PROVIDED/);
    // none of these changed the PIN, and no PIN reached the output
    for (const r of [short, wrong, missing]) expect(`${r.stdout}${r.stderr}`).not.toContain(pin);
  });

  it('changes the PIN from two variables; then only the new PIN signs', async () => {
    const old = testToken(CHAIRMAN_TOKEN).pin;
    const fresh = 'Moi-2468';
    const r = await changePin(['--pin-env', 'KYSO_OLD', '--new-pin-env', 'KYSO_NEW'], undefined, {
      KYSO_OLD: old,
      KYSO_NEW: fresh,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Đã đổi mã PIN của token "${CHAIRMAN_TOKEN}"`);

    const input = path.join(dir, 'in.pdf');
    writeFileSync(input, shadowReadyPdf());
    const sign = (pin: string, output: string) =>
      runKyso(
        [
          'sign',
          input,
          '-o',
          output,
          '--module',
          SOFTHSM_MODULE,
          '--token',
          CHAIRMAN_TOKEN,
          '--key',
          '01',
          '--pin-stdin',
        ],
        {
          env,
          input: `${pin}\n`,
        },
      );
    const refused = await sign(old, path.join(dir, 'old.pdf'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/PKCS11_PIN_INCORRECT/);
    const output = path.join(dir, 'new.pdf');
    const signed = await sign(fresh, output);
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    await expectKysoVerifies(output);
    await expectPdfsigValid(output, 1);
    await qpdfCheck(output);
  });
});
