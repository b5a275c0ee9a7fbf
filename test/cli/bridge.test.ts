// `kyso bridge` as IT staff run it: the built CLI in its own data folder, signing with a SoftHSM
// token of the test PKI (PIN from --pin-env, one login for the bridge's life), the allowed site from
// settings.json, the web system played by a real WebSocket client and HTTP server
// (test/bridge/web-system.ts). Before each signing the command prints what will be signed and
// reads y/N from standard input: y signs and delivers, anything else or the end of input refuses, and
// a "y" that arrived before the question approves nothing.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../support/fixtures.js';
import { KYSO_BIN, runKyso } from '../support/run-cli.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { ask, replyOf, startWebSystem, type WebSystem } from '../bridge/web-system.js';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
let home: string;
let web: WebSystem;
let decisionUrl: string;
let child: ChildProcessWithoutNullStreams;
let stdout = '';
let stderr = '';
let port: number;

let tokensConf: string;
const env = (dataHome = home): NodeJS.ProcessEnv => ({
  ...process.env,
  KYSO_HOME: dataHome,
  SOFTHSM2_CONF: tokensConf,
  KYSO_TEST_PIN: testToken(CHAIRMAN_TOKEN).pin,
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-bridge-'));
  home = path.join(dir, 'home');
  tokensConf = freshTokens().conf;
  const decision = path.join(dir, 'decision.pdf');
  execFileSync(process.execPath, [path.join(root, 'fixtures/documents/make-decision.mjs'), decision]);
  web = await startWebSystem();
  decisionUrl = web.serve('quyet-dinh-7.pdf', readFileSync(decision));
  // The allowed site comes from the settings; --allow-origin adds to them.
  mkdirSync(home, { recursive: true });
  writeFileSync(
    path.join(home, 'settings.json'),
    JSON.stringify({ bridge: { allowedOrigins: [web.origin] } }),
  );
  child = spawn(
    process.execPath,
    [
      KYSO_BIN,
      'bridge',
      '--plain',
      '--port',
      '0',
      '--module',
      SOFTHSM_MODULE,
      '--token',
      CHAIRMAN_TOKEN,
      '--key',
      '01',
      '--pin-env',
      'KYSO_TEST_PIN',
      '--allow-origin',
      'https://motcua.example.gov.vn',
      '--lang',
      'en',
    ],
    { env: env(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // The command prints its address once it listens (or exits with an error line).
  const listening = /listening on ws:\/\/127\.0\.0\.1:(\d+)/;
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (listening.test(stdout)) resolve();
      else if (child.exitCode !== null) reject(new Error(`kyso bridge exited ${child.exitCode}: ${stderr}`));
      else setTimeout(check, 50);
    };
    check();
  });
  port = Number(listening.exec(stdout)?.[1]);
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await web?.close();
  if (!process.env['KYSO_KEEP_FIXTURES']) rmSync(dir, { recursive: true, force: true });
});

function request(): Record<string, unknown> {
  return {
    FileUploadHandler: `${web.origin}/upload`,
    SessionId: 's-1',
    JWTToken: 'cli-jwt-value',
    FileName: decisionUrl,
    MetaData: [],
  };
}

/** Waits for the n-th confirmation question on stdout and returns the text printed for it. */
async function question(n: number): Promise<string> {
  await expect.poll(() => stdout.split('[y/N]: ').length - 1, { timeout: 30_000 }).toBeGreaterThanOrEqual(n);
  const parts = stdout.split('[y/N]: ');
  return parts[n - 1]!.split('\n').slice(-7).join('\n');
}

describe('kyso bridge', () => {
  it('prints what will be signed, signs and delivers after "y"', async () => {
    const pending = ask(`ws://127.0.0.1:${port}/SignApproved`, request(), { origin: web.origin });
    const shown = await question(1);
    expect(shown).toContain(`from ${web.origin}: SignApproved`);
    expect(shown).toContain('quyet-dinh-7.pdf (1 page');
    expect(shown).toContain('Certificate: Nguyễn Thị Hồng Nhung');
    expect(shown).toContain(`Sent to:     ${web.origin}`);
    // Nothing was sent while the question waited.
    expect(web.uploads.length).toBe(0);
    child.stdin.write('y\n');
    const reply = replyOf(await pending);
    expect(reply).toMatchObject({ Status: 0, FileName: 'stored-1.pdf' });
    expect(web.uploads.length).toBe(1);
    expect(web.uploads[0]!.authorization).toBe('Bearer cli-jwt-value');
    const signed = path.join(dir, 'signed.pdf');
    writeFileSync(signed, web.uploads[0]!.bytes);
    await expectKysoVerifies(signed);
    await expectPdfsigValid(signed, 1);
    await qpdfCheck(signed);
    // The site list is the settings' and the option's together.
    expect(stdout).toContain(`Allowed sites: ${web.origin}, https://motcua.example.gov.vn`);
  });

  it('signs again with the same token login after another "y"', async () => {
    const pending = ask(`ws://127.0.0.1:${port}/SignApproved`, request(), { origin: web.origin });
    await question(2);
    child.stdin.write('yes\n');
    expect(replyOf(await pending)).toMatchObject({ Status: 0, FileName: 'stored-2.pdf' });
    const signed = path.join(dir, 'signed-2.pdf');
    writeFileSync(signed, web.uploads[1]!.bytes);
    await expectPdfsigValid(signed, 1);
  });

  it('"N" refuses: Status 2, nothing sent', async () => {
    const pending = ask(`ws://127.0.0.1:${port}/SignApproved`, request(), { origin: web.origin });
    await question(3);
    child.stdin.write('N\n');
    expect(replyOf(await pending)['Status']).toBe(2);
    expect(web.uploads.length).toBe(2);
  });

  it('a "y" typed before the question does not count; the end of input is no', async () => {
    child.stdin.write('y\n');
    // The early "y" has been read and dropped before the request comes in.
    await expect.poll(() => stderr).toContain('(input ignored: no question is open)');
    const pending = ask(`ws://127.0.0.1:${port}/SignApproved`, request(), { origin: web.origin });
    await question(4);
    child.stdin.end();
    expect(replyOf(await pending)['Status']).toBe(2);
    expect(web.uploads.length).toBe(2);
    // After the end of input every later request is refused at once.
    const later = replyOf(
      await ask(`ws://127.0.0.1:${port}/SignApproved`, request(), { origin: web.origin }),
    );
    expect(later['Status']).toBe(2);
    expect(web.uploads.length).toBe(2);
  });

  it('never prints the JWT or the PIN, and stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const text of [stdout, stderr]) {
      expect(text).not.toContain('cli-jwt-value');
      expect(text).not.toContain(testToken(CHAIRMAN_TOKEN).pin);
    }
  });

  it('refuses --pin-stdin (standard input carries the answers) and a start with no allowed site', async () => {
    const pinStdin = await runKyso(
      ['bridge', '--plain', '--demo', '--pin-stdin', '--allow-origin', web.origin],
      {
        env: env(),
      },
    );
    expect(pinStdin.code).toBe(2);
    expect(pinStdin.stderr).toContain('--pin-env');
    const noOrigin = await runKyso(['bridge', '--plain', '--demo', '--lang', 'en'], {
      env: env(path.join(dir, 'empty-home')),
    });
    expect(noOrigin.code).toBe(2);
    expect(noOrigin.stderr).toContain('--allow-origin');
    const wide = await runKyso(['bridge', '--plain', '--demo', '--allow-origin', 'not an origin'], {
      env: env(),
    });
    expect(wide.code).toBe(2);
  });
});
