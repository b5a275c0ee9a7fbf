// IT staff's parts of "Thiết bị ký" and Cài đặt in the browser: a token library added (SoftHSM,
// probed and listed) and a file that is not one refused in Vietnamese; the doctor report made,
// saved and copied; the trust store (a certificate previewed with its fingerprint and added, a root
// switched off and on, an added one removed); and "Mặc định khi ký" (template, output folder and
// suffix) that the signing screen then opens with, signing a copy valid for Kyso, pdfsig and qpdf.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, pkiFile, SOFTHSM_MODULE, testToken } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { appForEachTest, type AppSession, screenshot } from './support/app-session.js';
import { writeDecision } from './support/documents.js';
import { chooseCertificate, openPdf, signWithPin, signedOutput } from './support/screen-actions.js';

const CHAIRMAN = 'Nguyễn Thị Hồng Nhung';
let app: AppSession;
// A fresh app for each test, closed after it with no page error allowed; the browser shared.
appForEachTest((opened) => (app = opened));

const settings = (): Record<string, Record<string, unknown>> =>
  JSON.parse(readFileSync(path.join(app.home, 'settings.json'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;

const fingerprintOf = (file: string): string =>
  new X509Certificate(readFileSync(file)).fingerprint256.replace(/:/g, '').toLowerCase();

describe('Thiết bị ký, for IT staff', () => {
  it('adds a token library, makes and saves the doctor report, and manages the trust store', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Thiết bị ký' }).click();

    // Libraries: a file that is not a library is refused, SoftHSM is added.
    const libraries = page.getByTestId('libraries-card');
    await libraries.waitFor({ timeout: 60_000 });
    const notLibrary = path.join(app.files, 'khong-phai-thu-vien.so');
    writeFileSync(notLibrary, 'not a library');
    await app.host.answerDialog('openLibrary', notLibrary);
    await libraries.getByRole('button', { name: 'Thêm thư viện…' }).click();
    const refusal = libraries.getByRole('alert');
    await refusal.waitFor({ timeout: 60_000 });
    await expect(refusal.innerText()).resolves.toContain('PKCS11_MODULE_NOT_LOADABLE');
    await app.host.answerDialog('openLibrary', SOFTHSM_MODULE);
    await libraries.getByRole('button', { name: 'Thêm thư viện…' }).click();
    await libraries.getByText(`Đã thêm thư viện ${SOFTHSM_MODULE}.`).waitFor({ timeout: 60_000 });
    await libraries.locator('.path-list').getByText(SOFTHSM_MODULE).waitFor();
    expect(settings()['pkcs11']?.['modules']).toEqual([SOFTHSM_MODULE]);

    // The doctor report: shown, saved where chosen, copied.
    const doctor = page.getByTestId('doctor-card');
    await doctor.getByRole('button', { name: 'Tạo báo cáo' }).click();
    const report = doctor.getByTestId('doctor-report');
    await report.waitFor({ timeout: 60_000 });
    const text = await report.innerText();
    expect(text).toMatch(/^Kyso doctor — /);
    expect(text).toContain(`Thư mục dữ liệu: ${app.home}`);
    expect(text).toContain(testToken(CHAIRMAN_TOKEN).label);
    const saved = path.join(app.files, 'bao-cao.txt');
    await app.host.answerDialog('saveAs', saved);
    await doctor.getByRole('button', { name: 'Lưu báo cáo…' }).click();
    await doctor.getByText(`Đã lưu báo cáo: ${saved}`).waitFor();
    expect(readFileSync(saved, 'utf8').trimEnd()).toBe(text.trimEnd());
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.host.url });
    await doctor.getByRole('button', { name: 'Sao chép' }).click();
    await doctor.getByText('Đã sao chép báo cáo.').waitFor();
    // A string: the test's TypeScript has no DOM types; the page runs it.
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied.trimEnd()).toBe(text.trimEnd());

    // The trust store: the built-in list, an intermediate previewed and added.
    const trust = page.getByTestId('trust-card');
    const g2 = trust.getByTestId('trust-entry').filter({ hasText: 'RootCA chuyên dùng Chính phủ G2' });
    await g2.waitFor();
    const intermediate = pkiFile('intermediate-ca.pem');
    await app.host.answerDialog('openCertificate', intermediate);
    await trust.getByRole('button', { name: 'Thêm chứng thư…' }).click();
    const dialog = page.getByTestId('trust-add-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('trust-preview-fingerprint').innerText()).resolves.toBe(
      fingerprintOf(intermediate),
    );
    await expect(dialog.innerText()).resolves.toContain('Trung gian');
    await screenshot(page, 'devices-trust-add');
    await dialog.getByRole('button', { name: 'Thêm vào kho tin cậy' }).click();
    await trust.getByText('Đã thêm 1 chứng thư vào kho tin cậy.').waitFor();
    const added = trust.locator(`[data-fingerprint="${fingerprintOf(intermediate)}"]`);
    await added.waitFor();
    await expect(added.innerText()).resolves.toContain('Do quản trị thêm');

    // A built-in root switched off and on again; the added one removed.
    await g2.getByRole('checkbox', { name: 'Đang dùng' }).uncheck();
    await expect(g2.getByRole('checkbox', { name: 'Đang dùng' }).isChecked()).resolves.toBe(false);
    await g2.getByRole('checkbox', { name: 'Đang dùng' }).check();
    await expect(g2.getByRole('checkbox', { name: 'Đang dùng' }).isChecked()).resolves.toBe(true);
    await added.getByRole('button', { name: 'Xóa' }).click();
    await added.waitFor({ state: 'detached' });
    expect(existsSync(path.join(app.home, 'trust', `${fingerprintOf(intermediate)}.der`))).toBe(false);
    await trust.scrollIntoViewIfNeeded();
    await screenshot(page, 'devices-trust');
    await doctor.scrollIntoViewIfNeeded();
    await screenshot(page, 'devices-doctor');
  });
});

describe('Cài đặt: mặc định khi ký', () => {
  it('saves the template, output folder and suffix; the signing and batch screens open with them', async () => {
    const { page } = app;
    const outDir = path.join(app.files, 'van-ban-da-ky');
    mkdirSync(outDir);
    await page.getByRole('button', { name: 'Cài đặt' }).click();
    const card = page.getByTestId('signing-defaults');
    await card.waitFor({ timeout: 60_000 });
    await card.getByLabel('Mẫu chữ ký').selectOption('text');
    await app.host.answerDialog('openFolder', outDir);
    await card.getByRole('button', { name: 'Chọn thư mục…' }).click();
    await card.getByTestId('defaults-output-folder').filter({ hasText: outDir }).waitFor();
    await card.getByLabel('Thêm vào tên tệp đã ký').fill('_signed');
    await card.getByRole('button', { name: 'Lưu', exact: true }).click();
    await card.getByTestId('defaults-saved').waitFor();
    expect(settings()['signing']).toEqual({
      template: 'text',
      outputFolder: outDir,
      outputSuffix: '_signed',
    });
    await screenshot(page, 'settings-defaults');

    // The batch screen starts from them.
    await page.getByRole('button', { name: 'Ký hàng loạt' }).click();
    // Read again when the screen shows: wait for them.
    await expect.poll(() => page.locator('#batch-suffix').inputValue()).toBe('_signed');
    await expect
      .poll(() => page.getByRole('radio', { name: 'Dòng chữ (không có hình ảnh)' }).isChecked())
      .toBe(true);

    // A document opened for signing: the text template, the copy in that folder under that name.
    await page.getByRole('button', { name: 'Ký văn bản' }).first().click();
    const input = path.join(app.files, 'quyet-dinh.pdf');
    writeDecision(input);
    await openPdf(app, input);
    await expect(page.getByRole('radio', { name: 'Chữ ký dạng chữ' }).isChecked()).resolves.toBe(true);
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    await signWithPin(page, testToken(CHAIRMAN_TOKEN).pin);
    const output = await signedOutput(page);
    expect(output).toBe(path.join(outDir, 'quyet-dinh_signed.pdf'));
    await expectKysoVerifies(output);
    await expectPdfsigValid(output, 1);
    await qpdfCheck(output);
  });
});
