// network.*: the TSA, proxy and revocation settings written through the contract (only what changed;
// a key the machine policy locks is refused with SETTING_LOCKED and nothing is written), and "Kiểm
// tra kết nối" against real TSA servers on 127.0.0.1: answered, refused port, HTTP 500, not a
// timestamp, and through a configured proxy that is not there.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, RequestOf, Result, ResultOf } from '../../src/shared/contract/index.js';
import { dispatch } from '../../src/main/services/dispatcher.js';
import { DocumentTable } from '../../src/main/services/document-table.js';
import { engineHandlers } from '../../src/main/services/engine-handlers.js';
import { closedPort, startTsaServer, type TsaServer } from '../servers/tsa-server.js';
import { makeTestPki, type TestPki } from '../servers/test-pki.js';

const previous = { home: process.env['KYSO_HOME'], policy: process.env['KYSO_POLICY'] };
let dir = '';
let home = '';
let policyFile = '';
let pki: TestPki;
const servers: TsaServer[] = [];
const handlers = engineHandlers(new DocumentTable());

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResultOf<C>>> {
  return (await dispatch(handlers, channel, request, {
    signal: new AbortController().signal,
    progress: () => undefined,
    language: 'vi',
  })) as Result<ResultOf<C>>;
}

const settingsFile = (): Record<string, unknown> =>
  existsSync(path.join(home, 'settings.json'))
    ? (JSON.parse(readFileSync(path.join(home, 'settings.json'), 'utf8')) as Record<string, unknown>)
    : {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-app-network-'));
  home = path.join(dir, 'home');
  mkdirSync(home);
  policyFile = path.join(dir, 'policy.json');
  process.env['KYSO_HOME'] = home;
  process.env['KYSO_POLICY'] = policyFile;
  pki = await makeTestPki();
});

afterAll(async () => {
  for (const s of servers) await s.close();
  for (const [key, value] of [
    ['KYSO_HOME', previous.home],
    ['KYSO_POLICY', previous.policy],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const form = {
  tsaUrl: 'http://127.0.0.1:9/tsa',
  proxy: null,
  noProxy: [],
  revocationMode: 'online',
} as const;

describe('network.settings.set', () => {
  it('writes what changed, clears with null, and refuses a locked key without writing', async () => {
    expect((await call('network.settings.set', form)).ok).toBe(true);
    expect(settingsFile()).toEqual({ tsa: { url: 'http://127.0.0.1:9/tsa' } });
    await call('network.settings.set', { ...form, revocationMode: 'offline', noProxy: ['.gov.vn'] });
    expect(settingsFile()).toMatchObject({
      revocation: { mode: 'offline' },
      network: { noProxy: ['.gov.vn'] },
    });
    await call('network.settings.set', {
      ...form,
      tsaUrl: null,
      revocationMode: 'offline',
      noProxy: ['.gov.vn'],
    });
    expect(settingsFile()).not.toHaveProperty('tsa.url');

    writeFileSync(
      policyFile,
      JSON.stringify({
        settings: { tsa: { url: 'http://tsa.tinh.gov.vn' } },
        locked: { 'tsa.url': 'TSA của tỉnh' },
      }),
    );
    const before = readFileSync(path.join(home, 'settings.json'), 'utf8');
    const locked = await call('network.settings.set', { ...form, tsaUrl: 'http://other.example/tsa' });
    expect(locked.ok ? 'ok' : locked.error.code).toBe('SETTING_LOCKED');
    expect(readFileSync(path.join(home, 'settings.json'), 'utf8')).toBe(before);
    // The locked key left as the policy has it, another one changed: accepted.
    const other = await call('network.settings.set', {
      ...form,
      tsaUrl: 'http://tsa.tinh.gov.vn',
      revocationMode: 'online',
      noProxy: ['.gov.vn'],
    });
    rmSync(policyFile);
    expect(other.ok).toBe(true);
    expect(settingsFile()).toMatchObject({ revocation: { mode: 'online' } });
  });

  it("never shows the proxy's password to the window; the masked value sent back keeps it", async () => {
    const proxy = 'http://vanthu:Mat-khau-9@proxy.so.gov.vn:8080';
    expect((await call('network.settings.set', { ...form, proxy })).ok).toBe(true);
    const view = await call('policy.get', {});
    if (!view.ok) throw new Error(view.error.code);
    const shown = view.value.settings.find((s) => s.key === 'network.proxy')?.value;
    expect(shown).toBe('http://vanthu:***@proxy.so.gov.vn:8080');
    expect(JSON.stringify(view.value)).not.toContain('Mat-khau-9');
    // The form saved as shown (another field changed): the stored password stays.
    await call('network.settings.set', { ...form, proxy: shown as string, revocationMode: 'offline' });
    expect(settingsFile()).toMatchObject({ network: { proxy }, revocation: { mode: 'offline' } });
    // A new password typed in: saved.
    const changed = 'http://vanthu:Moi-2027@proxy.so.gov.vn:8080';
    await call('network.settings.set', { ...form, proxy: changed, revocationMode: 'offline' });
    expect(settingsFile()).toMatchObject({ network: { proxy: changed } });
    await call('network.settings.set', { ...form, proxy: null });
  });
});

describe('network.checkTsa', () => {
  it('a TSA that answers: its name, its time, how long it took', async () => {
    const tsa = await startTsaServer({ pkiDir: pki.dir });
    servers.push(tsa);
    const r = await call('network.checkTsa', { url: tsa.url });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.tsaName).toMatch(/TSA/i);
    expect(Math.abs(Date.parse(r.value.genTime) - Date.now())).toBeLessThan(5 * 60_000);
    expect(tsa.requests).toBe(1);
  });

  it('each fault has its own code and a Vietnamese message', async () => {
    const refused = await call('network.checkTsa', { url: `http://127.0.0.1:${await closedPort()}/tsa` });
    const http500 = await startTsaServer({ pkiDir: pki.dir, failFirst: 10, failWith: 'http-500' });
    const garbage = await startTsaServer({ pkiDir: pki.dir, garbage: true });
    servers.push(http500, garbage);
    const failed500 = await call('network.checkTsa', { url: http500.url });
    const notTimestamp = await call('network.checkTsa', { url: garbage.url });
    const codes = [refused, failed500, notTimestamp].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes[0]).toBe('TSA_UNREACHABLE');
    expect(codes[1]).toMatch(/^TSA_/);
    expect(codes[2]).toBe('TSA_BAD_RESPONSE');
    expect(http500.requests).toBe(1); // checked once, not retried
    for (const r of [refused, failed500, notTimestamp])
      if (!r.ok) expect(r.error.message).toMatch(/[ạảãáàâăđêôơư]/);
  });

  it('goes through the saved proxy (an unreachable proxy: unreachable, and the TSA never asked)', async () => {
    const tsa = await startTsaServer({ pkiDir: pki.dir });
    servers.push(tsa);
    const set = await call('network.settings.set', {
      ...form,
      proxy: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(set.ok).toBe(true);
    const r = await call('network.checkTsa', { url: tsa.url });
    expect(r.ok ? 'ok' : r.error.code).toBe('TSA_UNREACHABLE');
    expect(tsa.requests).toBe(0);
    await call('network.settings.set', form);
  });
});
