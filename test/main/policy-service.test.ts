// The machine policy through the app's contract, with the real service handlers the engine process
// serves (engineHandlers, the dispatcher): policy.get says which settings are locked and why (and
// that a broken file put the safest settings in force); upload.settings.set and bridge.settings.set
// refuse a change to a locked setting with SETTING_LOCKED and the policy's reason, and write nothing;
// repeating the value in force, or changing what is not locked, goes through.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Result, ResultOf, RequestOf } from '../../src/shared/contract/index.js';
import { dispatch } from '../../src/main/services/dispatcher.js';
import { DocumentTable } from '../../src/main/services/document-table.js';
import { engineHandlers } from '../../src/main/services/engine-handlers.js';
import { appUploadPath } from '../../src/main/services/outbox-service.js';
import { appSettingsPath } from '../../src/main/services/app-settings.js';

const previous = { home: process.env['KYSO_HOME'], policy: process.env['KYSO_POLICY'] };
let dir = '';
let home = '';
let policyFile = '';
const handlers = engineHandlers(new DocumentTable());

async function call<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
  language: 'vi' | 'en' = 'vi',
): Promise<Result<ResultOf<C>>> {
  return (await dispatch(handlers, channel, request, {
    signal: new AbortController().signal,
    progress: () => undefined,
    language,
  })) as Result<ResultOf<C>>;
}

async function ok<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResultOf<C>> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

const writePolicy = (value: unknown): void =>
  writeFileSync(policyFile, typeof value === 'string' ? value : JSON.stringify(value));

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-app-policy-'));
  home = path.join(dir, 'home');
  mkdirSync(home);
  policyFile = path.join(dir, 'policy.json');
  process.env['KYSO_HOME'] = home;
  process.env['KYSO_POLICY'] = policyFile;
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

describe('policy.get', () => {
  it('lists every setting with its source, and the locked ones with the reason and the sentence to show', async () => {
    writePolicy({
      settings: { upload: { server: 'https://motcua.example.gov.vn/api' }, tsa: { retries: 5 } },
      locked: { 'upload.server': 'Máy chủ một cửa của tỉnh' },
    });
    const view = await ok('policy.get', {});
    expect(view).toMatchObject({ file: policyFile, status: 'applied', problem: null });
    const byKey = new Map(view.settings.map((s) => [s.key, s]));
    expect(byKey.get('upload.server')).toEqual({
      key: 'upload.server',
      value: 'https://motcua.example.gov.vn/api',
      source: 'policy',
      locked: {
        by: 'policy',
        reason: 'Máy chủ một cửa của tỉnh',
        message:
          'Cài đặt "upload.server" đã bị khóa bởi chính sách của máy: Máy chủ một cửa của tỉnh; không thay đổi được.',
      },
    });
    expect(byKey.get('tsa.retries')).toMatchObject({ value: 5, source: 'policy', locked: null });
    expect(byKey.get('revocation.mode')).toMatchObject({ value: 'online', source: 'default', locked: null });
    expect(view.settings.filter((s) => s.locked !== null).map((s) => s.key)).toEqual(['upload.server']);
  });

  it('a broken file: POLICY_INVALID with its message, and the safest settings locked', async () => {
    writePolicy('{ "locked": ');
    const r = await call('policy.get', {}, 'en');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.status).toBe('invalid');
    expect(r.value.problem?.code).toBe('POLICY_INVALID');
    expect(r.value.problem?.message).toContain(`The machine policy ${policyFile} is invalid (not valid JSON`);
    const locked = new Map(r.value.settings.filter((s) => s.locked).map((s) => [s.key, s]));
    expect(locked.get('identities.p12')).toMatchObject({ value: false, locked: { by: 'invalid-policy' } });
    expect(locked.get('identities.demo')).toMatchObject({ value: false });
    expect(locked.get('revocation.whenUnavailable')).toMatchObject({ value: 'refuse' });
    expect(locked.get('trust.locked')?.locked?.message).toContain(
      'because the machine policy file is invalid',
    );
  });
});

describe('upload.settings.set', () => {
  it('a locked server is refused (SETTING_LOCKED, the reason) and nothing is written', async () => {
    writePolicy({
      settings: { upload: { adapter: 'rest', server: 'https://motcua.example.gov.vn/api' } },
      locked: { 'upload.server': 'Máy chủ một cửa của tỉnh' },
    });
    rmSync(appUploadPath(home), { force: true });
    const r = await call('upload.settings.set', { server: 'https://other.example.com/api' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('SETTING_LOCKED');
    expect(r.error.message).toBe(
      'Cài đặt "upload.server" (server) đã bị khóa bởi chính sách của máy: Máy chủ một cửa của tỉnh; không thay đổi được.',
    );
    const cleared = await call('upload.settings.set', { server: null }, 'en');
    expect(cleared.ok ? 'accepted' : cleared.error.code).toBe('SETTING_LOCKED');
    expect(existsSync(appUploadPath(home))).toBe(false);
    expect((await ok('upload.settings.get', {})).server).toBe('https://motcua.example.gov.vn/api');
  });

  it('the value in force is accepted, and what is not locked can change', async () => {
    const same = await ok('upload.settings.set', {
      adapter: 'rest',
      server: 'https://motcua.example.gov.vn/api',
    });
    expect(same.server).toBe('https://motcua.example.gov.vn/api');
    const folder = path.join(dir, 'share');
    const changed = await ok('upload.settings.set', { adapter: 'folder', folderPath: folder });
    expect(changed).toMatchObject({ adapter: 'folder', folderPath: folder });
  });

  it('a value stored by the app before the lock gives way to the policy', async () => {
    writePolicy({});
    await ok('upload.settings.set', { adapter: 'rest', server: 'https://mine.example.com/api' });
    expect((await ok('upload.settings.get', {})).server).toBe('https://mine.example.com/api');
    writePolicy({
      settings: { upload: { server: 'https://motcua.example.gov.vn/api' } },
      locked: ['upload'],
    });
    expect((await ok('upload.settings.get', {})).server).toBe('https://motcua.example.gov.vn/api');
    const adapter = await call('upload.settings.set', { adapter: 'folder' });
    expect(adapter.ok ? 'accepted' : adapter.error.code).toBe('SETTING_LOCKED');
  });
});

describe('token libraries', () => {
  it('a policy that locks pkcs11.modules leaves out KYSO_PKCS11_MODULE, in the app as in the CLI', async () => {
    const library = path.join(dir, 'libvendor-not-installed.so');
    const saved = process.env['KYSO_PKCS11_MODULE'];
    process.env['KYSO_PKCS11_MODULE'] = library;
    try {
      writePolicy({ settings: { pkcs11: { searchCatalogue: false } } });
      const open = await ok('tokens.list', {});
      expect(open.modules.map((m) => m.path)).toContain(library);
      writePolicy({ settings: { pkcs11: { searchCatalogue: false } }, locked: ['pkcs11'] });
      const locked = await ok('tokens.list', {});
      expect(locked.modules.map((m) => m.path)).not.toContain(library);
    } finally {
      if (saved === undefined) delete process.env['KYSO_PKCS11_MODULE'];
      else process.env['KYSO_PKCS11_MODULE'] = saved;
    }
  });
});

describe('bridge.settings.set', () => {
  const request = (port: number, allowedOrigins: string[]): RequestOf<'bridge.settings.set'> => ({
    enabled: false,
    port,
    allowedOrigins,
    certificate: null,
  });

  it('a locked port and locked sites are refused; nothing is written', async () => {
    rmSync(appSettingsPath(home), { force: true });
    writePolicy({
      settings: { bridge: { port: 9100, allowedOrigins: ['https://motcua.example.gov.vn'] } },
      locked: { 'bridge.port': 'Cổng do CNTT cấp', 'bridge.allowedOrigins': 'Chỉ hệ thống một cửa của tỉnh' },
    });
    const port = await call('bridge.settings.set', request(9200, []), 'en');
    expect(port.ok).toBe(false);
    if (port.ok) return;
    expect(port.error.code).toBe('SETTING_LOCKED');
    expect(port.error.message).toContain(
      '"bridge.port" (port) is locked by the machine policy: Cổng do CNTT cấp',
    );
    const site = await call('bridge.settings.set', request(9100, ['https://evil.example.com']));
    expect(site.ok ? 'accepted' : site.error.message).toContain('Chỉ hệ thống một cửa của tỉnh');
    expect(existsSync(appSettingsPath(home))).toBe(false);
  });

  it('the values in force go through; the status shows the preset sites only', async () => {
    const status = await ok('bridge.settings.set', request(9100, ['https://motcua.example.gov.vn']));
    expect(status.port).toBe(9100);
    expect(status.presetOrigins).toEqual(['https://motcua.example.gov.vn']);
    expect(JSON.parse(readFileSync(appSettingsPath(home), 'utf8'))).toMatchObject({
      bridge: { enabled: false, port: 9100 },
    });
  });

  it('unlocked, the port and the sites are the user’s', async () => {
    writePolicy({});
    const status = await ok('bridge.settings.set', request(9300, ['https://mine.example.com']));
    expect(status.port).toBe(9300);
    expect(status.allowedOrigins).toEqual(['https://mine.example.com']);
  });
});
