// `kyso trust` as IT staff use it: a root added through `kyso trust add` (after the confirmation
// question) makes a document signed under it valid with no --trust, and the report says the
// managed store anchored the chain; `disable` and `remove` make it indeterminate again; built-in
// entries can be switched off but not removed.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkiFile } from '../support/fixtures.js';
import { runKyso, type CliResult } from '../support/run-cli.js';
import { shadowReadyPdf, signAs } from '../signing/verify/sample-documents.js';

let dir = '';
let home = '';
let signed = '';
let rootFp = '';
const env = (): NodeJS.ProcessEnv => ({ KYSO_HOME: home, KYSO_LANG: '' });
const kyso = (args: string[], input?: string): Promise<CliResult> =>
  runKyso(args, { env: env(), ...(input !== undefined ? { input } : {}) });

interface ListEntry {
  fingerprint: string;
  origin: 'builtin' | 'managed';
  enabled: boolean;
  anchor: boolean;
  subject: string;
  notBefore: string;
  notAfter: string;
  name: string | null;
}

async function list(): Promise<ListEntry[]> {
  const r = await kyso(['trust', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ListEntry[];
}

async function verdict(extra: string[] = []): Promise<{ code: number; report: Record<string, unknown> }> {
  const r = await kyso(['verify', signed, '--json', '--lang', 'en', ...extra]);
  return { code: r.code, report: JSON.parse(r.stdout) as Record<string, unknown> };
}

const firstSignature = (report: Record<string, unknown>): Record<string, unknown> =>
  (report['signatures'] as Array<Record<string, unknown>>)[0]!;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-trust-'));
  home = path.join(dir, 'home');
  mkdirSync(home);
  const base = path.join(dir, 'base.pdf');
  writeFileSync(base, shadowReadyPdf());
  signed = path.join(dir, 'signed.pdf');
  await signAs('chairman-rsa2048', base, signed);
  rootFp = new X509Certificate(readFileSync(pkiFile('root-ca.der'))).fingerprint256
    .replace(/:/g, '')
    .toLowerCase();
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('kyso trust', () => {
  it('a test root added through kyso trust add makes the document valid; disable and remove undo it', async () => {
    // Before: the built-in list does not hold the test root.
    let v = await verdict();
    expect(v.code).toBe(1);
    expect(v.report['status']).toBe('indeterminate');
    expect(firstSignature(v.report)['trustAnchor']).toBeUndefined();

    // Declined: shows what it would add, adds nothing.
    const no = await kyso(['trust', 'add', pkiFile('root-ca.pem'), '--lang', 'en'], 'n\n');
    expect(no.code).toBe(1);
    expect(no.stdout).toContain(`SHA-256:   ${rootFp}`);
    expect(no.stdout).toMatch(/Subject: {3}.*Kyso Test Root/i);
    expect(no.stdout).toMatch(/Valid: {5}\d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2}/);
    expect(no.stdout).toContain('root (trust anchor)');
    expect(no.stderr).toContain('[TRUST_ADD_DECLINED]');
    expect((await list()).some((e) => e.origin === 'managed')).toBe(false);

    // Confirmed on standard input (Vietnamese "c").
    const yes = await kyso(['trust', 'add', pkiFile('root-ca.pem')], 'c\n');
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toContain('Đã thêm 1 chứng thư');
    const managed = (await list()).find((e) => e.fingerprint === rootFp);
    expect(managed).toMatchObject({ origin: 'managed', enabled: true, anchor: true });

    v = await verdict();
    expect(v.code).toBe(0);
    expect(v.report['status']).toBe('valid');
    expect(firstSignature(v.report)['trustAnchor']).toMatchObject({ source: 'managed', sha256: rootFp });
    const text = await kyso(['verify', signed]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('gốc trong kho tin cậy do quản trị thêm');

    // Switched off: indeterminate again; back on: valid.
    const off = await kyso(['trust', 'disable', rootFp.slice(0, 16)]);
    expect(off.code, off.stderr).toBe(0);
    expect((await list()).find((e) => e.fingerprint === rootFp)?.enabled).toBe(false);
    v = await verdict();
    expect(v.code).toBe(1);
    expect(v.report['status']).toBe('indeterminate');
    expect((await kyso(['trust', 'enable', rootFp])).code).toBe(0);
    expect((await verdict()).report['status']).toBe('valid');

    // Removed: gone from the list, indeterminate again.
    const rm = await kyso(['trust', 'remove', rootFp]);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await list()).some((e) => e.fingerprint === rootFp)).toBe(false);
    v = await verdict();
    expect(v.code).toBe(1);
    expect(v.report['status']).toBe('indeterminate');
  });

  it('--yes adds without asking; --trust names a file as the anchor source', async () => {
    const r = await kyso(['trust', 'add', pkiFile('root-ca.der'), '--yes', '--lang', 'en']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('[y/N]');
    expect((await verdict()).report['status']).toBe('valid');
    expect((await kyso(['trust', 'remove', rootFp])).code).toBe(0);
    const v = await verdict(['--trust', pkiFile('root-ca.pem')]);
    expect(v.report['status']).toBe('valid');
    expect(firstSignature(v.report)['trustAnchor']).toMatchObject({
      source: 'file',
      file: pkiFile('root-ca.pem'),
      sha256: rootFp,
    });
  });

  it('built-in entries are listed with their state, can be switched off and on, not removed', async () => {
    const before = await list();
    const builtin = before.filter((e) => e.origin === 'builtin');
    expect(builtin.length).toBeGreaterThanOrEqual(20);
    const g2 = builtin.find((e) => e.fingerprint.startsWith('f04ba4b459a7c9a1'))!;
    expect(g2).toMatchObject({ anchor: true, enabled: true, name: 'RootCA chuyên dùng Chính phủ G2' });
    expect((await kyso(['trust', 'disable', 'f04ba4b459a7c9a1'])).code).toBe(0);
    expect((await list()).find((e) => e.fingerprint === g2.fingerprint)?.enabled).toBe(false);
    const text = await kyso(['trust', 'list', '--lang', 'en']);
    expect(text.stdout).toContain(`[OFF] ${g2.fingerprint}`);
    expect(text.stdout).toContain('ca.gov.vn, rootca.gov.vn');
    const rm = await kyso(['trust', 'remove', g2.fingerprint]);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toContain('[TRUST_BUILTIN_NOT_REMOVABLE]');
    expect((await list()).some((e) => e.fingerprint === g2.fingerprint)).toBe(true);
    expect((await kyso(['trust', 'enable', g2.fingerprint])).code).toBe(0);
    expect((await list()).find((e) => e.fingerprint === g2.fingerprint)?.enabled).toBe(true);
  });

  it('--no-builtin-trust leaves no root at all when the managed store is empty', async () => {
    const r = await kyso(['verify', signed, '--json', '--lang', 'en', '--no-builtin-trust']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { warnings: string[] };
    expect(report.warnings.join(' ')).toContain('No trusted root is configured');
    const withBuiltin = JSON.parse((await kyso(['verify', signed, '--json', '--lang', 'en'])).stdout) as {
      warnings: string[];
    };
    expect(withBuiltin.warnings.join(' ')).not.toContain('No trusted root is configured');
  });

  it('bad input: an unknown fingerprint, a short one, an unknown action', async () => {
    const unknown = await kyso(['trust', 'disable', '00000000deadbeef']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('[TRUST_CERT_NOT_FOUND]');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    expect((await kyso(['trust', 'remove', 'abc'])).code).toBe(2);
    expect((await kyso(['trust', 'frobnicate'])).code).toBe(2);
    const notCert = path.join(dir, 'not-a-cert.pem');
    writeFileSync(notCert, 'hello');
    const bad = await kyso(['trust', 'add', notCert, '--yes']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[CERT_INVALID]');
  });
});
