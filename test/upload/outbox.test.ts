// The outbox's states and claims on a real SQLite database: queued → sending → delivered / failed,
// retry and cancel by hand, one item per document and destination, two processes claiming at once
// never take the same item, and a claim whose process died goes back to the queue.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKysoError } from '../../src/shared/errors.js';
import { parseDossierCode } from '../../src/signing/upload/dossier-code.js';
import { idempotencyKey } from '../../src/signing/upload/idempotency-key.js';
import { Outbox, type ClaimOwner, type NewOutboxItem } from '../../src/signing/upload/outbox.js';
import { retryDelay } from '../../src/signing/upload/retry-backoff.js';
import type { UploadDestination } from '../../src/signing/upload/upload-types.js';

const DEST: UploadDestination = { kind: 'rest', server: 'https://motcua.example.vn/api' };
const ME: ClaimOwner = { token: 'me', pid: process.pid, host: os.hostname() };

function entry(n: number, destination: UploadDestination = DEST): NewOutboxItem {
  const sha = n.toString(16).padStart(64, '0');
  return {
    idempotencyKey: idempotencyKey(destination, '000.00.01.H22-261126-0001', sha),
    destination,
    dossierCode: '000.00.01.H22-261126-0001',
    fileName: `kq-${n}.pdf`,
    documentNumber: `${n}/QĐ-UBND`,
    documentType: 'Quyết định',
    signerName: 'Nguyễn Thị Hồng Nhung',
    signerOrganization: 'UBND phường Đoàn Kết',
    signingTime: '2026-11-26T02:15:00.000Z',
    sha256: sha,
    size: 1000 + n,
    file: `/nonexistent/${sha}.pdf`,
    copied: true,
    sourcePath: `/nonexistent/kq-${n}.pdf`,
    warnings: [],
  };
}

function freshOutbox(): Outbox {
  return Outbox.open({ dir: mkdtempSync(path.join(os.tmpdir(), 'kyso-outbox-')) });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isKysoError(error) ? error.code : 'not a KysoError';
  }
  return undefined;
}

describe('dossier codes', () => {
  it('accepts the national form and normalises case and spaces', () => {
    const code = parseDossierCode(' 000.00.01.h22-261126-0001 ');
    expect(code).toEqual({
      code: '000.00.01.H22-261126-0001',
      unit: '000.00.01.H22',
      receivedOn: '2026-11-26',
      sequence: 1,
    });
  });
  it.each([
    '',
    '000.00.01.H22',
    '000.00.01.H22-261126',
    '000.00.01-261126-0001',
    '000.00.01.H22-261131-0001', // 31 November
    '000.00.01.H22-260229-0001', // 2026 is no leap year
    '000.00.01.H22-261126-0000',
    '000.00.01.H22/261126/0001',
    '../../etc-261126-0001',
  ])('refuses %j with UPLOAD_DOSSIER_CODE_INVALID', (raw) => {
    expect(codeOf(() => parseDossierCode(raw))).toBe('UPLOAD_DOSSIER_CODE_INVALID');
  });
});

describe('idempotency keys', () => {
  it('are stable per document and destination, and differ across either', () => {
    const sha = 'ab'.repeat(32);
    const a = idempotencyKey(DEST, '000.00.01.H22-261126-0001', sha);
    expect(
      idempotencyKey(
        { kind: 'rest', server: 'https://MOTCUA.example.vn/api/' },
        '000.00.01.H22-261126-0001',
        sha,
      ),
    ).toBe(a);
    expect(
      idempotencyKey(
        { kind: 'rest', server: 'https://other.example.vn/api' },
        '000.00.01.H22-261126-0001',
        sha,
      ),
    ).not.toBe(a);
    expect(idempotencyKey(DEST, '000.00.01.H22-261126-0002', sha)).not.toBe(a);
    expect(idempotencyKey(DEST, '000.00.01.H22-261126-0001', 'cd'.repeat(32))).not.toBe(a);
  });
});

describe('outbox states', () => {
  it('moves queued → sending → queued (retry) → sending → delivered, with its history', () => {
    const outbox = freshOutbox();
    const { item, existing } = outbox.add(entry(1), 1000);
    expect(existing).toBe(false);
    expect(item.state).toBe('queued');
    expect(outbox.claimNext(ME, 60_000, undefined, 999)).toBeUndefined();
    const sending = outbox.claimNext(ME, 60_000, undefined, 1000);
    expect(sending?.state).toBe('sending');
    expect(sending?.attempts).toBe(1);
    // Nobody else takes an item being sent.
    expect(outbox.claimNext({ ...ME, token: 'other' }, 60_000, undefined, 1001)).toBeUndefined();
    outbox.retryLater(1, ME, { code: 'UPLOAD_SERVER_ERROR', message: 'busy', status: 503 }, 5000, 1002);
    const waiting = outbox.get(1);
    expect(waiting?.state).toBe('queued');
    expect(waiting?.lastError).toEqual({ code: 'UPLOAD_SERVER_ERROR', message: 'busy', status: 503 });
    expect(waiting?.nextAttemptAt).toBe(new Date(5000).toISOString());
    expect(outbox.claimNext(ME, 60_000, undefined, 4999)).toBeUndefined();
    expect(outbox.claimNext(ME, 60_000, undefined, 5000)?.attempts).toBe(2);
    outbox.delivered(1, { already: true, status: 409, receipt: '{"receiptId":"r-1"}' }, 5001);
    const done = outbox.get(1);
    expect(done?.state).toBe('delivered');
    expect(done?.alreadyDelivered).toBe(true);
    expect(done?.lastError).toBeNull();
    expect(outbox.events(1).map((e) => e.kind)).toEqual([
      'queued',
      'sending',
      'retry-scheduled',
      'sending',
      'delivered',
    ]);
    expect(codeOf(() => outbox.cancel(1))).toBe('UPLOAD_ITEM_STATE');
    expect(codeOf(() => outbox.retry(1))).toBe('UPLOAD_ITEM_STATE');
    outbox.close();
  });

  it('keeps a permanent failure with its reason; retry by hand starts afresh; cancel withdraws', () => {
    const outbox = freshOutbox();
    outbox.add(entry(1), 1000);
    outbox.add(entry(2), 1000);
    outbox.claimNext(ME, 60_000, undefined, 1000);
    outbox.failed(1, ME, { code: 'UPLOAD_TOO_LARGE', message: 'at most 10 MB', status: 413 }, 1001);
    expect(outbox.get(1)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: { code: 'UPLOAD_TOO_LARGE', status: 413 },
    });
    expect(outbox.retry(1, 2000)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(outbox.cancel(2)).toMatchObject({ state: 'cancelled' });
    expect(outbox.claimNext(ME, 60_000, undefined, 3000)?.id).toBe(1);
    expect(outbox.claimNext(ME, 60_000, undefined, 3000)).toBeUndefined();
    expect(codeOf(() => outbox.cancel(1))).toBe('UPLOAD_ITEM_STATE'); // being sent
    expect(codeOf(() => outbox.cancel(99))).toBe('UPLOAD_ITEM_NOT_FOUND');
    expect(outbox.counts()).toEqual({ queued: 0, sending: 1, delivered: 0, failed: 0, cancelled: 1 });
    outbox.close();
  });

  it('records one item per document and destination', () => {
    const outbox = freshOutbox();
    const first = outbox.add(entry(7));
    const again = outbox.add(entry(7));
    expect(again.existing).toBe(true);
    expect(again.item.id).toBe(first.item.id);
    const elsewhere = outbox.add(entry(7, { kind: 'folder', path: '/srv/share' }));
    expect(elsewhere.existing).toBe(false);
    expect(outbox.list()).toHaveLength(2);
    outbox.close();
  });

  it('gives an expired claim back to the queue, with the attempt counted', () => {
    const outbox = freshOutbox();
    outbox.add(entry(1), 1000);
    outbox.claimNext(ME, 100, undefined, 1000);
    expect(outbox.claimNext({ ...ME, token: 'other' }, 100, undefined, 1050)).toBeUndefined();
    const again = outbox.claimNext({ ...ME, token: 'other' }, 100, undefined, 1101);
    expect(again?.attempts).toBe(2);
    // The first holder's late outcome no longer counts.
    outbox.retryLater(1, ME, { code: 'UPLOAD_TIMEOUT', message: 'x', status: null }, 9999, 1102);
    expect(outbox.get(1)?.state).toBe('sending');
    outbox.close();
  });
});

describe('outbox files', () => {
  it('on opening, removes copies a killed process left (older than an hour), never a recorded one', () => {
    const outbox = freshOutbox();
    const files = outbox.filesDir;
    const recorded = path.join(files, `${'1'.padStart(64, '0')}.pdf`);
    outbox.add({ ...entry(1), file: recorded });
    outbox.close();
    const old = new Date(Date.now() - 2 * 3_600_000);
    for (const name of ['.incoming-dead.pdf', `${'9'.padStart(64, '0')}.pdf`, path.basename(recorded)]) {
      writeFileSync(path.join(files, name), 'x');
      utimesSync(path.join(files, name), old, old);
    }
    writeFileSync(path.join(files, '.incoming-now.pdf'), 'x');
    // The file system stamps the real time; with the clock moved (faketime) Node's "now" differs,
    // so the fresh copy gets Node's now explicitly, as the old ones get Node's now minus two hours.
    const now = new Date();
    utimesSync(path.join(files, '.incoming-now.pdf'), now, now);
    const reopened = Outbox.open({ dir: path.dirname(files) });
    expect(readdirSync(files).sort()).toEqual(['.incoming-now.pdf', path.basename(recorded)].sort());
    reopened.close();
  });
});

/** Runs a node script (ES module) that uses the built kyso/upload entry. */
function node(
  script: string,
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const CLAIMER = `
import { Outbox } from 'kyso/upload';
import os from 'node:os';
const [dir, token] = process.argv.slice(1);
const outbox = Outbox.open({ dir });
const owner = { token, pid: process.pid, host: os.hostname() };
const got = [];
for (;;) {
  const item = outbox.claimNext(owner, 600000);
  if (!item) break;
  got.push(item.id);
  outbox.delivered(item.id, { already: false, status: 201, receipt: token });
}
outbox.close();
process.stdout.write(JSON.stringify(got));
`;

const DIES_HOLDING_A_CLAIM = `
import { Outbox } from 'kyso/upload';
import os from 'node:os';
const outbox = Outbox.open({ dir: process.argv[1] });
const item = outbox.claimNext({ token: 'doomed', pid: process.pid, host: os.hostname() }, 3600000);
process.stdout.write(String(item.id), () => process.kill(process.pid, 'SIGKILL'));
`;

describe('claims across processes', () => {
  it('two processes flushing at once never take the same item, and together take all', async () => {
    const outbox = freshOutbox();
    for (let i = 1; i <= 300; i++) outbox.add(entry(i));
    const [a, b] = await Promise.all([node(CLAIMER, [outbox.dir, 'a']), node(CLAIMER, [outbox.dir, 'b'])]);
    expect(a.stderr + b.stderr).toBe('');
    const idsA = JSON.parse(a.stdout) as number[];
    const idsB = JSON.parse(b.stdout) as number[];
    expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
    expect([...idsA, ...idsB].sort((x, y) => x - y)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(outbox.counts().delivered).toBe(300);
    outbox.close();
  });

  it('a claim whose process was killed goes back to the queue at once', async () => {
    const outbox = freshOutbox();
    outbox.add(entry(1));
    const run = await node(DIES_HOLDING_A_CLAIM, [outbox.dir]);
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).toBe('1');
    expect(outbox.get(1)?.state).toBe('sending');
    const again = outbox.claimNext(ME, 60_000);
    expect(again?.id).toBe(1);
    expect(again?.attempts).toBe(2);
    expect(outbox.events(1).map((e) => e.kind)).toEqual(['queued', 'sending', 'reclaimed', 'sending']);
    outbox.close();
  });
});

describe('backoff', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 10 };
  it('doubles per attempt, with jitter between half and all of it, up to the cap', () => {
    expect(retryDelay(policy, 1, undefined, () => 0)).toBe(500);
    expect(retryDelay(policy, 1, undefined, () => 1)).toBe(1000);
    expect(retryDelay(policy, 4, undefined, () => 0)).toBe(4000);
    expect(retryDelay(policy, 4, undefined, () => 0.999999)).toBeCloseTo(8000, -1);
    expect(retryDelay(policy, 30, undefined, () => 1)).toBe(60_000);
    expect(retryDelay(policy, 30, undefined, () => 0)).toBe(30_000);
  });
  it('waits at least what the server asked (Retry-After), within the cap', () => {
    expect(retryDelay(policy, 1, 20_000, () => 0)).toBe(20_000);
    expect(retryDelay(policy, 1, 600_000, () => 0)).toBe(60_000);
  });
});
