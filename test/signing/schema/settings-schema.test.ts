// The settings file's schema (src/signing/settings.ts on schema/plain-schema.ts): defaults for
// absent members, unknown members dropped, and every problem reported with its path, through
// loadSettings as IT staff meet it (SETTINGS_INVALID naming the file and the members).
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsSchema } from '../../../src/signing/settings.js';
import {
  array,
  int,
  object,
  oneOf,
  optional,
  string,
  withDefault,
} from '../../../src/signing/schema/plain-schema.js';

describe('plain schema builders', () => {
  const schema = object({
    name: string({ minLength: 1 }),
    count: withDefault(int(0, 10), 3),
    kind: optional(oneOf(['a', 'b'] as const)),
    tags: withDefault(array(string()), []),
    inner: object({ on: withDefault(int(0, 1), 1) }),
  });

  it('fills defaults, keeps optional members absent and drops unknown members', () => {
    expect(schema.parse({ name: 'x', extra: true })).toEqual({
      name: 'x',
      count: 3,
      tags: [],
      inner: { on: 1 },
    });
    const parsed = schema.parse({ name: 'x', kind: 'b', tags: ['t'], inner: { on: 0 } });
    expect(parsed).toEqual({ name: 'x', count: 3, kind: 'b', tags: ['t'], inner: { on: 0 } });
    expect('kind' in schema.parse({ name: 'x' })).toBe(false);
  });

  it('gives fresh default arrays each time', () => {
    const a = schema.parse({ name: 'x' });
    a.tags.push('changed');
    expect(schema.parse({ name: 'x' }).tags).toEqual([]);
  });

  it('reports every issue with its path', () => {
    const result = schema.safeParse({ count: 11, kind: 'c', tags: ['ok', 5], inner: { on: 'yes' } });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((i) => i.path.join('.'))).toEqual([
      'name',
      'count',
      'kind',
      'tags.1',
      'inner.on',
    ]);
    expect(result.error.issues[1]?.message).toBe('must be at most 10');
    expect(() => schema.parse(null)).toThrow('expected object, received null');
  });
});

describe('settings file', () => {
  async function home(content: string | undefined): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kyso-settings-'));
    if (content !== undefined) await writeFile(path.join(dir, 'settings.json'), content);
    return dir;
  }

  it('has the defaults without a file, and with an empty object', async () => {
    const none = await loadSettings(await home(undefined));
    expect(none).toEqual(SettingsSchema.parse({}));
    expect(await loadSettings(await home('{}'))).toEqual(none);
    expect(none.pkcs11).toEqual({ modules: [], searchCatalogue: true });
    expect(none.tsa).toEqual({ timeoutMs: 60_000, retries: 2 });
  });

  it('reads what IT staff set, and ignores members it does not know', async () => {
    const settings = await loadSettings(
      await home(
        JSON.stringify({
          pkcs11: { modules: ['/opt/vnpt/libvnpt.so'], searchCatalogue: false },
          network: { proxy: 'http://user:pw@proxy.so-tttt.gov.vn:3128' },
          tsa: { url: 'https://tsa.ca.gov.vn', policyOid: '1.2.3.4' },
          appearance: { personal: { showTitle: false } },
        }),
      ),
    );
    expect(settings.pkcs11).toEqual({ modules: ['/opt/vnpt/libvnpt.so'], searchCatalogue: false });
    expect(settings.network.proxy).toBe('http://user:pw@proxy.so-tttt.gov.vn:3128');
    expect(settings.tsa).toEqual({
      url: 'https://tsa.ca.gov.vn',
      policyOid: '1.2.3.4',
      timeoutMs: 60_000,
      retries: 2,
    });
    expect('appearance' in settings).toBe(false);
  });

  it('refuses a wrong value with SETTINGS_INVALID naming the file and every bad member', async () => {
    const dir = await home(
      JSON.stringify({
        network: { proxy: 'socks5://x:1' },
        revocation: { mode: 'sometimes', timeoutMs: 0 },
        tsa: { policyOid: 'abc' },
        intermediates: [''],
      }),
    );
    const error = await loadSettings(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'SETTINGS_INVALID' });
    const reason = String((error as { details: { reason: string } }).details.reason);
    expect(reason).toContain(path.join(dir, 'settings.json'));
    for (const member of [
      'intermediates.0',
      'network.proxy',
      'tsa.policyOid',
      'revocation.mode',
      'revocation.timeoutMs',
    ]) {
      expect(reason).toContain(member);
    }
  });

  it('refuses a file that is not JSON', async () => {
    await expect(loadSettings(await home('{ pkcs11: '))).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
  });
});
