// kyso upload and kyso outbox as a clerk runs them, against the reference one-stop server: a
// delivery and its outcome, then the bad inputs of the issue — a broken PDF, a wrong dossier code,
// a missing credential, a 401, a 413, a broken signature — each with a clear Vietnamese message and
// its code, the right outbox state, and nothing half-sent (the server stored nothing, the outbox
// holds no stray file). Then retry, cancel, flush and the shared-folder adapter.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOnestopServer, type OnestopServer } from '../../src/onestop/onestop-server.js';
import { runKyso, type CliResult } from '../support/run-cli.js';
import {
  DOSSIER,
  makeSignedResults,
  testTrust,
  trustTestRoot,
  writeSettings,
} from '../upload/upload-documents.js';

const TOKEN = 'cli-upload-token-7f3a9c';
let root: string;
let server: OnestopServer;
let docs: string[];
let home: string;
let n = 0;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-upload-'));
  docs = await makeSignedResults(path.join(root, 'docs'), 6);
  server = await startOnestopServer({
    dataDir: path.join(root, 'onestop'),
    tokens: [TOKEN],
    trust: testTrust(),
    maxBytes: 150_000,
  });
});
afterAll(async () => server?.close());

beforeEach(() => {
  home = path.join(root, `home-${n++}`);
  writeSettings(home, { server: server.url, retry: { baseMs: 10, maxMs: 50, maxAttempts: 3 } });
  trustTestRoot(home);
});

function kyso(
  args: string[],
  env: Record<string, string> = { KYSO_UPLOAD_TOKEN: TOKEN },
): Promise<CliResult> {
  return runKyso(args, { env: { KYSO_HOME: home, KYSO_UPLOAD_TOKEN: '', ...env } });
}

interface ListedItem {
  id: number;
  state: string;
  attempts: number;
  lastError: { code: string; status: number | null; message: string } | null;
  sha256: string;
  warnings: string[];
}

async function outbox(): Promise<ListedItem[]> {
  const list = await kyso(['outbox', 'list', '--json']);
  expect(list.code).toBe(0);
  return (JSON.parse(list.stdout) as { items: ListedItem[] }).items;
}

/** Nothing half-written in the outbox's folder: only whole copies named by their SHA-256. */
function outboxFiles(): string[] {
  return readdirSync(path.join(home, 'outbox', 'files'));
}

describe('kyso upload', () => {
  it('queues, delivers and prints the outcome; the server stored it once, verified', async () => {
    const run = await kyso([
      'upload',
      docs[0] as string,
      '--dossier',
      DOSSIER,
      '--doc-number',
      '12/QĐ-UBND',
      '--doc-type',
      'Quyết định',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`#1 đã gửi result-0000.pdf → ${DOSSIER}\n`);
    const [item] = await outbox();
    expect(item).toMatchObject({ state: 'delivered', attempts: 1, lastError: null, warnings: [] });
    const receipt = server.store.receipts().find((r) => r.sha256 === item?.sha256);
    expect(receipt).toMatchObject({
      dossierCode: DOSSIER,
      metadata: { documentNumber: '12/QĐ-UBND', documentType: 'Quyết định' },
    });
    expect(receipt?.signatures.map((s) => s.status)).toEqual(['valid']);
    // The copy is gone once delivered.
    expect(outboxFiles()).toEqual([]);
    // The same file again: recognised, not sent twice.
    const again = await kyso(['upload', docs[0] as string, '--dossier', DOSSIER]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('đã có trong hàng đợi gửi (#1, đã gửi); không gửi lại lần nữa');
    expect(server.stats().byDocument[item?.sha256 as string]).toBe(1);
  });

  it('a wrong dossier code: refused before anything is read or queued', async () => {
    const before = server.faults.requests;
    const run = await kyso(['upload', docs[1] as string, '--dossier', '000.00.01.H22-261131-0001']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'kyso: Mã hồ sơ "000.00.01.H22-261131-0001" không đúng dạng (ví dụ 000.00.01.H22-261126-0001: mã đơn vị, ngày tiếp nhận yymmdd, số thứ tự). [UPLOAD_DOSSIER_CODE_INVALID]\n',
    );
    expect(await outbox()).toEqual([]);
    expect(server.faults.requests).toBe(before);
  });

  it('a broken PDF: refused with its own message, nothing queued, no stray copy', async () => {
    const broken = path.join(root, 'cut.pdf');
    const bytes = readFileSync(docs[1] as string);
    writeFileSync(broken, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const before = server.faults.requests;
    const run = await kyso(['upload', broken, '--dossier', DOSSIER]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^kyso: .*\[PDF_TRUNCATED\]\n$/);
    expect(run.stderr).toMatch(/Tệp PDF/);
    expect(await outbox()).toEqual([]);
    expect(outboxFiles()).toEqual([]);
    expect(server.faults.requests).toBe(before);
  });

  it('a broken signature is refused unless overridden; an untrusted chain is only a warning', async () => {
    const tampered = path.join(root, 'tampered.pdf');
    const bytes = Buffer.from(readFileSync(docs[1] as string));
    const at = bytes.indexOf('Quyet dinh so');
    bytes.write('Quyet dinh SO', at, 'latin1');
    writeFileSync(tampered, bytes);
    const refused = await kyso(['upload', tampered, '--dossier', DOSSIER, '--queue-only']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^kyso: Chữ ký số trong .*tampered\.pdf bị hỏng \(#1 integrity.*--allow-broken-signatures\. \[UPLOAD_SIGNATURE_BROKEN\]\n$/,
    );
    expect(await outbox()).toEqual([]);
    const forced = await kyso([
      'upload',
      tampered,
      '--dossier',
      DOSSIER,
      '--queue-only',
      '--allow-broken-signatures',
      '--json',
    ]);
    expect(forced.code).toBe(0);
    const [item] = await outbox();
    expect(item?.state).toBe('queued');
    expect(item?.warnings[0]).toMatch(/^broken signature sent on request/);

    // No trusted root: queued, with a warning about the chain.
    const untrustedHome = path.join(root, `home-${n++}`);
    writeSettings(untrustedHome, { server: server.url });
    const warned = await runKyso(['upload', docs[2] as string, '--dossier', DOSSIER, '--queue-only'], {
      env: { KYSO_HOME: untrustedHome },
    });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/cảnh báo: #1 indeterminate/);
    expect(warned.stdout).toMatch(/^#1 đang chờ gửi result-0002\.pdf/);
  });

  it('a missing credential: refused before queueing; --queue-only queues, flush refuses and keeps it queued', async () => {
    const before = server.faults.requests;
    const run = await kyso(['upload', docs[1] as string, '--dossier', DOSSIER], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'kyso: Chưa có khóa truy cập hệ thống một cửa: đặt biến môi trường KYSO_UPLOAD_TOKEN (không ghi vào dòng lệnh). Chưa gửi tệp nào. [UPLOAD_CREDENTIAL_MISSING]\n',
    );
    expect(await outbox()).toEqual([]);
    expect((await kyso(['upload', docs[1] as string, '--dossier', DOSSIER, '--queue-only'], {})).code).toBe(
      0,
    );
    const flush = await kyso(['outbox', 'flush'], {});
    expect(flush.code).toBe(1);
    expect(flush.stderr).toMatch(/\[UPLOAD_CREDENTIAL_MISSING\]\n$/);
    expect(await outbox()).toMatchObject([{ state: 'queued', attempts: 0, lastError: null }]);
    expect(server.faults.requests).toBe(before);
    const now = await kyso(['outbox', 'flush']);
    expect(now.code).toBe(0);
    expect(await outbox()).toMatchObject([{ state: 'delivered' }]);
  });

  it('a 401: failed with the reason, nothing stored; retried by hand with the right token it is delivered', async () => {
    const run = await kyso(['upload', docs[3] as string, '--dossier', DOSSIER], {
      KYSO_UPLOAD_TOKEN: 'not-the-token',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `#1 gửi lỗi result-0003.pdf → ${DOSSIER} — Hệ thống một cửa từ chối khóa truy cập (HTTP 401): kiểm tra KYSO_UPLOAD_TOKEN hoặc cấu hình OAuth2. Tệp chưa được gửi. [UPLOAD_UNAUTHORIZED]\n`,
    );
    const [item] = await outbox();
    expect(item).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: { code: 'UPLOAD_UNAUTHORIZED', status: 401 },
    });
    expect(server.stats().byDocument[item?.sha256 as string]).toBeUndefined();
    // Kept for a retry: the copy is still there.
    expect(outboxFiles()).toEqual([`${item?.sha256}.pdf`]);
    // Failed items make flush exit 1.
    expect((await kyso(['outbox', 'flush'])).code).toBe(1);
    const retry = await kyso(['outbox', 'retry', '1']);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toMatch(/^#1 đang chờ gửi/);
    const flush = await kyso(['outbox', 'flush']);
    expect(flush.code).toBe(0);
    expect(flush.stdout).toBe('1 đã gửi\n');
    expect(server.stats().byDocument[item?.sha256 as string]).toBe(1);
  });

  it('a 413: failed with the server’s message, nothing stored', async () => {
    // A validly signed document of about 200 kB: over the server's 150 kB.
    const [big] = await makeSignedResults(path.join(root, 'big'), 1, 'big', 200_000);
    const run = await kyso(['upload', big as string, '--dossier', DOSSIER]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^#1 gửi lỗi big-0000\.pdf → .* — Hệ thống một cửa không nhận tệp lớn như vậy \(HTTP 413: Tệp quá lớn: tối đa 150000 byte.*\)\. \[UPLOAD_TOO_LARGE\]\n$/,
    );
    const [item] = await outbox();
    expect(item).toMatchObject({ state: 'failed', lastError: { code: 'UPLOAD_TOO_LARGE', status: 413 } });
    expect(server.stats().byDocument[item?.sha256 as string]).toBeUndefined();
  });

  it('cancel takes back a queued item; a delivered one cannot be cancelled; unknown items are named', async () => {
    expect((await kyso(['upload', docs[5] as string, '--dossier', DOSSIER, '--queue-only'])).code).toBe(0);
    const cancel = await kyso(['outbox', 'cancel', '1', '--lang', 'en']);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toBe(`#1 cancelled result-0005.pdf → ${DOSSIER}\n`);
    expect((await kyso(['outbox', 'flush'])).code).toBe(0);
    expect(server.faults.requests).toBeGreaterThan(0);
    expect(await outbox()).toMatchObject([{ state: 'cancelled', attempts: 0 }]);
    const missing = await kyso(['outbox', 'cancel', '7']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('kyso: Không có mục số 7 trong hàng đợi gửi. [UPLOAD_ITEM_NOT_FOUND]\n');
    expect((await kyso(['outbox', 'cancel', 'abc'])).code).toBe(2);
    expect((await kyso(['outbox', 'retry', '1'])).stderr).toBe(
      'kyso: Mục số 1 đang ở trạng thái "cancelled": không thể gửi lại. [UPLOAD_ITEM_STATE]\n',
    );
  });

  it('--folder: the shared-folder adapter writes the PDF and its JSON sidecar under the dossier', async () => {
    const share = path.join(root, `share-${n}`);
    const run = await kyso(
      ['upload', docs[2] as string, '--dossier', DOSSIER, '--folder', share, '--doc-number', '7/QĐ-UBND'],
      {},
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const dir = path.join(share, DOSSIER);
    expect(readdirSync(dir).sort()).toEqual(['result-0002.pdf', 'result-0002.pdf.json']);
    expect(readFileSync(path.join(dir, 'result-0002.pdf'))).toEqual(readFileSync(docs[2] as string));
    const sidecar = JSON.parse(readFileSync(path.join(dir, 'result-0002.pdf.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(sidecar).toMatchObject({
      dossierCode: DOSSIER,
      documentNumber: '7/QĐ-UBND',
      fileName: 'result-0002.pdf',
    });
  });

  it('usage: no file, no dossier, --server with credentials', async () => {
    expect((await kyso(['upload', '--dossier', DOSSIER])).code).toBe(2);
    expect((await kyso(['upload', docs[0] as string])).code).toBe(2);
    const withUser = await kyso([
      'upload',
      docs[0] as string,
      '--dossier',
      DOSSIER,
      '--server',
      'https://user:pw@example.vn',
    ]);
    expect(withUser.code).toBe(2);
    expect(withUser.stderr).toMatch(/without credentials/);
  });
});
