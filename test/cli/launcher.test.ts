// bin/kyso.js: each command runs from its own bundle with V8's code cache, the cache is written only
// after a successful run, and a damaged or foreign cache is never trusted: the command still runs
// and the cache is made again. Runs on a copy of bin/ and dist/ so the real caches stay untouched.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/cli/main.js';

const root = path.resolve(import.meta.dirname, '../..');
let copy: string;

beforeAll(() => {
  // Inside the project, so that the externals (pkcs11js) resolve from its node_modules.
  mkdirSync(path.join(root, '.tmp'), { recursive: true });
  copy = mkdtempSync(path.join(root, '.tmp', 'launcher-'));
  cpSync(path.join(root, 'bin'), path.join(copy, 'bin'), { recursive: true });
  cpSync(path.join(root, 'dist'), path.join(copy, 'dist'), {
    recursive: true,
    filter: (src) => !src.endsWith('.cache'),
  });
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

function kyso(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(copy, 'bin', 'kyso.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, KYSO_LANG: 'en' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const caches = (): string[] => readdirSync(path.join(copy, 'dist')).filter((f) => f.endsWith('.cache'));

describe('the kyso launcher', () => {
  it('has one bundle per command, and the all-commands bundle', () => {
    const bundles = readdirSync(path.join(copy, 'dist')).filter((f) => f.endsWith('.cjs'));
    // Every command of the launcher's list, whoever added it.
    const commands = [...COMMAND_NAMES];
    expect(bundles.sort()).toEqual(['kyso.cjs', ...commands.map((c) => `kyso-${c}.cjs`)].sort());
  });

  it('writes no cache after a failed run, one after a successful run', () => {
    const failed = kyso('verify', path.join(copy, 'missing.pdf'));
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('[INPUT_NOT_FOUND]');
    expect(caches()).toEqual([]);

    const ok = kyso('--version');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^kyso \d+\.\d+\.\d+\n$/);
    expect(caches()).toEqual([expect.stringMatching(/^kyso\.cjs\.\d+-\d+\.cache$/)]);
    // The second run uses it and leaves it as it is.
    expect(kyso('--version').stdout).toBe(ok.stdout);
    expect(caches()).toHaveLength(1);
  });

  it('runs with a damaged cache and replaces it', () => {
    const [cache] = caches();
    if (cache === undefined) throw new Error('no cache from the previous test');
    writeFileSync(path.join(copy, 'dist', cache), Buffer.from('not a V8 code cache'));
    const r = kyso('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kyso sign IN.pdf -o OUT.pdf');
    const rewritten = readFileSync(path.join(copy, 'dist', cache));
    expect(rewritten.length).toBeGreaterThan(1000);
    expect(rewritten.toString('latin1')).not.toContain('not a V8 code cache');
  });
});
