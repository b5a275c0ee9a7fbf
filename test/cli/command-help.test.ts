// `kyso COMMAND --help` (or -h): that command's usage lines, exit 0, without running the command;
// after `--` the word is a file name again.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/cli/main.js';
import { runKyso } from '../support/run-cli.js';

let home = '';
beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'kyso-help-'));
});
afterAll(() => {
  if (home !== '') rmSync(home, { recursive: true, force: true });
});

const kyso = (args: string[]): ReturnType<typeof runKyso> => runKyso(args, { env: { KYSO_HOME: home } });

describe('kyso COMMAND --help', () => {
  it('every command prints its own usage lines and no other command', async () => {
    for (const name of COMMAND_NAMES) {
      const r = await kyso([name, '--help']);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      const entries = r.stdout.split('\n').filter((l) => l.startsWith('  kyso '));
      expect(entries.length, name).toBeGreaterThan(0);
      for (const line of entries) expect(line.startsWith(`  kyso ${name} `), line).toBe(true);
      expect(r.stdout).toContain('Environment:');
    }
  });

  it('-h among the options works too, and runs nothing (no token, no file read)', async () => {
    const r = await kyso(['sign', 'nowhere.pdf', '-o', 'out.pdf', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  kyso sign IN.pdf -o OUT.pdf');
    expect(r.stdout).toContain('--template personal|seal|text|certified-copy');
  });

  it('after -- a word is a file: kyso verify -- --help looks for the file "--help"', async () => {
    const r = await kyso(['verify', '--', '--help']);
    expect(r.code).toBe(2); // bad input
    expect(r.stderr).toContain('[INPUT_NOT_FOUND]');
  });
});
