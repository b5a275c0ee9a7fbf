// The machine policy at the command line: every option that stands in for a locked setting is
// refused (SETTING_LOCKED, exit 1, nothing done); `kyso trust` cannot change a store locked by the
// policy or by settings.json; --p12 and --demo are refused when the policy turns them off; a broken
// policy file is reported by every command and by `kyso doctor`, and the safest settings apply.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTION_SETTING_KEYS } from '../../src/cli/policy-options.js';
import { pkiFile } from '../support/fixtures.js';
import { runKyso, type CliResult } from '../support/run-cli.js';

let dir = '';
let home = '';
let policyFile = '';
let pdf = '';

const env = (): NodeJS.ProcessEnv => ({ KYSO_HOME: home, KYSO_POLICY: policyFile, KYSO_LANG: '' });
const kyso = (args: string[], input?: string): Promise<CliResult> =>
  runKyso(args, { env: env(), ...(input !== undefined ? { input } : {}) });
const writePolicy = (value: unknown): Promise<void> =>
  writeFile(policyFile, typeof value === 'string' ? value : JSON.stringify(value));
const writeUser = (value: unknown): Promise<void> =>
  writeFile(path.join(home, 'settings.json'), JSON.stringify(value));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kyso-cli-policy-'));
  home = path.join(dir, 'home');
  await mkdir(home);
  policyFile = path.join(dir, 'policy.json');
  pdf = path.join(dir, 'in.pdf');
  await writeFile(pdf, '%PDF-1.7\n');
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** A command line that takes the option, with a value where it needs one. */
function commandWith(option: string): string[] {
  const value: Record<string, string[]> = {
    module: ['tokens', '--module', '/opt/token/libother.so'],
    tsa: ['sign', pdf, '-o', path.join(dir, 'out.pdf'), '--demo', '--tsa', 'http://tsa.other.example.vn'],
    'tsa-timeout': ['sign', pdf, '-o', path.join(dir, 'out.pdf'), '--demo', '--tsa-timeout=5'],
    offline: ['extend', pdf, '-o', path.join(dir, 'out.pdf'), '--offline'],
    port: ['bridge', '--port', '9000'],
    plain: ['bridge', '--plain'],
    'also-plain': ['bridge', '--also-plain'],
    'allow-origin': ['bridge', '--allow-origin', 'https://evil.example.com'],
    'max-file-mb': ['bridge', '--max-file-mb', '500'],
    'issued-template': ['bridge', '--issued-template', 'seal'],
  };
  const args = value[option];
  if (args === undefined) throw new Error(`no command line for --${option}: add one to the test`);
  return args;
}

describe('options that override a locked setting', () => {
  it('each is refused with SETTING_LOCKED naming the key, the option and the reason', async () => {
    await writeUser({});
    const failures: string[] = [];
    for (const [option, key] of Object.entries(OPTION_SETTING_KEYS)) {
      await writePolicy({ locked: { [key]: 'Quy định của Sở' } });
      const r = await kyso([...commandWith(option), '--lang', 'en']);
      if (r.code !== 1 || !r.stderr.includes('[SETTING_LOCKED]')) {
        failures.push(`--${option}: exit ${r.code}, ${r.stderr.trim()}`);
        continue;
      }
      const want = `The setting "${key}" (--${option}) is locked by the machine policy: Quy định của Sở`;
      if (!r.stderr.includes(want)) failures.push(`--${option}: ${r.stderr.trim()}`);
    }
    expect(failures).toEqual([]);
    expect(await readdir(dir)).not.toContain('out.pdf');
  });

  it('a lock on the section refuses the option too, in Vietnamese by default', async () => {
    await writePolicy({
      locked: { tsa: 'Dùng TSA của Bộ' },
      settings: { tsa: { url: 'http://tsa.policy.example.vn' } },
    });
    const r = await kyso(commandWith('tsa'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Cài đặt "tsa.url" (--tsa) đã bị khóa bởi chính sách của máy: Dùng TSA của Bộ',
    );
  });

  it('an option whose setting is not locked runs as before', async () => {
    await writePolicy({ locked: ['tsa'] });
    const r = await kyso(['tokens', '--module', path.join(dir, 'missing.so'), '--json']);
    expect(r.stderr).not.toContain('SETTING_LOCKED');
  });
});

describe('kyso settings', () => {
  const settingsFile = (): string => path.join(home, 'settings.json');

  it('set of a locked key is refused (exit 1, SETTING_LOCKED, the reason in Vietnamese and English); the file is untouched', async () => {
    await writeUser({ tsa: { retries: 1 } });
    await writePolicy({
      settings: { tsa: { url: 'http://tsa.policy.example.vn' } },
      locked: { 'tsa.url': 'Dùng TSA của Bộ' },
    });
    const before = await readFile(settingsFile(), 'utf8');
    const vi = await kyso(['settings', 'set', 'tsa.url', 'http://tsa.other.example.vn']);
    expect(vi.code).toBe(1);
    expect(vi.stderr).toContain(
      'Cài đặt "tsa.url" (kyso settings set) đã bị khóa bởi chính sách của máy: Dùng TSA của Bộ; không thay đổi được. [SETTING_LOCKED]',
    );
    const en = await kyso(['settings', 'set', 'tsa', '{}', '--lang', 'en']);
    expect(en.code).toBe(1);
    expect(en.stderr).toContain(
      'The setting "tsa.url" (kyso settings set) is locked by the machine policy: Dùng TSA của Bộ',
    );
    const unset = await kyso(['settings', 'unset', 'tsa.url']);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('[SETTING_LOCKED]');
    expect(await readFile(settingsFile(), 'utf8')).toBe(before);
  });

  it('set of an unlocked key is saved; list shows each value with its source and lock', async () => {
    await writeUser({});
    await writePolicy({
      settings: { tsa: { url: 'http://tsa.policy.example.vn', retries: 5 } },
      locked: { 'tsa.url': 'Dùng TSA của Bộ' },
    });
    const set = await kyso(['settings', 'set', 'tsa.timeoutMs', '5000']);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(await readFile(settingsFile(), 'utf8'))).toEqual({ tsa: { timeoutMs: 5000 } });
    const list = await kyso(['settings', 'list', '--lang', 'en']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(
      'tsa.url = "http://tsa.policy.example.vn"  [machine policy, LOCKED: Dùng TSA của Bộ]',
    );
    expect(list.stdout).toContain('tsa.retries = 5  [machine policy]');
    expect(list.stdout).toContain('tsa.timeoutMs = 5000  [settings.json]');
    expect(list.stdout).toContain('revocation.mode = "online"  [default]');
    const json = await kyso(['settings', 'get', 'tsa.url', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      key: 'tsa.url',
      source: 'policy',
      locked: { by: 'policy', reason: 'Dùng TSA của Bộ' },
    });
  });

  it('a value the schema refuses is SETTINGS_INVALID and nothing is written', async () => {
    await writePolicy({});
    await writeUser({ tsa: { retries: 1 } });
    const before = await readFile(settingsFile(), 'utf8');
    const r = await kyso(['settings', 'set', 'tsa.retries', '"many"', '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[SETTINGS_INVALID]');
    expect(await readFile(settingsFile(), 'utf8')).toBe(before);
    const unknown = await kyso(['settings', 'set', 'tsa.ulr', 'x']);
    expect(unknown.code).toBe(2);
  });
});

describe('kyso trust on a locked store', () => {
  const fp = 'a'.repeat(64);
  const changes = (): string[][] => [
    ['trust', 'add', pkiFile('root-ca.pem'), '--yes'],
    ['trust', 'remove', fp],
    ['trust', 'disable', fp],
    ['trust', 'enable', fp],
  ];

  it('the policy lock refuses add, remove, disable and enable, and nothing is written', async () => {
    await writeUser({});
    await writePolicy({ locked: { trust: 'Danh sách tin cậy do Ban Cơ yếu quản lý' } });
    for (const args of changes()) {
      const r = await kyso([...args, '--lang', 'en']);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('[SETTING_LOCKED]');
      expect(r.stderr).toContain('Danh sách tin cậy do Ban Cơ yếu quản lý');
    }
    const list = await kyso(['trust', 'list', '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { origin: string }[]).some((e) => e.origin === 'managed')).toBe(false);
  });

  it("settings.json's trust.locked refuses them too", async () => {
    await writePolicy({});
    await writeUser({ trust: { locked: true } });
    for (const args of changes()) {
      const r = await kyso([...args, '--lang', 'en']);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain("locked in IT staff's settings file (settings.json)");
    }
  });

  it('unlocked, the same add goes through', async () => {
    await writePolicy({});
    await writeUser({});
    const r = await kyso(['trust', 'add', pkiFile('root-ca.pem'), '--yes']);
    expect(r.code, r.stderr).toBe(0);
    await rm(path.join(home, 'trust'), { recursive: true, force: true });
  });
});

describe('.p12 files and the demo identity', () => {
  it('--p12 and --demo are refused when the policy turns them off', async () => {
    await writeUser({ identities: { p12: true, demo: true } });
    await writePolicy({ settings: { identities: { p12: false, demo: false } }, locked: ['identities'] });
    const out = path.join(dir, 'out.pdf');
    const demo = await kyso(['sign', pdf, '-o', out, '--demo', '--lang', 'en']);
    expect(demo.code).toBe(1);
    expect(demo.stderr).toContain('The demo identity is not allowed on this computer');
    expect(demo.stderr).toContain('[IDENTITY_NOT_ALLOWED]');
    const p12 = await kyso([
      'sign',
      pdf,
      '-o',
      out,
      '--p12',
      pkiFile('chairman-rsa2048.p12'),
      '--pin-env',
      'X',
    ]);
    expect(p12.code).toBe(1);
    expect(p12.stderr).toContain('Tệp chứng thư .p12/.pfx không được phép dùng trên máy này');
    expect(await readdir(dir)).not.toContain('out.pdf');
  });
});

describe('a broken policy file', () => {
  it('is reported by every command and by kyso doctor; the safest settings apply', async () => {
    await writeUser({ identities: { demo: true }, trust: { locked: false } });
    await writePolicy('{ "locked": [ "tsa", }');
    const demo = await kyso(['sign', pdf, '-o', path.join(dir, 'out.pdf'), '--demo', '--lang', 'en']);
    expect(demo.code).toBe(1);
    expect(demo.stderr).toContain(`The machine policy ${policyFile} is invalid (not valid JSON`);
    expect(demo.stderr).toContain('[POLICY_INVALID]');
    expect(demo.stderr).toContain('[IDENTITY_NOT_ALLOWED]');

    const trust = await kyso(['trust', 'disable', 'a'.repeat(64), '--lang', 'en']);
    expect(trust.stderr).toContain('locked because the machine policy file is invalid');

    const doctor = await kyso(['doctor', '--json', '--out', path.join(dir, 'doctor.json')]);
    expect(doctor.code, doctor.stderr).toBe(0);
    const report = JSON.parse(doctor.stdout) as {
      policy: { file: string; status: string; problem: string; locked: { key: string }[] };
      warnings: { kind: string; code?: string }[];
    };
    expect(report.policy).toMatchObject({ file: policyFile, status: 'invalid' });
    expect(report.policy.problem).toMatch(/not valid JSON/);
    expect(report.policy.locked.map((l) => l.key)).toEqual(
      expect.arrayContaining(['identities', 'trust', 'revocation.whenUnavailable']),
    );
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ kind: 'policy-invalid', code: 'POLICY_INVALID' }),
    );

    const text = await kyso(['doctor', '--out', path.join(dir, 'doctor.txt')]);
    expect(text.stdout).toContain(`Chính sách của máy: ${policyFile} — Tệp chính sách của máy`);
    expect(text.stdout).toContain('[POLICY_INVALID]');
  });

  it('a schema error is reported the same way, naming the member', async () => {
    await writePolicy({ locked: ['tsa.ulr'] });
    const r = await kyso(['doctor', '--json', '--out', path.join(dir, 'doctor2.json')]);
    const report = JSON.parse(r.stdout) as { policy: { status: string; problem: string } };
    expect(report.policy.status).toBe('invalid');
    expect(report.policy.problem).toContain('"tsa.ulr" is not a setting key');
  });

  it('a valid policy shows in kyso doctor with its locks', async () => {
    await writePolicy({ locked: { tsa: 'TSA của Bộ' } });
    const r = await kyso(['doctor', '--out', path.join(dir, 'doctor3.txt'), '--lang', 'en']);
    expect(r.stdout).toContain(`Machine policy: ${policyFile} — applied`);
    expect(r.stdout).toContain('locked: tsa (TSA của Bộ)');
  });
});
