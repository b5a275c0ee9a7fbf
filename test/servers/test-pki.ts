// The test PKI of fixtures/pki/make-pki.sh, generated into a temp dir, with helpers to read it.
import { execFile } from 'node:child_process';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAKE_PKI = fileURLToPath(new URL('../../fixtures/pki/make-pki.sh', import.meta.url));

export const P12_PASSWORD = 'kyso-p12';

export type IdentityId = 'chairman-rsa2048' | 'deputy-p256' | 'agency-rsa3072' | 'clerk-p384';

export interface TestIdentity {
  readonly key: KeyObject;
  readonly certificate: Uint8Array;
  /** The intermediate CA, then the root. */
  readonly chain: readonly Uint8Array[];
  readonly p12: string;
}

export interface TestPki {
  readonly dir: string;
  file(name: string): string;
  readonly rootPem: string;
  readonly root: Uint8Array;
  readonly intermediate: Uint8Array;
  readonly tsaCertificate: Uint8Array;
  identity(id: IdentityId): Promise<TestIdentity>;
  cleanup(): Promise<void>;
}

/**
 * The PKI of the test run (built once by test/global-setup.ts into $KYSO_TEST_FIXTURES/pki; only
 * read here), or, outside a full run, a fresh one from make-pki.sh in a temp dir of its own.
 */
export async function makeTestPki(): Promise<TestPki> {
  const shared = process.env['KYSO_TEST_FIXTURES'];
  let dir: string;
  let owned = false;
  if (shared !== undefined && existsSync(path.join(shared, 'pki', 'pki.json'))) {
    dir = path.join(shared, 'pki');
  } else {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kyso-pki-'));
    owned = true;
    const out = dir;
    await new Promise<void>((resolve, reject) => {
      execFile('bash', [MAKE_PKI, out], { timeout: 120_000 }, (error, _stdout, stderr) => {
        if (error) reject(new Error(`make-pki.sh failed: ${stderr || error.message}`));
        else resolve();
      });
    });
  }
  const file = (name: string): string => path.join(dir, name);
  const der = async (name: string): Promise<Uint8Array> => new Uint8Array(await readFile(file(name)));
  const root = await der('root-ca.der');
  const intermediate = await der('intermediate-ca.der');
  return {
    dir,
    file,
    rootPem: file('root-ca.pem'),
    root,
    intermediate,
    tsaCertificate: await der('tsa.cert.der'),
    async identity(id) {
      return {
        key: createPrivateKey(await readFile(file(`${id}.key.pem`))),
        certificate: await der(`${id}.cert.der`),
        chain: [intermediate, root],
        p12: file(`${id}.p12`),
      };
    },
    cleanup: async () => {
      if (owned) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `openssl cms -verify` of a detached CMS over `content`, chained to `caFile`, as an independent
 * check of what Kyso signed. Resolves with openssl's exit code and output.
 */
export async function opensslCmsVerify(
  cms: Uint8Array,
  content: Uint8Array,
  caFile: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kyso-cms-'));
  try {
    await writeFile(path.join(dir, 'sig.der'), cms);
    await writeFile(path.join(dir, 'content.bin'), content);
    return await runTool('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      path.join(dir, 'sig.der'),
      '-content',
      path.join(dir, 'content.bin'),
      '-CAfile',
      caFile,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a command; resolves with its exit code and output instead of throwing. */
export function runTool(
  command: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
