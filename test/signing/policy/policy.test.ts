// The machine policy (policy.json): where it is, how it is parsed, and the settings in force — policy
// locks over the user's settings.json over the policy's presets over the defaults. Every lockable key
// is locked in turn: its change is refused (SETTING_LOCKED, naming the key and the reason) and the
// user's value gives way. A broken file is reported and the safest settings apply.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppearanceSettingsSchema } from '../../../src/signing/appearance/appearance-settings.js';
import { loadEffectiveSettings, SettingsSchema } from '../../../src/signing/settings.js';
import {
  APPEARANCE_KEYS,
  isSettingKey,
  policyPath,
  readPolicy,
  SETTING_KEYS,
} from '../../../src/signing/policy-api.js';
import { getPath } from '../../../src/signing/policy/json-paths.js';
import { KysoError } from '../../../src/shared/errors.js';
import { messageFor } from '../../../src/shared/messages.js';
import { SAMPLE_USER_SETTINGS } from './policy-sample.js';
import { loadTrustStore } from '../../../src/signing/verify/trust-store.js';

let dir = '';
let home = '';
let policyFile = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kyso-policy-'));
  home = path.join(dir, 'home');
  await import('node:fs/promises').then((fs) => fs.mkdir(home));
  policyFile = path.join(dir, 'policy.json');
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

async function writeUser(value: unknown): Promise<void> {
  await writeFile(path.join(home, 'settings.json'), JSON.stringify(value));
}
async function writePolicy(value: unknown): Promise<void> {
  await writeFile(policyFile, typeof value === 'string' ? value : JSON.stringify(value));
}
const load = () => loadEffectiveSettings(home, { policyFile });
const DEFAULTS = SettingsSchema.parse({});

function lockedError(fn: () => void): KysoError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KysoError) return err;
    throw err;
  }
  throw new Error('no error: the change was allowed');
}

describe('where the policy lives', () => {
  it('per OS, and KYSO_POLICY overrides it', () => {
    expect(policyPath({ ProgramData: 'D:\\ProgramData' }, 'win32')).toBe(
      'D:\\ProgramData\\Kyso\\policy.json',
    );
    expect(policyPath({}, 'win32')).toBe('C:\\ProgramData\\Kyso\\policy.json');
    expect(policyPath({}, 'linux')).toBe('/etc/kyso/policy.json');
    expect(policyPath({}, 'darwin')).toBe('/Library/Application Support/Kyso/policy.json');
    expect(policyPath({ KYSO_POLICY: '/tmp/x/policy.json' }, 'linux')).toBe('/tmp/x/policy.json');
    expect(policyPath({ KYSO_POLICY: '' }, 'linux')).toBe('/etc/kyso/policy.json');
  });

  it('an absent file is no policy: the defaults and the user settings apply, nothing is locked', async () => {
    await writeUser({});
    const e = await loadEffectiveSettings(home, { policyFile: path.join(dir, 'none.json') });
    expect(e.policy.status).toBe('absent');
    expect(e.settings).toEqual(DEFAULTS);
    expect(e.list().filter((s) => s.locked !== null)).toEqual([]);
    expect(e.list().every((s) => s.source === 'default')).toBe(true);
  });
});

describe('the lockable keys', () => {
  it('are every section and member of settings.json, appearance included', () => {
    for (const key of [
      'pkcs11',
      'pkcs11.modules',
      'trust',
      'trust.locked',
      'identities.p12',
      'identities.demo',
    ]) {
      expect(SETTING_KEYS).toContain(key);
    }
    for (const key of [
      'tsa.url',
      'revocation.whenUnavailable',
      'upload.rest.oauth2.tokenUrl',
      'bridge.allowedOrigins',
    ]) {
      expect(SETTING_KEYS).toContain(key);
    }
    expect(isSettingKey('tsa.ulr')).toBe(false);
    // Each top-level member of the settings schema is a key.
    for (const name of Object.keys(SettingsSchema.shape)) expect(SETTING_KEYS).toContain(name);
  });

  it('list the appearance members as its zod schema has them', () => {
    const parsed = AppearanceSettingsSchema.parse(SAMPLE_USER_SETTINGS.appearance);
    for (const key of APPEARANCE_KEYS.filter((k) => k !== 'appearance')) {
      expect(getPath({ appearance: parsed }, key), key).toBeDefined();
    }
    const defaults = AppearanceSettingsSchema.parse({});
    const top = ['font', 'organization', 'sealDiameterMm', ...Object.keys(defaults)];
    expect(new Set(top)).toEqual(
      new Set(APPEARANCE_KEYS.filter((k) => k.split('.').length === 2).map((k) => k.split('.')[1])),
    );
  });

  it('the sample user settings give every key a valid value other than its default', async () => {
    for (const key of SETTING_KEYS) expect(getPath(SAMPLE_USER_SETTINGS, key), key).toBeDefined();
    const { appearance: _a, ...engine } = SAMPLE_USER_SETTINGS;
    const parsed = SettingsSchema.parse(engine);
    for (const key of SETTING_KEYS.filter((k) => !k.startsWith('appearance'))) {
      expect(getPath(parsed, key), key).not.toEqual(getPath(DEFAULTS, key));
    }
  });
});

describe('precedence: policy locks > settings.json > policy presets > defaults', () => {
  it('a preset is used when the user has not set the key; the user value wins; a lock wins over both', async () => {
    await writePolicy({
      reason: 'Sở Nội vụ quy định',
      settings: {
        tsa: { url: 'http://tsa.policy.example.vn', retries: 5 },
        revocation: { mode: 'offline', whenUnavailable: 'refuse' },
      },
      locked: ['revocation.whenUnavailable'],
    });
    await writeUser({ tsa: { url: 'http://tsa.user.example.vn' }, revocation: { whenUnavailable: 'warn' } });
    const e = await load();
    expect(e.policy.status).toBe('applied');
    const view = new Map(e.list().map((s) => [s.key, s]));
    // user over preset
    expect(e.settings.tsa.url).toBe('http://tsa.user.example.vn');
    expect(view.get('tsa.url')).toMatchObject({ source: 'settings', locked: null });
    // preset over default
    expect(e.settings.tsa.retries).toBe(5);
    expect(view.get('tsa.retries')).toMatchObject({ value: 5, source: 'policy', locked: null });
    expect(e.settings.revocation.mode).toBe('offline');
    // default
    expect(e.settings.tsa.timeoutMs).toBe(60_000);
    expect(view.get('tsa.timeoutMs')).toMatchObject({ value: 60_000, source: 'default' });
    // locked preset over the user's value
    expect(e.settings.revocation.whenUnavailable).toBe('refuse');
    expect(view.get('revocation.whenUnavailable')).toMatchObject({
      value: 'refuse',
      source: 'policy',
      locked: { by: 'policy', reason: 'Sở Nội vụ quy định' },
    });
  });

  it('a section lock holds its members at the policy value or the default, the user values dropped', async () => {
    await writePolicy({
      settings: { tsa: { url: 'http://tsa.policy.example.vn' } },
      locked: { tsa: 'TSA của Bộ' },
    });
    await writeUser({
      tsa: { url: 'http://tsa.user.example.vn', timeoutMs: 5000 },
      ltv: { renewBeforeDays: 10 },
    });
    const e = await load();
    expect(e.settings.tsa).toEqual({ ...DEFAULTS.tsa, url: 'http://tsa.policy.example.vn' });
    expect(e.settings.ltv.renewBeforeDays).toBe(10);
    expect(e.lockOf('tsa.timeoutMs')).toEqual({ by: 'policy', reason: 'TSA của Bộ' });
    expect(e.lockOf('ltv')).toBeNull();
  });
});

describe('every lockable key, locked in turn', () => {
  it('refuses its change (SETTING_LOCKED with the key and the reason) and the user value gives way', async () => {
    await writeUser(SAMPLE_USER_SETTINGS);
    const failures: string[] = [];
    for (const key of SETTING_KEYS) {
      await writePolicy({ locked: { [key]: `khóa ${key}` } });
      const e = await load();
      const err = lockedError(() => e.assertUnlocked(key, 'test'));
      if (
        err.code !== 'SETTING_LOCKED' ||
        err.details['key'] !== key ||
        err.details['reason'] !== `khóa ${key}`
      ) {
        failures.push(`${key}: ${err.code} ${JSON.stringify(err.details)}`);
      }
      // a change of the section above it touches it too
      const parent = key.split('.').slice(0, -1).join('.');
      if (parent !== '' && !parent.startsWith('trust')) {
        const up = lockedError(() => e.assertUnlocked(parent));
        if (up.details['key'] !== key) failures.push(`${key}: section ${parent} not refused`);
      }
      const entry = e.list().find((s) => s.key === key);
      if (entry?.locked?.by !== 'policy' || entry.source !== 'policy') {
        failures.push(`${key}: listed as ${JSON.stringify(entry)}`);
      }
      // locked with no preset: the default, not the user's value
      const actual = key.startsWith('appearance') ? getPath(e.raw, key) : getPath(e.settings, key);
      const expected = key.startsWith('appearance') ? undefined : getPath(DEFAULTS, key);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        failures.push(`${key}: value ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('the message says who locked it and why, in Vietnamese and English', () => {
    const details = { key: 'tsa.url', by: 'policy', reason: 'TSA của Bộ', option: '--tsa' };
    expect(messageFor('SETTING_LOCKED', details, 'vi')).toBe(
      'Cài đặt "tsa.url" (--tsa) đã bị khóa bởi chính sách của máy: TSA của Bộ; không thay đổi được.',
    );
    expect(messageFor('SETTING_LOCKED', details, 'en')).toContain('locked by the machine policy: TSA của Bộ');
  });
});

describe('settings.json locks the trust store itself (issue 12)', () => {
  it('trust.locked: true locks every trust key, by the settings', async () => {
    await writePolicy({});
    await writeUser({ trust: { locked: true } });
    const e = await load();
    expect(e.lockOf('trust')).toEqual({ by: 'settings', reason: null });
    expect(lockedError(() => e.assertUnlocked('trust')).details).toMatchObject({
      key: 'trust',
      by: 'settings',
    });
    expect(e.lockOf('tsa')).toBeNull();
  });
});

describe('the trust store follows the policy', () => {
  it('the built-in list anchors chains unless the policy turns it off', async () => {
    const saved = process.env['KYSO_POLICY'];
    process.env['KYSO_POLICY'] = policyFile;
    try {
      await writeUser({});
      await writePolicy({});
      const on = await loadTrustStore({ home });
      expect(on.list().some((c) => c.source === 'builtin')).toBe(true);
      await writePolicy({ settings: { trust: { useBuiltinList: false } }, locked: ['trust'] });
      const off = await loadTrustStore({ home });
      expect(off.list().filter((c) => c.source === 'builtin')).toEqual([]);
      // kyso trust list still shows the list, so IT staff see what is turned off
      const listing = await loadTrustStore({ home, keepDisabled: true });
      expect(listing.list().some((c) => c.source === 'builtin')).toBe(true);
    } finally {
      if (saved === undefined) delete process.env['KYSO_POLICY'];
      else process.env['KYSO_POLICY'] = saved;
    }
  });
});

describe('.p12 files and the demo identity', () => {
  it('a policy that turns them off and locks them refuses both, whatever settings.json says', async () => {
    await writePolicy({
      settings: { identities: { p12: false, demo: false } },
      locked: { identities: 'Chỉ ký bằng USB token' },
    });
    await writeUser({ identities: { p12: true, demo: true } });
    const e = await load();
    for (const kind of ['p12', 'demo'] as const) {
      const err = lockedError(() => e.assertIdentityAllowed(kind));
      expect(err.code).toBe('IDENTITY_NOT_ALLOWED');
      expect(err.details).toMatchObject({ identity: kind, reason: 'Chỉ ký bằng USB token' });
    }
    expect(messageFor('IDENTITY_NOT_ALLOWED', { identity: 'p12', reason: 'x' }, 'vi')).toContain('.p12');
  });

  it('allowed by default', async () => {
    await writePolicy({});
    await writeUser({});
    const e = await load();
    expect(() => e.assertIdentityAllowed('p12')).not.toThrow();
    expect(() => e.assertIdentityAllowed('demo')).not.toThrow();
  });
});

describe('a broken policy file', () => {
  const broken: Record<string, unknown> = {
    'invalid JSON': '{ "locked": ["tsa", }',
    'not an object': '[1, 2]',
    'an unknown member': { lock: ['tsa'] },
    'an unknown lock key': { locked: ['tsa.ulr'] },
    'an unknown setting': { settings: { tsa: { ulr: 'http://x' } } },
    'a wrong value type': { settings: { tsa: { timeoutMs: 'slow' } } },
    'a wrong appearance value': { settings: { appearance: { templates: { text: { color: 'blue' } } } } },
    'a reason that is not text': { locked: { tsa: 12 } },
  };

  for (const [name, content] of Object.entries(broken)) {
    it(`${name}: reported with the file and the reason; the safest settings apply`, async () => {
      await writePolicy(content);
      await writeUser({
        identities: { p12: true, demo: true },
        trust: { locked: false, useManagedStore: true, useBuiltinList: false },
        revocation: { checkBeforeSigning: 'never', whenUnavailable: 'warn' },
        tsa: { url: 'http://tsa.user.example.vn' },
      });
      const state = await readPolicy(policyFile);
      expect(state.status).toBe('invalid');
      expect(state.problem).toBeTruthy();
      const e = await load();
      expect(e.policy.status).toBe('invalid');
      expect(e.settings.identities).toEqual({ p12: false, demo: false });
      expect(e.settings.trust).toEqual({ locked: true, useManagedStore: false, useBuiltinList: true });
      expect(e.settings.revocation.checkBeforeSigning).toBe('always');
      expect(e.settings.revocation.whenUnavailable).toBe('refuse');
      // what the safest settings do not cover stays the user's
      expect(e.settings.tsa.url).toBe('http://tsa.user.example.vn');
      expect(lockedError(() => e.assertUnlocked('trust')).details).toMatchObject({ by: 'invalid-policy' });
      expect(lockedError(() => e.assertIdentityAllowed('demo')).code).toBe('IDENTITY_NOT_ALLOWED');
      const message = messageFor('POLICY_INVALID', { file: state.file, reason: state.problem ?? '' }, 'vi');
      expect(message).toContain(policyFile);
      expect(message).toContain('an toàn nhất');
    });
  }

  it('names what is wrong and where', async () => {
    await writePolicy({ locked: ['tsa.ulr'], settings: { tsa: { timeoutMs: 'slow' } } });
    const state = await readPolicy(policyFile);
    expect(state.problem).toContain('locked[0]: "tsa.ulr" is not a setting key');
    expect(state.problem).toContain('settings.tsa.timeoutMs: expected integer');
  });

  it('a byte order mark (Notepad) is not an error', async () => {
    await writePolicy(`\uFEFF${JSON.stringify({ locked: ['tsa'] })}`);
    expect((await readPolicy(policyFile)).status).toBe('applied');
  });
});
