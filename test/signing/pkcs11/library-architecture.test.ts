// A token library of the wrong architecture is named as such, with the Kyso build to install, by the
// engine, `kyso tokens`, `kyso doctor` and the app's tokens.list. The libraries are small synthetic
// headers written here (PE, ELF, Mach-O): only their first bytes are read before any load.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLibraryHeader } from '../../../src/signing/pkcs11/library-architecture.js';
import { probeModule } from '../../../src/signing/pkcs11/module-probe.js';
import { Pkcs11Module } from '../../../src/signing/pkcs11/pkcs11-module.js';
import { messageFor } from '../../../src/shared/messages.js';
import type { KysoError } from '../../../src/shared/errors.js';
import { tokenHandlers } from '../../../src/main/services/tokens-service.js';
import { runKyso } from '../../support/run-cli.js';

let dir: string;

/** A PE image: "MZ", e_lfanew at 0x3c, then "PE\0\0" and the COFF Machine field. */
function peFile(name: string, machine: number): string {
  const b = Buffer.alloc(0x200);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(machine, 0x84);
  const file = path.join(dir, name);
  writeFileSync(file, b);
  return file;
}

/** An ELF header: magic, class, data (little-endian), e_machine at offset 18. */
function elfFile(name: string, machine: number, bits: 32 | 64): string {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = bits === 64 ? 2 : 1;
  b[5] = 1;
  b[6] = 1;
  b.writeUInt16LE(3, 16); // ET_DYN
  b.writeUInt16LE(machine, 18);
  const file = path.join(dir, name);
  writeFileSync(file, b);
  return file;
}

/** A thin Mach-O header: magic, then cputype. */
function machoFile(name: string, cpu: number, bits: 32 | 64): string {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(bits === 64 ? 0xfeedfacf : 0xfeedface, 0);
  b.writeUInt32LE(cpu, 4);
  const file = path.join(dir, name);
  writeFileSync(file, b);
  return file;
}

let dll32: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-arch-'));
  dll32 = peFile('vnpt-ca-32.dll', 0x14c);
});

describe('reading a library header', () => {
  it('tells PE, ELF and Mach-O architectures apart', async () => {
    expect(await readLibraryHeader(dll32)).toEqual({ format: 'pe', arch: 'ia32' });
    expect(await readLibraryHeader(peFile('x64.dll', 0x8664))).toEqual({ format: 'pe', arch: 'x64' });
    expect(await readLibraryHeader(peFile('arm64.dll', 0xaa64))).toEqual({ format: 'pe', arch: 'arm64' });
    expect(await readLibraryHeader(elfFile('i386.so', 3, 32))).toEqual({ format: 'elf', arch: 'ia32' });
    expect(await readLibraryHeader(elfFile('amd64.so', 62, 64))).toEqual({ format: 'elf', arch: 'x64' });
    expect(await readLibraryHeader(elfFile('aarch64.so', 183, 64))).toEqual({ format: 'elf', arch: 'arm64' });
    expect(await readLibraryHeader(machoFile('i386.dylib', 7, 32))).toEqual({
      format: 'mach-o',
      arch: 'ia32',
    });
    expect(await readLibraryHeader(machoFile('x64.dylib', 0x01000007, 64))).toEqual({
      format: 'mach-o',
      arch: 'x64',
    });
    expect(await readLibraryHeader(machoFile('arm64.dylib', 0x0100000c, 64))).toEqual({
      format: 'mach-o',
      arch: 'arm64',
    });
    expect(await readLibraryHeader(peFile('odd.dll', 0x1234))).toEqual({ format: 'pe', arch: 'unknown' });
  });
});

describe('a 32-bit token DLL in a 64-bit Kyso', () => {
  it.skipIf(process.arch === 'ia32')('is refused before any load, naming the ia32 build', async () => {
    const probe = await probeModule(dll32, { useCache: false });
    expect(probe).toMatchObject({ outcome: 'wrong-architecture', format: 'pe', arch: 'ia32' });
    const err = (await Pkcs11Module.open(dll32).catch((e: unknown) => e)) as KysoError;
    expect(err).toMatchObject({
      code: 'PKCS11_MODULE_NOT_LOADABLE',
      details: { reason: 'wrong-architecture', arch: 'ia32', processArch: process.arch },
    });
    const vi = messageFor(err.code, err.details, 'vi');
    expect(vi).toContain('32-bit (ia32)');
    expect(vi).toContain('Hãy cài bản Kyso 32-bit cho Windows');
    expect(vi).toContain('win-ia32.exe');
    expect(messageFor(err.code, err.details, 'en')).toContain('Install the 32-bit Kyso build for Windows');
  });

  it.skipIf(process.arch === 'ia32')('kyso tokens says which build to install, in Vietnamese', async () => {
    const r = await runKyso(['tokens', '--module', dll32], { env: { KYSO_LANG: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('là bản 32-bit (ia32)');
    expect(r.stdout).toContain('Hãy cài bản Kyso 32-bit cho Windows (bộ cài Kyso-…-win-ia32.exe)');
    expect(r.stdout).toContain('[PKCS11_MODULE_NOT_LOADABLE]');
    const json = await runKyso(['tokens', '--module', dll32, '--json']);
    expect(JSON.parse(json.stdout).modules[0]).toMatchObject({
      loaded: false,
      error: { code: 'PKCS11_MODULE_NOT_LOADABLE', reason: 'wrong-architecture', arch: 'ia32' },
    });
  });

  it.skipIf(process.arch === 'ia32')('kyso doctor warns about it, in text and JSON', async () => {
    const out = path.join(dir, 'doctor.txt');
    const r = await runKyso(['doctor', '--module', dll32, '--out', out], { env: { KYSO_LANG: '' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[module-wrong-architecture\] Thư viện token .*vnpt-ca-32\.dll là bản 32-bit/);
    expect(r.stdout).toContain('win-ia32.exe');
    const json = await runKyso(['doctor', '--module', dll32, '--json', '--out', path.join(dir, 'd.json')]);
    const report = JSON.parse(json.stdout) as { warnings: Array<Record<string, unknown>> };
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        kind: 'module-wrong-architecture',
        path: dll32,
        arch: 'ia32',
        processArch: process.arch,
      }),
    );
  });

  it.skipIf(process.arch === 'ia32')('the app tokens.list gives the reason in the app language', async () => {
    const before = process.env['KYSO_PKCS11_MODULE'];
    process.env['KYSO_PKCS11_MODULE'] = dll32;
    try {
      const ctx = { signal: new AbortController().signal, progress: () => undefined };
      const handler = tokenHandlers()['tokens.list'];
      const vi = await handler({}, { ...ctx, language: 'vi' });
      const m = vi.modules.find((x) => x.path === dll32);
      expect(m?.error).toMatchObject({ reason: 'wrong-architecture', arch: 'ia32' });
      expect(m?.error?.message).toContain('Hãy cài bản Kyso 32-bit cho Windows');
      const en = await handler({}, { ...ctx, language: 'en' });
      expect(en.modules.find((x) => x.path === dll32)?.error?.message).toContain(
        'Install the 32-bit Kyso build',
      );
    } finally {
      if (before === undefined) delete process.env['KYSO_PKCS11_MODULE'];
      else process.env['KYSO_PKCS11_MODULE'] = before;
    }
  });
});
