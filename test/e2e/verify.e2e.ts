// "Kiểm tra chữ ký" in the browser: a signed document is valid and its signature's box is
// highlighted on the page; a document changed after signing is "Không hợp lệ" and the panel names
// what changed; the signed revision can be viewed; the HTML report is saved.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeBrowser, openApp, screenshot, type AppSession } from './support/app-session.js';
import { writeTampered } from './support/documents.js';
import { pkiFile } from '../support/fixtures.js';
import { runKyso } from '../support/run-cli.js';
import { writeDecision } from './support/documents.js';
import { signatureWidgets } from './support/signature-widgets.js';

let app: AppSession;

beforeEach(async () => {
  app = await openApp();
  await app.page.getByRole('button', { name: 'Kiểm tra chữ ký' }).click();
});

afterEach(async () => {
  expect(app.pageErrors).toEqual([]);
  await app.close();
});

afterAll(closeBrowser);

async function openForCheck(file: string): Promise<void> {
  await app.host.answerDialog('openPdf', file);
  await app.page.getByRole('button', { name: 'Mở tệp PDF' }).click();
  await app.page.getByTestId('overall-status').waitFor({ timeout: 60_000 });
  await app.page.locator('.page-frame[data-shown]').waitFor();
}

describe('Kiểm tra chữ ký', () => {
  it('shows a signed document as valid, highlights the box, views the signed revision, saves the report', async () => {
    const { page } = app;
    const base = path.join(app.files, 'quyet-dinh.pdf');
    const signed = path.join(app.files, 'quyet-dinh-da-ky.pdf');
    writeDecision(base);
    // Signed by the command line with a visible personal signature under "CHỦ TỊCH".
    const cli = await runKyso(
      [
        'sign',
        base,
        '-o',
        signed,
        '--p12',
        pkiFile('chairman-rsa2048.p12'),
        '--pin-env',
        'P12_PASSWORD',
        '--template',
        'personal',
        '--anchor',
        'CHỦ TỊCH',
      ],
      { env: { KYSO_HOME: app.home, P12_PASSWORD: 'kyso-p12' } },
    );
    expect(cli.code, cli.stderr).toBe(0);
    await openForCheck(signed);

    await expect(page.getByTestId('overall-status').innerText()).resolves.toContain('Tất cả chữ ký hợp lệ');
    const item = page.getByTestId('signature-item');
    await expect(item.count()).resolves.toBe(1);
    await expect(item.innerText()).resolves.toContain('Nguyễn Thị Hồng Nhung');
    await expect(item.innerText()).resolves.toContain('Hợp lệ');
    const details = page.getByTestId('signature-details');
    await expect(details.innerText()).resolves.toContain('PAdES B-B');
    await expect(details.innerText()).resolves.toContain('Không có thay đổi nào sau chữ ký này.');

    // The highlight sits on the widget the file has, converted to the screen's pixels.
    const [widget] = await signatureWidgets(signed);
    const highlight = page.getByTestId('signature-highlight');
    const scale = Number(await page.locator('.page-frame').getAttribute('data-scale'));
    const frame = await page.locator('.page-frame').boundingBox();
    const box = await highlight.boundingBox();
    expect(widget).toBeDefined();
    expect(Math.abs(box!.x - frame!.x - widget!.rect.x * scale)).toBeLessThan(2 * scale);
    expect(Math.abs(box!.y - frame!.y - widget!.rect.y * scale)).toBeLessThan(2 * scale);
    await screenshot(page, 'verify-valid');

    await page.getByRole('button', { name: 'Xem bản đã ký' }).click();
    await page.getByText('Đang xem văn bản đúng như lúc chữ ký 1 được ký').waitFor();
    await page.getByRole('button', { name: 'Quay lại văn bản hiện tại' }).click();

    const report = path.join(app.files, 'bao-cao.html');
    await app.host.answerDialog('saveAs', report);
    await page.getByRole('button', { name: 'Lưu báo cáo HTML' }).click();
    await page.getByText(`Đã lưu báo cáo tại ${report}`).waitFor();
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('Nguyễn Thị Hồng Nhung');
  });

  it('shows a document changed after signing as "Không hợp lệ" and names what changed', async () => {
    const { page } = app;
    const tampered = await writeTampered(app.files);
    await openForCheck(tampered);

    await expect(page.getByTestId('overall-status').innerText()).resolves.toContain('Có chữ ký không hợp lệ');
    const item = page.getByTestId('signature-item');
    await expect(item.innerText()).resolves.toContain('Không hợp lệ');
    const changes = page.getByTestId('changes-after');
    const text = await changes.innerText();
    expect(text).toContain('Phiên bản 3');
    expect(text).toContain('thay đổi nội dung hiển thị');
    expect(text).toContain('không được phép');
    await expect(changes.locator('.not-allowed').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, 'verify-tampered');
  });
});
