// The local bridge in the browser app (issue 16): enabled on "Thiết bị ký", it asks the user about a
// web page's request on top of whatever screen is shown: the requesting site, what it asks, page 1
// of the document, the certificate; Đồng ý and the PIN sign and deliver (the upload server gets a
// file valid for Kyso and pdfsig, the page Status 0); Từ chối gives Status 2 and sends nothing. The
// web system is played by a real ws client and a real HTTP server on 127.0.0.1.
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, testToken } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid } from '../support/signed-output.js';
import { ask, replyOf, startWebSystem, type WebSystem } from '../bridge/web-system.js';
import { closeBrowser, openApp, screenshot, type AppSession } from './support/app-session.js';
import { writeDecision } from './support/documents.js';

let app: AppSession;
let web: WebSystem;

beforeEach(async () => {
  app = await openApp();
  web = await startWebSystem();
});

afterEach(async () => {
  expect(app.pageErrors).toEqual([]);
  await web.close();
  await app.close();
});

afterAll(closeBrowser);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('Cầu nối ký số', () => {
  it('asks before signing: Đồng ý + PIN delivers a valid file, Từ chối sends nothing', async () => {
    const { page } = app;
    // ws:// for the test's web system (the bridge's own TLS is tested in test/bridge).
    const settingsFile = path.join(app.home, 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...settings, bridge: { mode: 'plain' } }));
    const decision = path.join(app.files, 'quyet-dinh-15.pdf');
    writeDecision(decision);
    const fileUrl = web.serve('quyet-dinh-15.pdf', readFileSync(decision));
    const port = await freePort();
    const request = {
      FileUploadHandler: `${web.origin}/upload`,
      SessionId: 'hs-15',
      JWTToken: 'jwt-of-the-page',
      FileName: fileUrl,
      DocNumber: '',
      IssuedDate: '',
      MetaData: [],
    };

    // Enable it on "Thiết bị ký": port, the allowed site, the chairman's certificate.
    await page.getByRole('button', { name: 'Thiết bị ký' }).click();
    const section = page.getByTestId('bridge-settings');
    await section.waitFor({ timeout: 60_000 });
    await expect(section.getByTestId('bridge-status').innerText()).resolves.toBe('Đang tắt');
    await section.getByLabel('Bật cầu nối cùng Kyso').check();
    await section.getByLabel('Cổng').fill(String(port));
    await section.getByLabel(/Các trang web được phép/).fill(web.origin);
    const option = section
      .locator('#bridge-certificate option')
      .filter({ hasText: 'Nguyễn Thị Hồng Nhung' })
      .filter({ hasText: CHAIRMAN_TOKEN })
      .first();
    await option.waitFor({ state: 'attached' });
    await section.locator('#bridge-certificate').selectOption((await option.getAttribute('value')) ?? '');
    await section.getByRole('button', { name: 'Lưu cài đặt cầu nối' }).click();
    await section.locator('[data-testid=bridge-status][data-running]').waitFor();
    await expect(section.getByTestId('bridge-status').innerText()).resolves.toContain(
      `ws://127.0.0.1:${port}`,
    );

    // The user is on the signing screen when the web page asks.
    await page.getByRole('button', { name: 'Ký văn bản' }).click();
    const accepted = ask(`ws://127.0.0.1:${port}/SignApproved`, request, { origin: web.origin });
    const dialog = page.getByTestId('bridge-request');
    await dialog.waitFor({ timeout: 60_000 });
    await expect(dialog.getByTestId('bridge-site').innerText()).resolves.toBe(web.origin);
    await expect(dialog.getByTestId('bridge-endpoint').innerText()).resolves.toBe(
      'Ký duyệt (người có thẩm quyền)',
    );
    await expect(dialog.getByTestId('bridge-file').innerText()).resolves.toContain('quyet-dinh-15.pdf');
    await expect(dialog.getByTestId('bridge-certificate').innerText()).resolves.toContain(
      'Nguyễn Thị Hồng Nhung',
    );
    await dialog.locator('[data-testid=bridge-preview][data-shown] canvas').waitFor();
    await screenshot(page, 'bridge-confirm');

    await dialog.getByRole('button', { name: 'Đồng ý' }).click();
    const pinDialog = page.getByTestId('pin-dialog');
    await pinDialog.waitFor();
    await pinDialog.getByLabel('Mã PIN').fill(testToken(CHAIRMAN_TOKEN).pin);
    await pinDialog.getByRole('button', { name: 'Ký', exact: true }).click();
    expect(replyOf(await accepted)).toMatchObject({ Status: 0, FileName: 'stored-1.pdf' });
    await dialog.locator('[data-testid=bridge-outcome][data-outcome=delivered]').waitFor();
    expect(web.uploads).toHaveLength(1);
    const signed = path.join(app.files, 'delivered.pdf');
    writeFileSync(signed, web.uploads[0]!.bytes);
    await expectKysoVerifies(signed);
    await expectPdfsigValid(signed, 1);
    await dialog.getByRole('button', { name: 'Đóng' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Another request, refused.
    const refused = ask(`ws://127.0.0.1:${port}/SignApproved`, request, { origin: web.origin });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Từ chối' }).click();
    expect(replyOf(await refused)).toMatchObject({ Status: 2, FileName: '' });
    await dialog.waitFor({ state: 'detached' });
    expect(web.uploads).toHaveLength(1);
  });
});
