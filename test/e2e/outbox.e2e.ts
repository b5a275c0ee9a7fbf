// "Gửi hồ sơ" in the browser against the real web host and the reference one-stop server on
// 127.0.0.1: the clerk sets the destination and the credential (masked, shown only as "đã lưu"),
// signs a decision and sends it to its dossier from the result step (the dossier code checked as it
// is typed); the server has it exactly once and the outbox screen shows it delivered. With a wrong
// credential the next one fails with the Vietnamese 401 message, and once the credential is fixed
// "Gửi lại" delivers it, once. The credential never lands in KYSO_HOME nor in the host's output.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOnestopServer, type OnestopServer } from '../../src/onestop/onestop-server.js';
import { CHAIRMAN_TOKEN, testToken } from '../support/fixtures.js';
import { expectKysoVerifies } from '../support/signed-output.js';
import { testTrust } from '../upload/upload-documents.js';
import { closeBrowser, openApp, screenshot, type AppSession } from './support/app-session.js';
import { writeDecision } from './support/documents.js';
import { chooseCertificate, openPdf, signWithPin, signedOutput } from './support/screen-actions.js';
import { filesUnder } from '../support/files-under.js';

const CHAIRMAN = 'Nguyễn Thị Hồng Nhung';
const TOKEN = 'e2e-onestop-token-5d1f0b7c93';
const WRONG = 'e2e-onestop-wrong-token-61';
const DOSSIER_1 = '000.00.01.H22-261126-0001';
const DOSSIER_2 = '000.00.01.H22-261126-0002';

let server: OnestopServer;
let serverDir: string;
let app: AppSession;

beforeAll(async () => {
  serverDir = mkdtempSync(path.join(os.tmpdir(), 'kyso-e2e-onestop-'));
  server = await startOnestopServer({ dataDir: serverDir, tokens: [TOKEN], trust: testTrust() });
});

afterAll(async () => {
  await closeBrowser();
  await server?.close();
  rmSync(serverDir, { recursive: true, force: true });
});

beforeEach(async () => {
  app = await openApp();
});

afterEach(async () => {
  expect(app.pageErrors).toEqual([]);
  await app.close();
});

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function goTo(page: Page, screen: 'Gửi hồ sơ' | 'Ký văn bản'): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: screen, exact: true }).click();
}

async function saveCredential(page: Page, credential: string): Promise<void> {
  const settings = page.getByTestId('upload-settings');
  const field = settings.getByLabel('Khóa truy cập mới');
  await expect(field.getAttribute('type')).resolves.toBe('password');
  await field.fill(credential);
  await settings.getByRole('button', { name: 'Lưu khóa' }).click();
  await settings.getByRole('status').filter({ hasText: 'Đã lưu.' }).waitFor();
  // Write-only: the field is emptied and only "đã lưu" is shown.
  await expect(field.inputValue()).resolves.toBe('');
  await expect(settings.getByTestId('credential-state').innerText()).resolves.toBe('Khóa truy cập: đã lưu');
}

/** Signs `name` in the files folder with the chairman's token; returns the signed output. */
async function signDecision(name: string): Promise<string> {
  const input = path.join(app.files, name);
  writeDecision(input);
  await openPdf(app, input);
  await chooseCertificate(app.page, CHAIRMAN, CHAIRMAN_TOKEN);
  await signWithPin(app.page, testToken(CHAIRMAN_TOKEN).pin);
  return signedOutput(app.page);
}

function row(page: Page, fileName: string) {
  return page.getByTestId('outbox-row').filter({ hasText: fileName });
}

describe('Gửi hồ sơ', () => {
  it('sends a signed decision to its dossier; a 401 shows its message and "Gửi lại" delivers it after the fix', async () => {
    const { page } = app;
    await goTo(page, 'Gửi hồ sơ');
    await page.getByText('Chưa có văn bản nào được gửi vào hồ sơ.').waitFor();
    const settings = page.getByTestId('upload-settings');
    await expect(settings.getByTestId('credential-state').innerText()).resolves.toBe(
      'Khóa truy cập: chưa có',
    );
    await settings.getByLabel('Địa chỉ hệ thống một cửa').fill(server.url);
    await settings.getByRole('button', { name: 'Lưu nơi gửi' }).click();
    await settings.getByRole('status').filter({ hasText: 'Đã lưu.' }).waitFor();
    await saveCredential(page, TOKEN);

    // Sign, then "Gửi vào hồ sơ…" from the result step.
    await goTo(page, 'Ký văn bản');
    const first = await signDecision('quyet-dinh.pdf');
    await page.getByRole('button', { name: 'Gửi vào hồ sơ…' }).click();
    const send = page.getByTestId('send-to-dossier');
    const code = send.getByLabel('Mã hồ sơ');
    await code.fill('000.00.01.H22-261132-0001'); // 32 November
    await expect(send.getByRole('alert').innerText()).resolves.toContain('Mã hồ sơ không đúng dạng');
    await expect(send.getByRole('button', { name: 'Gửi', exact: true }).isDisabled()).resolves.toBe(true);
    await code.fill(DOSSIER_1);
    await expect(send.getByRole('alert').count()).resolves.toBe(0);
    await send.getByRole('button', { name: 'Gửi', exact: true }).click();
    const outcome = send.getByTestId('send-outcome');
    await outcome.waitFor({ timeout: 60_000 });
    await expect(outcome.innerText()).resolves.toContain(`Đã gửi vào hồ sơ ${DOSSIER_1}.`);
    expect(server.stats().byDocument[sha256(first)]).toBe(1);
    const received = server.store.receipts();
    expect(received).toHaveLength(1);
    await screenshot(page, 'outbox-sent-from-result');

    // The outbox screen shows it delivered.
    await goTo(page, 'Gửi hồ sơ');
    const delivered = row(page, 'quyet-dinh-da-ky.pdf');
    await expect(delivered.getAttribute('data-state')).resolves.toBe('delivered');
    await expect(delivered.innerText()).resolves.toContain('Đã gửi');
    await expect(delivered.innerText()).resolves.toContain(DOSSIER_1);

    // A wrong credential: the next document is refused with 401 and kept as failed.
    await saveCredential(page, WRONG);
    await goTo(page, 'Ký văn bản');
    await page.getByRole('button', { name: 'Ký văn bản khác' }).click();
    const second = await signDecision('to-trinh.pdf');
    await page.getByRole('button', { name: 'Gửi vào hồ sơ…' }).click();
    await send.getByLabel('Mã hồ sơ').fill(DOSSIER_2);
    await send.getByRole('button', { name: 'Gửi', exact: true }).click();
    await outcome.waitFor({ timeout: 60_000 });
    await expect(outcome.innerText()).resolves.toContain('Gửi lỗi');
    await expect(outcome.innerText()).resolves.toContain('Hệ thống một cửa từ chối khóa truy cập (HTTP 401)');
    expect(server.stats().byDocument[sha256(second)]).toBeUndefined();

    await goTo(page, 'Gửi hồ sơ');
    const failed = row(page, 'to-trinh-da-ky.pdf');
    await expect(failed.getAttribute('data-state')).resolves.toBe('failed');
    await expect(failed.innerText()).resolves.toContain('Gửi lỗi');
    await expect(failed.innerText()).resolves.toContain('từ chối khóa truy cập (HTTP 401)');
    await expect(failed.innerText()).resolves.toContain('UPLOAD_UNAUTHORIZED');
    await screenshot(page, 'outbox');

    // Filter by state: only the failed one.
    const filter = page.getByRole('combobox', { name: /^Trạng thái/ });
    await filter.selectOption('failed');
    await expect(page.getByTestId('outbox-row').count()).resolves.toBe(1);
    await filter.selectOption('all');

    // Fixed credential, then "Gửi lại": delivered, exactly once.
    await saveCredential(page, TOKEN);
    await page.getByRole('button', { name: 'Gửi lại to-trinh-da-ky.pdf' }).click();
    await page.locator('[data-testid=outbox-row][data-state=delivered]').nth(1).waitFor({ timeout: 60_000 });
    await expect(failed.getAttribute('data-state')).resolves.toBe('delivered');
    await expect(failed.innerText()).resolves.not.toContain('UPLOAD_UNAUTHORIZED');
    await page.getByTestId('outbox-flushed').waitFor();
    expect(server.stats().byDocument[sha256(second)]).toBe(1);
    expect(server.stats().byDocument[sha256(first)]).toBe(1);
    expect(server.store.receipts()).toHaveLength(2);
    await expect(page.getByRole('button', { name: 'Gửi lại tất cả mục lỗi' }).isDisabled()).resolves.toBe(
      true,
    );
    await screenshot(page, 'outbox-delivered');

    // What the server received is the signed result, intact.
    await expectKysoVerifies(second);
    // The credential is nowhere in the data folder (settings, outbox database, copies) nor the host's output.
    const files = filesUnder(app.home);
    expect(files.some((f) => f.endsWith('outbox.sqlite'))).toBe(true);
    for (const file of files) {
      const content = readFileSync(file).toString('latin1');
      expect(content.includes(TOKEN), file).toBe(false);
      expect(content.includes(WRONG), file).toBe(false);
    }
    const { stdout, stderr } = app.host.output();
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
    expect(`${stdout}${stderr}`).not.toContain(WRONG);
  });
});
