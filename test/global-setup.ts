// Builds the test PKI and the SoftHSM token template once per test run, from the committed scripts,
// into a temporary folder that every test file (and every CLI it spawns) finds via KYSO_TEST_FIXTURES.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = path.resolve(import.meta.dirname, '..');
  const missing = execFileSync(
    'bash',
    [
      '-c',
      'for c in softhsm2-util pkcs11-tool openssl pdfsig qpdf; do command -v $c >/dev/null || echo $c; done; test -e /usr/lib/softhsm/libsofthsm2.so || echo libsofthsm2.so',
    ],
    { encoding: 'utf8' },
  ).trim();
  if (missing) {
    // Never skip the token tests silently: say what is missing and stop.
    throw new Error(
      `The tests need these, which are missing: ${missing.split('\n').join(', ')}. Run: bash scripts/install-system-deps.sh`,
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-test-fixtures-'));
  execFileSync('bash', [path.join(root, 'fixtures/pki/make-all.sh'), dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env['KYSO_TEST_FIXTURES'] = dir;
  // Tests that do not choose a data folder of their own must not touch the user's real one.
  process.env['KYSO_HOME'] = path.join(dir, 'home');
  // Nor read this machine's policy (/etc/kyso/policy.json): a file that is never written, so no
  // policy applies unless a test writes its own and points KYSO_POLICY at it.
  process.env['KYSO_POLICY'] = path.join(dir, 'no-policy', 'policy.json');
  return () => {
    if (!process.env['KYSO_KEEP_FIXTURES']) rmSync(dir, { recursive: true, force: true });
  };
}
