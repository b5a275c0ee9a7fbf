// `kyso batch` as a user runs it (the built CLI in a child process): exit codes 0/1/2, a profile
// file overridden by options, plain progress lines when stderr is not a terminal, the reports, and
// --resume.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { pkiDir, pkiFile } from '../support/fixtures.js';
import { KYSO_BIN, runKyso } from '../support/run-cli.js';
import { startTsaServer } from '../servers/tsa-server.js';
import { expectAllValid, filesUnder, makeDocuments, onePagePdf } from '../signing/batch/batch-documents.js';

let root: string;
const P12_ENV = { KYSO_P12_PASSWORD: 'kyso-p12' };
const identity = () => ['--p12', pkiFile('chairman-rsa2048.p12'), '--pin-env', 'KYSO_P12_PASSWORD'];

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-batch-'));
});

describe('kyso batch: usage', () => {
  it('exits 2 for usage errors, before asking for any password', async () => {
    const docs = await makeDocuments(path.join(root, 'u-in'), 1);
    const out = path.join(root, 'u-out');
    const cases: string[][] = [
      ['batch', '--out', out, ...identity()],
      ['batch', '--in', docs.dir, ...identity()],
      ['batch', '--in', docs.dir, '--out', out, '--report', 'r.txt', ...identity()],
      ['batch', '--in', docs.dir, '--out', out, '--retry-failed', ...identity()],
      ['batch', '--in', docs.dir, '--out', out, '--level', 'B-X', ...identity()],
      ['batch', '--in', docs.dir, '--out', out, '--concurrency', '0', ...identity()],
      ['batch', '--in', docs.dir, '--out', out, '--demo', '--p12', 'x.p12'],
      ['batch', '--in', docs.dir, '--out', docs.dir, ...identity()],
    ];
    for (const args of cases) {
      const r = await runKyso(args, { env: P12_ENV });
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/^kyso: .*\[(USAGE|OUTPUT_SAME_AS_INPUT)\]$/m);
    }
    const profile = path.join(root, 'bad-profile.json');
    writeFileSync(profile, JSON.stringify({ reasn: 'typo' }));
    const r = await runKyso(['batch', '--in', docs.dir, '--out', out, '--profile', profile, ...identity()], {
      env: P12_ENV,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[SETTINGS_INVALID]');
    expect(r.stderr).toContain('reasn');
    expect(existsSync(out)).toBe(false);
  });
});

describe('kyso batch: a run', () => {
  it('signs with a profile, reports a broken file, exits 1; --resume then has nothing left to do', async () => {
    const docs = await makeDocuments(path.join(root, 'in'), 6, (i) => (i === 3 ? 'encrypted' : undefined));
    const out = path.join(root, 'out');
    const profile = path.join(root, 'profile.json');
    writeFileSync(
      profile,
      JSON.stringify({ version: 1, suffix: '-profile', reason: 'Sao y bản chính', location: 'Hà Nội' }),
    );
    const csv = path.join(root, 'bao-cao.csv');
    const r = await runKyso(
      [
        'batch',
        '--in',
        docs.dir,
        '--out',
        out,
        '--profile',
        profile,
        '--suffix=-da-ky',
        '--report',
        csv,
        ...identity(),
      ],
      { env: P12_ENV },
    );
    expect(r.code, r.stderr).toBe(1);
    // The command line's suffix wins over the profile's.
    const outputs = filesUnder(out).filter((f) => !f.startsWith('.kyso-batch/'));
    expect(outputs).toEqual([
      'doc-000-da-ky.pdf',
      'doc-001-da-ky.pdf',
      'doc-002-da-ky.pdf',
      'doc-004-da-ky.pdf',
      'doc-005-da-ky.pdf',
    ]);
    await expectAllValid(outputs.map((f) => path.join(out, f)));
    // The reason of the profile is in the signature (a UTF-16BE text string).
    const bytes = readFileSync(path.join(out, 'doc-000-da-ky.pdf'), 'latin1');
    const reasonHex = Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      Buffer.from('Sao y bản chính', 'utf16le').swap16(),
    ])
      .toString('hex')
      .toUpperCase();
    expect(bytes.toUpperCase()).toContain(reasonHex);
    // Plain lines on a non-terminal stderr, the summary on stdout, in Vietnamese.
    expect(r.stderr).toContain('Đợt ký gồm 6 văn bản.');
    expect(r.stderr).toMatch(/^\[\d\/6\] đã ký doc-000\.pdf/m);
    expect(r.stderr).toMatch(
      /^\[\d\/6\] LỖI doc-003\.pdf: Tệp PDF được bảo vệ bằng mật khẩu.*\[PDF_ENCRYPTED\]$/m,
    );
    expect(r.stdout).toMatch(/^Đã ký 5\/6 văn bản; 1 lỗi; thời gian .* giây.*; báo cáo: .*bao-cao\.csv\.$/m);
    expect(r.stderr + r.stdout).not.toContain('kyso-p12');
    for (const own of ['journal.jsonl', 'report.json', 'report.csv']) {
      expect(readFileSync(path.join(out, '.kyso-batch', own), 'utf8')).not.toContain('kyso-p12');
    }
    const report = readFileSync(csv, 'utf8');
    expect(report).toContain(',failed,,,');
    expect(report).toContain('PDF_ENCRYPTED');
    expect(existsSync(path.join(out, '.kyso-batch', 'report.json'))).toBe(true);
    expect(existsSync(path.join(out, '.kyso-batch', 'report.csv'))).toBe(true);

    // Without --resume the folder is refused; with it nothing is signed again.
    const again = await runKyso(
      ['batch', '--in', docs.dir, '--out', out, '--profile', profile, '--suffix=-da-ky', ...identity()],
      { env: P12_ENV },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[BATCH_JOURNAL_EXISTS]');
    const resumed = await runKyso(
      [
        'batch',
        '--in',
        docs.dir,
        '--out',
        out,
        '--profile',
        profile,
        '--suffix=-da-ky',
        '--resume',
        '--lang',
        'en',
        ...identity(),
      ],
      { env: P12_ENV },
    );
    expect(resumed.code).toBe(1); // the encrypted file still failed
    expect(resumed.stderr).toContain('Resuming the batch: 6/6 documents done, 0 left.');
    expect(resumed.stdout).toMatch(/^Signed 5\/6 documents; 1 failed;/m);
  }, 120_000);

  it('exits 0 when every document is signed; FILE arguments and --in together', async () => {
    const docs = await makeDocuments(path.join(root, 'ok-in'), 3);
    const extra = path.join(root, 'extra');
    mkdirSync(extra, { recursive: true });
    const single = path.join(extra, 'single.pdf');
    writeFileSync(single, await onePagePdf('a single file', false));
    const out = path.join(root, 'ok-out');
    const r = await runKyso(
      ['batch', '--in', docs.dir, single, '--out', out, '--lang', 'en', ...identity()],
      {
        env: P12_ENV,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Signed 4\/4 documents; /m);
    const json = JSON.parse(readFileSync(path.join(out, '.kyso-batch', 'report.json'), 'utf8')) as {
      signed: number;
      documents: { status: string; signer: string }[];
    };
    expect(json.signed).toBe(4);
    expect(json.documents.every((d) => d.status === 'signed' && d.signer === 'Nguyễn Thị Hồng Nhung')).toBe(
      true,
    );
  }, 60_000);
});

describe('kyso batch: Ctrl-C', () => {
  it('stops after the documents being signed, says what is left, and --resume finishes', async () => {
    const tsa = await startTsaServer({ pkiDir: pkiDir(), delayMs: 100 });
    try {
      const docs = await makeDocuments(path.join(root, 'int-in'), 20);
      const out = path.join(root, 'int-out');
      const args = [
        'batch',
        '--in',
        docs.dir,
        '--out',
        out,
        '--tsa',
        tsa.url,
        '--tsa-concurrency',
        '1',
        ...identity(),
      ];
      const first = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [KYSO_BIN, ...args], {
          env: { ...process.env, ...P12_ENV },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        let sent = false;
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          if (!sent && /^\[\d+\/20\] /m.test(stderr)) {
            sent = true;
            child.kill('SIGINT');
          }
        });
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(first.code, first.stderr).toBe(1);
      expect(first.stderr).toContain('Đang dừng sau các văn bản đang ký');
      expect(first.stdout).toMatch(/chưa ký \(chạy lại với --resume để ký tiếp\)/);
      expect(
        filesUnder(out).filter((f) => f.endsWith('.tmp') || f.includes('staging/') || f.endsWith('/lock')),
      ).toEqual([]);
      const resumed = await runKyso([...args, '--resume'], { env: P12_ENV });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(filesUnder(out).filter((f) => !f.startsWith('.kyso-batch/'))).toHaveLength(20);
    } finally {
      await tsa.close();
    }
  }, 120_000);
});
