// Access to the generated test PKI and SoftHSM tokens (fixtures/pki), and per-test copies of the
// tokens so that a test that changes a token (wrong PINs) cannot disturb another.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface PkiIdentity {
  cert: string;
  certDer: string;
  key: string;
  p12: string;
  p12Password: string;
  keyType: 'rsa' | 'ec';
  keyBits: number;
  curve: string | null;
  subjectCN: string;
  subjectDN: string;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  revoked: boolean;
}

export interface TokenObject {
  id: string;
  identity: string;
  hasCert: boolean;
  hasKey: boolean;
}

export interface TestToken {
  label: string;
  pin: string;
  soPin: string;
  serial: string;
  objects: TokenObject[];
}

export function fixturesDir(): string {
  const dir = process.env['KYSO_TEST_FIXTURES'];
  if (!dir)
    throw new Error('KYSO_TEST_FIXTURES is not set: run the tests through vitest (test/global-setup.ts)');
  return dir;
}

export function pkiDir(): string {
  return path.join(fixturesDir(), 'pki');
}

export function pkiFile(name: string): string {
  return path.join(pkiDir(), name);
}

export function pki(): { identities: Record<string, PkiIdentity>; baseUrl: string } {
  return JSON.parse(readFileSync(pkiFile('pki.json'), 'utf8')) as {
    identities: Record<string, PkiIdentity>;
    baseUrl: string;
  };
}

export function identity(id: string): PkiIdentity {
  const found = pki().identities[id];
  if (!found) throw new Error(`no identity ${id} in pki.json`);
  return found;
}

export function testTokens(): TestToken[] {
  const raw = JSON.parse(
    readFileSync(path.join(fixturesDir(), 'tokens-template', 'tokens.json'), 'utf8'),
  ) as {
    tokens: TestToken[];
  };
  return raw.tokens;
}

export function testToken(label: string): TestToken {
  const found = testTokens().find((t) => t.label === label);
  if (!found) throw new Error(`no token ${label}`);
  return found;
}

/**
 * A private copy of the token folder and a softhsm2.conf pointing at it. Sets SOFTHSM2_CONF for this
 * process (SoftHSM reads it once per process, at C_Initialize), and returns it for child processes.
 */
export function freshTokens(): { conf: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-tokens-'));
  cpSync(path.join(fixturesDir(), 'tokens-template', 'tokens'), path.join(dir, 'tokens'), {
    recursive: true,
  });
  const conf = path.join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${path.join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
  );
  process.env['SOFTHSM2_CONF'] = conf;
  return { conf, dir };
}

export const CHAIRMAN_TOKEN = 'Chủ tịch Nhung';
export const CLERK_TOKEN = 'Van thu Doan Ket';
export const FAULTY_TOKEN = 'Kyso Loi';
export const BENCH_TOKEN = 'Kyso Bench';
