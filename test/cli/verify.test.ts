// `kyso verify` as a clerk runs it: exit codes (0 valid, 1 not valid, 2 bad input with one line and
// no stack trace), the Vietnamese and English text, the JSON shape, the HTML report and
// --extract-revision.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkiFile } from '../support/fixtures.js';
import { runKyso, type CliResult } from '../support/run-cli.js';
import { shadowReadyPdf, signAs } from '../signing/verify/sample-documents.js';

let dir = '';
let home = '';
let signed = '';
let twice = '';
const env = (): NodeJS.ProcessEnv => ({ KYSO_HOME: home, KYSO_LANG: '' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-verify-'));
  home = path.join(dir, 'home');
  mkdirSync(home);
  const base = path.join(dir, 'base.pdf');
  writeFileSync(base, shadowReadyPdf());
  signed = path.join(dir, 'signed.pdf');
  twice = path.join(dir, 'twice.pdf');
  await signAs('chairman-rsa2048', base, signed);
  await signAs('clerk-p384', signed, twice);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const verify = (args: string[]): Promise<CliResult> => runKyso(['verify', ...args], { env: env() });
const TRUST = (): string[] => ['--trust', pkiFile('root-ca.pem')];

function oneLine(r: CliResult): void {
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

describe('kyso verify', () => {
  it('exits 0 for a valid document and says so in Vietnamese', async () => {
    const r = await verify([twice, ...TRUST()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Kết luận: HỢP LỆ');
    expect(r.stdout).toContain('Chữ ký 1 — ô Signature1: HỢP LỆ');
    expect(r.stdout).toContain('Người ký: Nguyễn Thị Hồng Nhung');
    expect(r.stdout).toContain('[được phép] Phiên bản 3: thêm chữ ký vào ô Signature2.');
    expect(r.stdout).toContain('CẢNH BÁO: không kiểm tra được tình trạng thu hồi');
  });

  it('speaks English with --lang en', async () => {
    const r = await verify([signed, ...TRUST(), '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Verdict: VALID');
    expect(r.stdout).toContain('WARNING: the revocation status');
  });

  it('exits 1 when the root is not trusted', async () => {
    const r = await verify([signed, '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INDETERMINATE');
    expect(r.stdout).toContain('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('uses the managed trust store of KYSO_HOME', async () => {
    const managed = path.join(home, 'trust');
    mkdirSync(managed, { recursive: true });
    writeFileSync(path.join(managed, 'root.der'), readFileSync(pkiFile('root-ca.der')));
    try {
      expect((await verify([signed])).code).toBe(0);
      expect((await verify([signed, '--no-trust-store'])).code).toBe(1);
    } finally {
      rmSync(managed, { recursive: true, force: true });
    }
  });

  it('--json prints the documented shape', async () => {
    const r = await verify([twice, ...TRUST(), '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual([
      'file',
      'revisions',
      'signatures',
      'status',
      'validationTime',
      'warnings',
    ]);
    expect(report['status']).toBe('valid');
    const sigs = report['signatures'] as Array<Record<string, unknown>>;
    expect(sigs).toHaveLength(2);
    expect(Object.keys(sigs[0]!).sort()).toEqual(
      [
        'checks',
        'changesAfter',
        'coverage',
        'digestAlgorithm',
        'evidence',
        'field',
        'index',
        'issuer',
        'level',
        'ltv',
        'reason',
        'serial',
        'signatureAlgorithm',
        'signer',
        'signingTime',
        'signingTimeSource',
        'status',
        'subFilter',
        'trustAnchor',
        'type',
      ].sort(),
    );
    expect(sigs[0]!['coverage']).toEqual({
      wholeDocument: false,
      revision: 2,
      revisions: 3,
      signedBytes: expect.any(Number),
    });
    expect((sigs[0]!['checks'] as Array<{ id: string }>).map((c) => c.id)).toEqual([
      'byte-range',
      'integrity',
      'signature',
      'signing-certificate',
      'certificate-chain',
      'certificate-validity',
      'key-usage',
      'revocation',
      'timestamp',
      'algorithms',
      'modifications',
    ]);
  });

  it('--report writes a printable HTML page, with what the document says escaped', async () => {
    const html = path.join(dir, 'report.html');
    const r = await verify([twice, ...TRUST(), '--report', html]);
    expect(r.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('<html lang="vi">');
    expect(page).toContain('Kết quả kiểm tra chữ ký số');
    expect(page).toContain('Nguyễn Thị Hồng Nhung');
    expect(page).not.toMatch(/<script/i);
    // Kyso does not overwrite: a second run without --overwrite refuses.
    const again = await verify([twice, ...TRUST(), '--report', html]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('OUTPUT_EXISTS');
  });

  it('--extract-revision N writes the document as signature N signed it', async () => {
    const out = path.join(dir, 'first-revision.pdf');
    const r = await verify([twice, ...TRUST(), '--extract-revision', '1', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).equals(readFileSync(signed))).toBe(true);
    const check = await verify([out, ...TRUST(), '--json']);
    const report = JSON.parse(check.stdout) as {
      signatures: Array<{ coverage: { wholeDocument: boolean } }>;
    };
    expect(report.signatures.map((s) => s.coverage.wholeDocument)).toEqual([true]);
    const bad = await verify([twice, ...TRUST(), '--extract-revision', '7', path.join(dir, 'x.pdf')]);
    expect(bad.code).toBe(2);
    oneLine({ ...bad, stdout: '' });
  });

  it('exits 1 for an unsigned document', async () => {
    const plain = path.join(dir, 'plain.pdf');
    writeFileSync(plain, shadowReadyPdf());
    const r = await verify([plain, ...TRUST()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('KHÔNG CÓ CHỮ KÝ');
  });
});

describe('junk input: exit 2 and one clear line', () => {
  it('not a PDF', async () => {
    const f = path.join(dir, 'letter.pdf');
    writeFileSync(f, 'Kính gửi: UBND phường\n');
    const r = await verify([f]);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain('[PDF_NOT_PDF]');
  });

  it('a truncated download', async () => {
    const f = path.join(dir, 'truncated.pdf');
    const bytes = readFileSync(signed);
    // Cut before the first %%EOF: no complete revision at all.
    writeFileSync(f, bytes.subarray(0, bytes.indexOf('startxref') - 10));
    const r = await verify([f]);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain('[PDF_TRUNCATED]');
  });

  it('a download cut inside the signature update: the complete part is read, the rest is named', async () => {
    const f = path.join(dir, 'cut-update.pdf');
    const bytes = readFileSync(signed);
    writeFileSync(f, bytes.subarray(0, bytes.length - 100));
    const r = await verify([f, ...TRUST(), '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT SIGNED');
    expect(r.stdout).toMatch(/bytes after the last complete revision/);
  });

  it('an encrypted document: refused, saying why', async () => {
    const f = path.join(dir, 'encrypted.pdf');
    execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', signed, f]);
    const r = await verify([f, '--lang', 'en']);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain('encrypted');
    expect(r.stderr).toContain('cannot verify');
  });

  it('a missing file, a bad option, a bad --at', async () => {
    for (const args of [
      [path.join(dir, 'nope.pdf')],
      [signed, '--frobnicate'],
      [signed, '--at', 'yesterday'],
      [],
    ]) {
      const r = await verify(args);
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r);
    }
    expect(existsSync(path.join(dir, 'nope.pdf'))).toBe(false);
  });
});
