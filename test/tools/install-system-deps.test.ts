// scripts/install-system-deps.sh: silent when everything the tests use is there, and, when it cannot
// install (here: no apt-get and no tools on PATH), a failure that lists each missing command or file
// and the packages that provide them.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../signing/pdf/corpus.js';

const script = path.join(projectRoot, 'scripts/install-system-deps.sh');

describe('install-system-deps.sh', () => {
  it('says nothing and succeeds when everything is installed', () => {
    const r = spawnSync('bash', [script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('fails with the list of what is missing when it cannot install', () => {
    // bash itself by its absolute path; PATH then finds neither apt-get nor any tool.
    const bash = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
    const r = spawnSync(bash, [script], {
      encoding: 'utf8',
      env: { PATH: path.join(projectRoot, 'no-such-dir') },
    });
    expect(r.status).toBe(1);
    for (const what of [
      'softhsm2-util',
      'pkcs11-tool',
      'pdfsig',
      'qpdf',
      'certutil',
      'faketime',
      'Liberation Serif',
    ]) {
      expect(r.stderr).toContain(`  ${what}\n`);
    }
    expect(r.stderr).toMatch(
      /install them with: sudo apt-get install softhsm2 opensc poppler-utils qpdf openssl libnss3-tools faketime fontconfig fonts-liberation\b/,
    );
  });
});
