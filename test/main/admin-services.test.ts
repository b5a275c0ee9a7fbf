// The IT staff's services of "Thiết bị ký" and Cài đặt over the real engine handlers: the trust
// store (list, preview with nothing written, add, switch off, remove; a built-in entry cannot be
// removed; a locked store refuses), the PKCS#11 libraries added by hand (SoftHSM probed and saved;
// a file that is not a library and a missing one refused with nothing saved; removal; a policy
// lock), the doctor report (text in the app's language, saved as text and JSON), and "Mặc định khi
// ký" (saved into settings.json, used for the proposed output name; a locked key refused).
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, RequestOf, Result, ResultOf } from '../../src/shared/contract/index.js';
import type { Language } from '../../src/shared/contract/index.js';
import { dispatch } from '../../src/main/services/dispatcher.js';
import { DocumentTable } from '../../src/main/services/document-table.js';
import { engineHandlers } from '../../src/main/services/engine-handlers.js';
import { pkiFile, SOFTHSM_MODULE } from '../support/fixtures.js';
import { makeDecision } from './app-support.js';

const previous = { home: process.env['KYSO_HOME'], policy: process.env['KYSO_POLICY'] };
let dir = '';
let home = '';
let policyFile = '';
let handlers = engineHandlers(new DocumentTable());

async function call<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
  language: Language = 'vi',
): Promise<Result<ResultOf<C>>> {
  return (await dispatch(handlers, channel, request, {
    signal: new AbortController().signal,
    progress: () => undefined,
    language,
  })) as Result<ResultOf<C>>;
}

async function ok<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
  language?: Language,
): Promise<ResultOf<C>> {
  const r = await call(channel, request, language);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function refused<C extends Channel>(channel: C, request: RequestOf<C>): Promise<string> {
  const r = await call(channel, request);
  expect(r.ok, `${channel} should be refused`).toBe(false);
  return r.ok ? '' : r.error.code;
}

const settingsFile = (): Record<string, Record<string, unknown>> =>
  existsSync(path.join(home, 'settings.json'))
    ? (JSON.parse(readFileSync(path.join(home, 'settings.json'), 'utf8')) as Record<
        string,
        Record<string, unknown>
      >)
    : {};

/** A machine policy presetting and locking each dotted key with its value. */
function lock(keys: Record<string, unknown>): void {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(keys)) {
    const parts = key.split('.');
    let node = settings;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  const locked = Object.fromEntries(Object.keys(keys).map((k) => [k, 'Sở TT&TT quy định']));
  writeFileSync(policyFile, JSON.stringify({ settings, locked }));
}

const rootFp = (): string =>
  new X509Certificate(readFileSync(pkiFile('root-ca.der'))).fingerprint256.replace(/:/g, '').toLowerCase();

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-app-admin-'));
  policyFile = path.join(dir, 'policy.json');
  process.env['KYSO_POLICY'] = policyFile;
});

beforeEach(() => {
  home = mkdtempSync(path.join(dir, 'home-'));
  process.env['KYSO_HOME'] = home;
  rmSync(policyFile, { force: true });
  handlers = engineHandlers(new DocumentTable());
});

afterAll(() => {
  for (const [key, value] of [
    ['KYSO_HOME', previous.home],
    ['KYSO_POLICY', previous.policy],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('trust.*', () => {
  it('lists the built-in list; previews, adds, switches off and removes a root', async () => {
    const before = await ok('trust.list', {});
    const g2 = before.entries.find((e) => e.name === 'RootCA chuyên dùng Chính phủ G2');
    expect(g2).toMatchObject({ origin: 'builtin', enabled: true, anchor: true });
    expect(before.entries.some((e) => e.origin === 'managed')).toBe(false);
    expect(before).toMatchObject({ useBuiltinList: true, useManagedStore: true });

    const preview = await ok('trust.preview', { path: pkiFile('root-ca.der') });
    expect(preview.certificates).toHaveLength(1);
    expect(preview.certificates[0]).toMatchObject({ fingerprint: rootFp(), anchor: true });
    expect(existsSync(path.join(home, 'trust')) && readdirSync(path.join(home, 'trust')).length > 0).toBe(
      false,
    );

    const added = await ok('trust.add', { path: pkiFile('root-ca.der') });
    expect(added.added.map((c) => c.fingerprint)).toEqual([rootFp()]);
    const managed = (await ok('trust.list', {})).entries.find((e) => e.fingerprint === rootFp());
    expect(managed).toMatchObject({ origin: 'managed', enabled: true, name: null });

    await ok('trust.setEnabled', { fingerprint: rootFp(), enabled: false });
    expect((await ok('trust.list', {})).entries.find((e) => e.fingerprint === rootFp())?.enabled).toBe(false);
    // Added again after being switched off: wanted on.
    await ok('trust.add', { path: pkiFile('root-ca.der') });
    expect((await ok('trust.list', {})).entries.find((e) => e.fingerprint === rootFp())?.enabled).toBe(true);

    await ok('trust.remove', { fingerprint: rootFp() });
    expect((await ok('trust.list', {})).entries.some((e) => e.fingerprint === rootFp())).toBe(false);
    expect(await refused('trust.remove', { fingerprint: g2!.fingerprint })).toBe(
      'TRUST_BUILTIN_NOT_REMOVABLE',
    );
    expect((await ok('trust.list', {})).entries.some((e) => e.fingerprint === g2!.fingerprint)).toBe(true);
  });

  it('a file without a certificate is refused; a locked store refuses every change and keeps its files', async () => {
    const notCert = path.join(home, 'not-a-cert.cer');
    writeFileSync(notCert, 'hello');
    expect(await refused('trust.preview', { path: notCert })).toMatch(/^(CERT_|INPUT_)/);
    lock({ trust: {} });
    expect(await refused('trust.add', { path: pkiFile('root-ca.der') })).toBe('SETTING_LOCKED');
    const g2 = (await ok('trust.list', {})).entries.find((e) => e.origin === 'builtin')!;
    expect(await refused('trust.setEnabled', { fingerprint: g2.fingerprint, enabled: false })).toBe(
      'SETTING_LOCKED',
    );
    expect((await ok('trust.list', {})).entries.every((e) => e.enabled)).toBe(true);
    expect(existsSync(path.join(home, 'trust'))).toBe(false);
  });
});

describe('tokens.libraries.*', () => {
  it('adds SoftHSM after probing it, refuses what is not a library, removes it', async () => {
    const added = await ok('tokens.libraries.add', { path: SOFTHSM_MODULE });
    expect(added.path).toBe(SOFTHSM_MODULE);
    expect(settingsFile()['pkcs11']?.['modules']).toEqual([SOFTHSM_MODULE]);
    // Twice: listed once.
    await ok('tokens.libraries.add', { path: SOFTHSM_MODULE });
    expect(settingsFile()['pkcs11']?.['modules']).toEqual([SOFTHSM_MODULE]);
    const listed = await ok('tokens.list', {});
    expect(listed.modules.find((m) => m.path === SOFTHSM_MODULE)?.origin).toBe('settings');

    const pdf = makeDecision(path.join(home, 'qd.pdf'));
    expect(await refused('tokens.libraries.add', { path: pdf })).toBe('PKCS11_MODULE_NOT_LOADABLE');
    expect(await refused('tokens.libraries.add', { path: path.join(home, 'gone.so') })).toBe(
      'PKCS11_MODULE_NOT_FOUND',
    );
    expect(settingsFile()['pkcs11']?.['modules']).toEqual([SOFTHSM_MODULE]);

    expect(await refused('tokens.libraries.remove', { path: '/usr/lib/other.so' })).toBe(
      'PKCS11_MODULE_NOT_FOUND',
    );
    await ok('tokens.libraries.remove', { path: SOFTHSM_MODULE });
    expect(settingsFile()['pkcs11']?.['modules']).toEqual([]);
  });

  it('a list the policy locks refuses additions, with nothing saved', async () => {
    lock({ 'pkcs11.modules': [] });
    expect(await refused('tokens.libraries.add', { path: SOFTHSM_MODULE })).toBe('SETTING_LOCKED');
    expect(settingsFile()['pkcs11']).toBeUndefined();
  });
});

describe('doctor.*', () => {
  it('gives the report in the app language and saves it as text and JSON', async () => {
    expect(await refused('doctor.save', { output: path.join(home, 'r.txt'), format: 'text' })).toBe('USAGE');
    const vi = await ok('doctor.report', {});
    expect(vi.text).toMatch(/^Kyso doctor — /);
    expect(vi.text).toContain(`Thư mục dữ liệu: ${home}`);
    expect(vi.fileName).toMatch(/^kyso-doctor-\d{8}T\d{6}\.txt$/);
    expect(JSON.parse(vi.json)).toMatchObject({ system: { kysoHome: home } });
    const en = await ok('doctor.report', {}, 'en');
    expect(en.text).toContain(`Data folder: ${home}`);

    const text = path.join(home, 'out', 'doctor.txt');
    expect((await ok('doctor.save', { output: text, format: 'text' })).output).toBe(text);
    expect(readFileSync(text, 'utf8')).toContain('Thư mục dữ liệu');
    const json = path.join(home, 'out', 'doctor.json');
    await ok('doctor.save', { output: json, format: 'json' });
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ system: { kysoHome: home } });
    expect(readdirSync(path.join(home, 'out')).sort()).toEqual(['doctor.json', 'doctor.txt']);
  });
});

describe('settings.signing.set', () => {
  const defaults = {
    template: 'personal',
    anchorText: '',
    outputFolder: null,
    outputSuffix: '-da-ky',
  } as const;

  it('saves only what changed, and the proposed output follows the folder and suffix', async () => {
    await ok('settings.signing.set', defaults);
    expect(settingsFile()['signing']).toBeUndefined();
    const out = path.join(home, 'da-ky');
    await ok('settings.signing.set', {
      template: 'seal',
      anchorText: ' TM. ỦY BAN NHÂN DÂN ',
      outputFolder: out,
      outputSuffix: '_signed',
    });
    expect(settingsFile()['signing']).toEqual({
      template: 'seal',
      anchorText: 'TM. ỦY BAN NHÂN DÂN',
      outputFolder: out,
      outputSuffix: '_signed',
    });
    const pdf = makeDecision(path.join(home, 'qd-12.pdf'));
    const opened = await ok('document.open', { path: pdf });
    expect(opened.suggestedOutput).toBe(path.join(out, 'qd-12_signed.pdf'));
    // Back to beside the original.
    await ok('settings.signing.set', { ...defaults, template: 'seal' });
    expect(settingsFile()['signing']).toEqual({ template: 'seal', anchorText: '', outputSuffix: '-da-ky' });
    const again = await ok('document.open', { path: pdf });
    expect(again.suggestedOutput).toBe(path.join(home, 'qd-12-da-ky.pdf'));
  });

  it('refuses a relative folder, a suffix with a path in it, and a key the policy locks', async () => {
    expect(await refused('settings.signing.set', { ...defaults, outputFolder: 'relative/dir' })).toBe(
      'USAGE',
    );
    expect(await refused('settings.signing.set', { ...defaults, outputSuffix: '/../x' })).not.toBe('');
    lock({ 'signing.template': 'personal' });
    // The locked key untouched: the rest is saved.
    await ok('settings.signing.set', { ...defaults, outputSuffix: '-ky' });
    expect(await refused('settings.signing.set', { ...defaults, template: 'seal' })).toBe('SETTING_LOCKED');
    expect(settingsFile()['signing']).toEqual({ outputSuffix: '-ky' });
  });
});
