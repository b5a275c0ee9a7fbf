// "Văn bản chờ ký" in the browser against the reference one-stop server on 127.0.0.1: the chairman
// opens his inbox with the PIN (the count on the navigation), previews a request, signs two with one
// PIN and declines the third with a reason; the clerk sees the two at the issue step, the number the
// server will issue shown before sealing, and seals both (0001 and 0002 of the year's book). The
// results are valid for Kyso, pdfsig (two signatures) and qpdf, with the number in their text; the
// declined one is back with the officer with its reason.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OnestopServer } from '../../src/onestop/onestop-server.js';
import { pdftotext } from '../signing/appearance/appearance-support.js';
import { officer, officerView, startServer, submit } from '../signing/inbox/inbox-support.js';
import { CHAIRMAN_TOKEN, CLERK_TOKEN, testToken } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { closeBrowser, openApp, screenshot, type AppSession } from './support/app-session.js';
import { writeDecision } from './support/documents.js';
import { chooseCertificate } from './support/screen-actions.js';

const CHAIRMAN = 'Nguyễn Thị Hồng Nhung';
const CLERK = 'Lê Thị Ánh Tuyết';
let app: AppSession;
let server: OnestopServer;

beforeEach(async () => {
  app = await openApp();
  server = await startServer(path.join(app.home, '..', 'onestop-data'));
  // The one-stop server of the office, as IT staff set it (upload.server).
  const file = path.join(app.home, 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...settings, upload: { server: server.url } }));
});

afterEach(async () => {
  expect(app.pageErrors).toEqual([]);
  await server.close();
  await app.close();
});

afterAll(closeBrowser);

async function openInbox(holder: string, token: string): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: 'Văn bản chờ ký' }).click();
  await chooseCertificate(page, holder, token);
  await page.getByRole('button', { name: 'Mở hộp văn bản' }).click();
  await page.getByLabel('Mã PIN', { exact: true }).fill(testToken(token).pin);
  await page.getByRole('button', { name: 'Mở', exact: true }).click();
  await page.getByTestId('inbox-list').waitFor({ timeout: 60_000 });
}

const row = (title: string) => app.page.getByTestId('inbox-item').filter({ hasText: title });

async function signChecked(token: string): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: /^Ký \d+ văn bản đã chọn$/ }).click();
  await page.getByLabel('Mã PIN', { exact: true }).fill(testToken(token).pin);
  await page.getByRole('button', { name: 'Ký', exact: true }).click();
  await page.getByTestId('inbox-results').waitFor({ timeout: 120_000 });
}

async function finalDocument(id: string): Promise<string> {
  const res = await fetch(`${server.url}/signing-requests/${id}/document`, { headers: officer });
  expect(res.status).toBe(200);
  const file = path.join(app.files, `${id}.pdf`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

describe('Văn bản chờ ký', () => {
  it('the chairman signs two and declines one; the clerk issues and seals both', async () => {
    const { page } = app;
    // A real decision of the commune (the fixture's), as the officer prepared it.
    const decision = path.join(app.files, 'quyet-dinh.pdf');
    writeDecision(decision);
    const pdf = readFileSync(decision);
    const a = await submit(server, 'Quyết định giao đất ông Nguyễn Văn An', { pdf });
    const b = await submit(server, 'Quyết định giao đất bà Trần Thị Bình', { pdf });
    const c = await submit(server, 'Quyết định giao đất ông Lê Văn Cường', { pdf });

    await openInbox(CHAIRMAN, CHAIRMAN_TOKEN);
    await expect.poll(() => page.getByTestId('inbox-item').count()).toBe(3);
    await expect(page.getByTestId('nav-badge-inbox').innerText()).resolves.toBe('3');
    await expect(row('Nguyễn Văn An').innerText()).resolves.toContain('Chờ ký duyệt');

    // The preview: the document as the server holds it.
    await row('Nguyễn Văn An').getByRole('button').first().click();
    const preview = page.getByTestId('inbox-preview');
    await preview.locator('.page-frame[data-shown]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'inbox');

    await row('Nguyễn Văn An').getByRole('checkbox').check();
    await row('Trần Thị Bình').getByRole('checkbox').check();
    await signChecked(CHAIRMAN_TOKEN);
    const results = page.getByTestId('inbox-results');
    await expect(results.locator('[data-status=delivered]').count()).resolves.toBe(2);
    await expect.poll(() => page.getByTestId('inbox-item').count()).toBe(1);

    await row('Lê Văn Cường').getByRole('button').first().click();
    await preview.getByRole('button', { name: 'Từ chối' }).click();
    const dialog = page.getByTestId('decline-dialog');
    await dialog.getByRole('button', { name: 'Trả lại văn bản' }).click();
    await dialog.getByText('Hãy nhập lý do').waitFor();
    await dialog.getByLabel('Lý do từ chối').fill('Thiếu trích lục bản đồ địa chính');
    await dialog.getByRole('button', { name: 'Trả lại văn bản' }).click();
    await page.getByText('Đã trả lại văn bản cho cán bộ trình.').waitFor();
    await expect.poll(() => page.getByTestId('inbox-item').count()).toBe(0);
    await expect(page.getByTestId('nav-badge-inbox').count()).resolves.toBe(0);
    expect(await officerView(server, c.id)).toMatchObject({
      state: 'declined',
      declineReason: 'Thiếu trích lục bản đồ địa chính',
    });

    // The clerk, on the same desk: her own certificate, her own inbox.
    await page.getByRole('button', { name: 'Đổi chứng thư số' }).click();
    await chooseCertificate(page, CLERK, CLERK_TOKEN);
    await page.getByRole('button', { name: 'Mở hộp văn bản' }).click();
    await page.getByLabel('Mã PIN', { exact: true }).fill(testToken(CLERK_TOKEN).pin);
    await page.getByRole('button', { name: 'Mở', exact: true }).click();
    await expect.poll(() => page.getByTestId('inbox-item').count(), { timeout: 60_000 }).toBe(2);
    await expect(row('Nguyễn Văn An').innerText()).resolves.toContain('Chờ cấp số, ngày và đóng dấu');
    await row('Nguyễn Văn An').getByRole('button').first().click();
    const issue = page.getByTestId('inbox-issue');
    await issue.filter({ hasText: '0001/QĐ-UBND' }).waitFor({ timeout: 60_000 });
    await expect(issue.innerText()).resolves.toMatch(
      /Số và ngày sẽ cấp: 0001\/QĐ-UBND, ngày \d\d\/\d\d\/\d{4}/,
    );
    await preview.locator('.page-frame[data-shown]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'inbox-clerk');

    await page.getByRole('checkbox', { name: 'Chọn tất cả' }).check();
    await signChecked(CLERK_TOKEN);
    await results.getByText(/Đã cấp số 0001\/QĐ-UBND/).waitFor();
    await results.getByText(/Đã cấp số 0002\/QĐ-UBND/).waitFor();
    await screenshot(page, 'inbox-results');

    for (const [id, number] of [
      [a.id, '0001/QĐ-UBND'],
      [b.id, '0002/QĐ-UBND'],
    ] as const) {
      expect(await officerView(server, id)).toMatchObject({ state: 'done', issue: { number } });
      const file = await finalDocument(id);
      await expectKysoVerifies(file);
      await expectPdfsigValid(file, 2);
      await qpdfCheck(file);
      expect(pdftotext(file, 1).replace(/\s+/g, ' ')).toContain(number);
    }
  });
});
