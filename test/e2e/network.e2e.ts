// "Mạng và dấu thời gian" on Thiết bị ký in the browser: "Kiểm tra kết nối" against a real TSA on
// 127.0.0.1 (its name and time), then a port where nothing listens (the Vietnamese message and its
// code), and the settings saved into settings.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, startTsaServer, type TsaServer } from '../servers/tsa-server.js';
import { makeTestPki } from '../servers/test-pki.js';
import { closeBrowser, openApp, screenshot, type AppSession } from './support/app-session.js';

let app: AppSession;
let tsa: TsaServer;

beforeEach(async () => {
  app = await openApp();
  tsa = await startTsaServer({ pkiDir: (await makeTestPki()).dir });
});

afterEach(async () => {
  expect(app.pageErrors).toEqual([]);
  await app.close();
  await tsa.close();
});

afterAll(closeBrowser);

describe('Thiết bị ký: mạng và dấu thời gian', () => {
  it('tests the TSA connection, shows a failure in Vietnamese, and saves the settings', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Thiết bị ký' }).click();
    const section = page.getByTestId('network-settings');
    await section.waitFor({ timeout: 60_000 });
    const url = section.getByLabel('Địa chỉ máy chủ cấp dấu thời gian (TSA)');

    await url.fill(tsa.url);
    await section.getByRole('button', { name: 'Kiểm tra kết nối' }).click();
    const ok = section.getByTestId('tsa-check-ok');
    await ok.waitFor({ timeout: 60_000 });
    await expect(ok.innerText()).resolves.toMatch(/Kết nối được: .*TSA.* cấp dấu thời gian lúc/);
    expect(tsa.requests).toBe(1);
    await screenshot(page, 'devices-network');

    await url.fill(`http://127.0.0.1:${await closedPort()}/tsa`);
    await section.getByRole('button', { name: 'Kiểm tra kết nối' }).click();
    const alert = section.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    await expect(alert.innerText()).resolves.toContain('TSA_UNREACHABLE');

    await url.fill(tsa.url);
    await section.getByLabel('Các máy chủ không đi qua proxy').fill('.gov.vn, 10.0.0.5');
    await section.getByRole('radio', { name: 'Ngoại tuyến (chỉ dùng dữ liệu có sẵn)' }).check();
    await section.getByRole('button', { name: 'Lưu cài đặt mạng' }).click();
    await section.getByTestId('network-saved').waitFor();
    const saved = JSON.parse(readFileSync(path.join(app.home, 'settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(saved).toMatchObject({
      tsa: { url: tsa.url },
      network: { noProxy: ['.gov.vn', '10.0.0.5'] },
      revocation: { mode: 'offline' },
    });
  });
});
