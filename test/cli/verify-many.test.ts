// `kyso verify` over a folder in one process: 100 documents of which 3 are broken and 2 tampered
// give 95 valid lines and 5 explained ones, exit 1, and with --json a JSON Lines stream that
// parses line by line; a broken file is reported in its line and the run goes on. Also: files on
// the command line, --recursive, a report folder, usage errors.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openP12 } from '../../src/signing/identity/index.js';
import { signPdf } from '../../src/signing/sign/sign-pdf.js';
import { pkiFile } from '../support/fixtures.js';
import { KYSO_BIN, runKyso, type CliResult } from '../support/run-cli.js';
import { flipByte, shadowReadyPdf } from '../signing/verify/sample-documents.js';
import { buildXrefTricks } from '../signing/verify/xref-trick-samples.js';

let dir = '';
let home = '';
let folder = '';
const BROKEN = ['broken-empty.pdf', 'broken-not-a-pdf.pdf', 'broken-truncated.pdf'];
const TAMPERED = ['tampered-bytes.pdf', 'tampered-xref.pdf'];

const kyso = (args: string[]): Promise<CliResult> =>
  runKyso(['verify', ...args], { env: { KYSO_HOME: home, KYSO_LANG: '' } });
const TRUST = (): string[] => ['--trust', pkiFile('root-ca.pem')];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-verify-many-'));
  home = path.join(dir, 'home');
  folder = path.join(dir, 'inbox');
  mkdirSync(home);
  mkdirSync(path.join(folder, 'sub'), { recursive: true });
  const base = path.join(dir, 'base.pdf');
  writeFileSync(base, shadowReadyPdf());
  // One identity opened once: 96 signatures through the engine take a few seconds.
  const signer = await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12');
  const sign = (output: string): Promise<unknown> => signPdf({ input: base, output, signer });
  for (let i = 1; i <= 95; i++) {
    const name = `doc-${String(i).padStart(3, '0')}.pdf`;
    // Ten of them in a subfolder, for --recursive.
    await sign(path.join(i <= 10 ? path.join(folder, 'sub') : folder, name));
  }
  const spare = path.join(dir, 'spare.pdf');
  await sign(spare);
  const bytes = readFileSync(spare);
  writeFileSync(path.join(folder, 'broken-empty.pdf'), '');
  writeFileSync(path.join(folder, 'broken-not-a-pdf.pdf'), 'Kính gửi: this is a letter, not a PDF.\n');
  // Cut inside the first revision: no cross-reference, no end of file.
  writeFileSync(path.join(folder, 'broken-truncated.pdf'), bytes.subarray(0, 600));
  // A byte of the signed content changed, and a cross-reference trick appended after signing.
  flipByte(spare, path.join(folder, 'tampered-bytes.pdf'), bytes.indexOf('QUYET DINH', 0, 'latin1') + 3);
  const tricks = await buildXrefTricks(spare, spare, dir);
  const trick = tricks.find((t) => t.name === 'xref-points-at-other-object')!;
  writeFileSync(path.join(folder, 'tampered-xref.pdf'), readFileSync(trick.file));
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

interface Line {
  file: string;
  status: string;
  error?: { code: string; message: string };
  signatures?: Array<{ status: string; reason: string }>;
}

describe('kyso verify --in DIR', () => {
  it('100 documents, 3 broken and 2 tampered: 95 valid lines, 5 explained, exit 1, JSON Lines', async () => {
    const r = await kyso(['--in', folder, '--recursive', '--json', ...TRUST(), '--lang', 'en']);
    expect(r.code, r.stderr).toBe(1);
    const rawLines = r.stdout.split('\n').filter((l) => l !== '');
    expect(rawLines).toHaveLength(100);
    const lines = rawLines.map((l) => JSON.parse(l) as Line);
    expect(new Set(lines.map((l) => l.file)).size).toBe(100);
    const valid = lines.filter((l) => l.status === 'valid');
    expect(valid).toHaveLength(95);
    const others = lines.filter((l) => l.status !== 'valid');
    expect(others.map((l) => path.basename(l.file)).sort()).toEqual([...BROKEN, ...TAMPERED].sort());
    for (const l of others) {
      if (BROKEN.includes(path.basename(l.file))) {
        expect(l.status).toBe('error');
        expect(l.error?.code).toMatch(/^PDF_/);
        expect(l.error?.message.length).toBeGreaterThan(5);
      } else {
        expect(l.status).toBe('invalid');
        expect(l.signatures?.[0]?.reason).toMatch(/changed|altered|integrity|cross-reference/i);
      }
    }
    expect(lines.find((l) => l.file.endsWith('tampered-xref.pdf'))?.signatures?.[0]?.reason).toContain(
      'points at the bytes of object',
    );
    expect(r.stderr).toContain('Total: 100 files — 95 valid, 2 invalid');
    expect(r.stderr).toContain('3 errors');
  });

  it('text: one line per file and a total, in Vietnamese; without --recursive the subfolder is left out', async () => {
    const r = await kyso(['--in', folder, ...TRUST()]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(91); // 85 + 3 broken + 2 tampered, then the total
    expect(lines.filter((l) => l.startsWith('HỢP LỆ  '))).toHaveLength(85);
    expect(lines.filter((l) => l.startsWith('LỖI  '))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('KHÔNG HỢP LỆ  '))).toHaveLength(2);
    expect(lines.at(-1)).toBe(
      'Tổng: 90 tệp — 85 hợp lệ, 2 không hợp lệ, 0 chưa xác định được, 0 không có chữ ký, 3 lỗi.',
    );
  });

  it('files named on the command line, all valid: exit 0; one HTML report each into a folder', async () => {
    const a = path.join(folder, 'doc-050.pdf');
    const b = path.join(folder, 'sub', 'doc-001.pdf');
    const reports = path.join(dir, 'reports');
    const r = await kyso([a, b, ...TRUST(), '--json', '--report', reports]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => [l.file, l.status])).toEqual([
      [a, 'valid'],
      [b, 'valid'],
    ]);
    expect(readdirSync(reports).sort()).toEqual(['doc-001.html', 'doc-050.html']);
    expect(readFileSync(path.join(reports, 'doc-050.html'), 'utf8')).toContain('<html');
  });

  it('a reader that stops after the first line (| head -1): the run ends quietly, exit 141', async () => {
    const child = spawn(process.execPath, [KYSO_BIN, 'verify', '--in', folder, ...TRUST()], {
      env: { ...process.env, KYSO_HOME: home, KYSO_LANG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // The first chunk holds the first verdict; then the reader goes away, as head does.
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d: Buffer) => resolve(String(d))),
    );
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first).toMatch(/^(HỢP LỆ|LỖI|KHÔNG HỢP LỆ) {2}/);
    expect(code).toBe(141);
    expect(stderr).toBe(''); // no EPIPE stack trace
  });

  it('usage errors exit 2 with one line', async () => {
    for (const args of [
      ['--recursive', path.join(folder, 'doc-050.pdf')],
      ['--in', path.join(dir, 'nowhere')],
    ]) {
      const r = await kyso(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});
