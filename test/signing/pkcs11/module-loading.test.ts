// Libraries that are missing, not PKCS#11, of the wrong architecture, or that crash while loading are
// reported with a specific code, and cannot take the process down (the probe runs in a child).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeModule } from '../../../src/signing/pkcs11/module-probe.js';
import { Pkcs11Module } from '../../../src/signing/pkcs11/pkcs11-module.js';
import { resolveModuleRequests, TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { catalogueCandidates } from '../../../src/signing/pkcs11/module-catalogue.js';
import { freshTokens, SOFTHSM_MODULE } from '../../support/fixtures.js';

let dir: string;
let crashing: string;
let hanging: string;

beforeAll(() => {
  freshTokens();
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-libs-'));
  // A "token library" whose C_GetFunctionList dereferences NULL, like a broken vendor driver.
  writeFileSync(
    path.join(dir, 'crash.c'),
    'typedef unsigned long CK_RV; CK_RV C_GetFunctionList(void **pp) { volatile int *p = 0; *p = 1; return 0; }\n',
  );
  crashing = path.join(dir, 'libcrash.so');
  execFileSync('cc', ['-shared', '-fPIC', '-o', crashing, path.join(dir, 'crash.c')]);
  writeFileSync(
    path.join(dir, 'hang.c'),
    '#include <unistd.h>\ntypedef unsigned long CK_RV; CK_RV C_GetFunctionList(void **pp) { for (;;) sleep(1); return 0; }\n',
  );
  hanging = path.join(dir, 'libhang.so');
  execFileSync('cc', ['-shared', '-fPIC', '-o', hanging, path.join(dir, 'hang.c')]);
});

describe('loading PKCS#11 libraries', () => {
  it('loads SoftHSM after probing it', async () => {
    const probe = await probeModule(SOFTHSM_MODULE);
    expect(probe).toMatchObject({
      outcome: 'ok',
      manufacturer: 'SoftHSM',
      format: 'elf',
      arch: process.arch,
    });
    expect(probe.tokenCount).toBeGreaterThanOrEqual(4);
    const m = await Pkcs11Module.open(SOFTHSM_MODULE);
    expect(m.manufacturer).toBe('SoftHSM');
    m.close();
  });

  it('remembers a library that passed the probe until its file changes', async () => {
    const cacheFile = path.join(process.env['KYSO_HOME']!, 'cache', 'pkcs11-probe.json');
    await probeModule(SOFTHSM_MODULE);
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<
      string,
      { outcome: string; path: string }
    >;
    const entries = Object.entries(cache).filter(([, v]) => v.path === SOFTHSM_MODULE);
    expect(entries).toHaveLength(1);
    expect(entries[0]![0]).toContain(`|${process.arch}|`);
    expect(entries[0]![1].outcome).toBe('ok');
    // Failures are never cached: a crashing library is probed again every time.
    await probeModule(crashing);
    expect(
      Object.values(JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, { path: string }>).some(
        (v) => v.path === crashing,
      ),
    ).toBe(false);
  });

  it('a library that crashes on load is reported as crashed, and this process lives on', async () => {
    const probe = await probeModule(crashing);
    expect(probe.outcome).toBe('crashed');
    expect(probe.detail).toMatch(/SIGSEGV/);
    await expect(Pkcs11Module.open(crashing)).rejects.toMatchObject({ code: 'PKCS11_MODULE_CRASHED' });
  });

  it('a library that hangs is killed after the timeout', async () => {
    const probe = await probeModule(hanging, { timeoutMs: 1500, useCache: false });
    expect(probe.outcome).toBe('timeout');
  });

  it('a shared object that is not PKCS#11 is refused as not loadable', async () => {
    const libz = [
      '/lib/x86_64-linux-gnu/libz.so.1',
      '/usr/lib/x86_64-linux-gnu/libz.so.1',
      '/lib/aarch64-linux-gnu/libz.so.1',
    ].find((p) => {
      try {
        readFileSync(p);
        return true;
      } catch {
        return false;
      }
    });
    expect(libz).toBeDefined();
    await expect(Pkcs11Module.open(libz!)).rejects.toMatchObject({
      code: 'PKCS11_MODULE_NOT_LOADABLE',
      details: { reason: 'not-pkcs11' },
    });
    const text = path.join(dir, 'notes.so');
    writeFileSync(text, 'not a library at all');
    await expect(Pkcs11Module.open(text)).rejects.toMatchObject({ code: 'PKCS11_MODULE_NOT_LOADABLE' });
  });

  it('a library of another architecture is named as such before any load is tried', async () => {
    const other = path.join(dir, 'lib32.so');
    copyFileSync(SOFTHSM_MODULE, other);
    const bytes = readFileSync(other);
    bytes.writeUInt16LE(process.arch === 'x64' ? 3 : 62, 18); // e_machine: i386 (or x86-64 on other hosts)
    writeFileSync(other, bytes);
    const err = await Pkcs11Module.open(other).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'PKCS11_MODULE_NOT_LOADABLE',
      details: { reason: 'wrong-architecture' },
    });
  });

  it('a path that does not exist is PKCS11_MODULE_NOT_FOUND', async () => {
    await expect(Pkcs11Module.open(path.join(dir, 'missing.so'))).rejects.toMatchObject({
      code: 'PKCS11_MODULE_NOT_FOUND',
    });
  });

  it('one bad library among several does not stop the good ones', async () => {
    const manager = await TokenManager.open([
      { path: crashing, origin: 'option' },
      { path: SOFTHSM_MODULE, origin: 'option' },
    ]);
    try {
      expect(manager.modules).toHaveLength(1);
      expect(manager.failures.map((f) => f.error.code)).toEqual(['PKCS11_MODULE_CRASHED']);
      expect(manager.tokens().length).toBeGreaterThanOrEqual(4);
    } finally {
      manager.close();
    }
  });
});

describe('where libraries come from', () => {
  it('--module wins; otherwise KYSO_PKCS11_MODULE, settings, then the catalogue', () => {
    expect(
      resolveModuleRequests({
        explicit: ['/a/x.so'],
        env: { KYSO_PKCS11_MODULE: '/b/y.so' },
        settings: ['/c/z.so'],
      }),
    ).toEqual([{ path: '/a/x.so', origin: 'option' }]);
    const r = resolveModuleRequests({
      env: { KYSO_PKCS11_MODULE: `/b/y.so${path.delimiter}/b/w.so` },
      settings: ['/c/z.so', '/b/y.so'],
      catalogue: false,
    });
    expect(r).toEqual([
      { path: '/b/y.so', origin: 'env' },
      { path: '/b/w.so', origin: 'env' },
      { path: '/c/z.so', origin: 'settings' },
    ]);
  });

  it('the catalogue lists the Vietnamese CA libraries per OS', () => {
    const win = catalogueCandidates('win32', { SystemRoot: 'C:\\Windows' }).map((c) => c.path);
    expect(win).toContain('C:\\Windows\\System32\\vnpt-ca_csp11.dll');
    expect(win).toContain('C:\\Windows\\SysWOW64\\viettel-ca_v5.dll');
    expect(catalogueCandidates('linux', {}).map((c) => c.path)).toContain('/usr/lib/libcastle.so.1.0.0');
    expect(catalogueCandidates('darwin', {}).some((c) => c.path.endsWith('libeTPkcs11.dylib'))).toBe(true);
  });
});
