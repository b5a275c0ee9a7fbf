// "Ký văn bản" in the browser against the real web host: the chairman drags the signature box with
// the mouse, types the PIN and gets a signed file whose widget sits where the box was dropped; "Ký
// tiếp" adds the clerk's seal; a wrong PIN says so in Vietnamese with the tries-left state and
// writes nothing; an existing signed copy is never overwritten without asking.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, CLERK_TOKEN, testToken } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, expectPrefix, qpdfCheck } from '../support/signed-output.js';
import { appForEachTest, type AppSession, screenshot } from './support/app-session.js';
import { writeDecision } from './support/documents.js';
import {
  boxRect,
  chooseCertificate,
  dragBox,
  dropPdf,
  expectNear,
  openPdf,
  signWithPin,
  signedOutput,
} from './support/screen-actions.js';
import { signatureWidgets } from './support/signature-widgets.js';

const CHAIRMAN = 'Nguyễn Thị Hồng Nhung';
const AGENCY = 'UBND phường Đoàn Kết';

let app: AppSession;
// A fresh app for each test, closed after it with no page error allowed; the browser shared.
appForEachTest((opened) => (app = opened));

describe('Ký văn bản', () => {
  it('signs with the personal template where the box was dragged, valid for Kyso and pdfsig', async () => {
    const { page } = app;
    const input = path.join(app.files, 'quyet-dinh.pdf');
    writeDecision(input);
    await screenshot(page, 'sign-empty');
    await openPdf(app, input);
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    // The box is proposed under "CHỦ TỊCH", in the lower half of the page.
    const proposed = await boxRect(page);
    expect(proposed.y).toBeGreaterThan(842 / 2);
    const dropped = await dragBox(page, -140, 60);
    expectNear(await boxRect(page), dropped, 0.5);
    await page.waitForTimeout(600); // the live preview of the real appearance follows the box's size
    await screenshot(page, 'sign-document');

    await signWithPin(page, testToken(CHAIRMAN_TOKEN).pin);
    const output = await signedOutput(page);
    expect(output).toBe(path.join(app.files, 'quyet-dinh-da-ky.pdf'));
    await page.getByTestId('sign-result').getByText('Hợp lệ').waitFor();
    await screenshot(page, 'sign-result');

    const widgets = await signatureWidgets(output);
    expect(widgets).toHaveLength(1);
    expect(widgets[0]?.page).toBe(1);
    expectNear(widgets[0]!.rect, dropped, 2);
    expectPrefix(input, output);
    await qpdfCheck(output);
    await expectKysoVerifies(output);
    await expectPdfsigValid(output, 1);
  });

  it('places the widget where the box was dropped on a page turned by /Rotate 90', async () => {
    const { page } = app;
    const input = path.join(app.files, 'xoay.pdf');
    copyFileSync(path.join(app.assets, 'pdf/rotated-90.pdf'), input);
    await openPdf(app, input);
    // Shown landscape: the display size is the page's size turned.
    const frame = page.locator('.page-frame');
    const size = await frame.boundingBox();
    expect(size!.width).toBeGreaterThan(size!.height);
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    // Proposed under "CHỦ TỊCH", which this page shows turned upright like the rest of it.
    const proposed = await boxRect(page);
    const dragged = await dragBox(page, -120, -50);
    expect(dragged.x).not.toBeCloseTo(proposed.x, 0);
    // Then nudged with the keyboard: Shift+arrow moves it 10 pt.
    await page.getByTestId('signature-box').focus();
    await page.keyboard.press('Shift+ArrowDown');
    const dropped = { ...dragged, y: dragged.y + 10 };
    expectNear(await boxRect(page), dropped, 0.5);
    await page.waitForTimeout(600);
    await screenshot(page, 'sign-rotated');
    await signWithPin(page, testToken(CHAIRMAN_TOKEN).pin);
    const output = await signedOutput(page);

    const widgets = await signatureWidgets(output);
    expect(widgets).toHaveLength(1);
    expectNear(widgets[0]!.rect, dropped, 2);
    await qpdfCheck(output);
    await expectKysoVerifies(output);
    await expectPdfsigValid(output, 1);
  });

  it('"Ký tiếp" adds the agency seal on the signed file; both signatures stay valid', async () => {
    const { page } = app;
    const input = path.join(app.files, 'quyet-dinh.pdf');
    writeDecision(input);
    await openPdf(app, input);
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    await signWithPin(page, testToken(CHAIRMAN_TOKEN).pin);
    const first = await signedOutput(page);

    await page.getByRole('button', { name: 'Ký tiếp' }).click();
    // The signed file stays open, with the seal template chosen.
    await expect(page.getByRole('radio', { name: /Con dấu cơ quan/ }).isChecked()).resolves.toBe(true);
    await expect(page.locator('.file-name').first().innerText()).resolves.toContain('quyet-dinh-da-ky.pdf');
    await chooseCertificate(page, AGENCY, CLERK_TOKEN);
    await page.getByTestId('signature-box').waitFor();
    await page.waitForTimeout(600);
    await screenshot(page, 'sign-seal');
    await signWithPin(page, testToken(CLERK_TOKEN).pin);
    const second = await signedOutput(page);
    expect(second).not.toBe(first);
    const result = page.getByTestId('sign-result');
    await expect(result.getByText('Hợp lệ').count()).resolves.toBe(2);
    await screenshot(page, 'sign-seal-result');

    expect(await signatureWidgets(second)).toHaveLength(2);
    expectPrefix(first, second);
    await qpdfCheck(second);
    await expectKysoVerifies(second);
    await expectPdfsigValid(second, 2);
  });

  it('a wrong PIN shows the Vietnamese message and the tries-left state, and writes nothing', async () => {
    const { page } = app;
    const input = path.join(app.files, 'quyet-dinh.pdf');
    writeDecision(input);
    copyFileSync(input, path.join(app.files, 'ban-sao.pdf'));
    const before = readdirSync(app.files).sort();
    // Opened by drag and drop this time.
    await dropPdf(app, input);
    await expect(page.locator('.file-name').first().innerText()).resolves.toContain('quyet-dinh.pdf');
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    await signWithPin(page, '000000');

    const dialog = page.getByTestId('pin-dialog');
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toContain('Mã PIN không đúng.');
    await expect(alert.innerText()).resolves.toContain('PKCS11_PIN_INCORRECT');
    // SoftHSM reports a low count after a wrong PIN: the dialog says so, and the field is empty.
    await expect(dialog.getByTestId('pin-state').getAttribute('data-state')).resolves.toBe('count-low');
    await expect(dialog.getByTestId('pin-state').innerText()).resolves.toContain('số lần thử còn lại thấp');
    await expect(page.getByLabel('Mã PIN', { exact: true }).inputValue()).resolves.toBe('');
    await screenshot(page, 'sign-pin-wrong');

    expect(readdirSync(app.files).sort()).toEqual(before);
    expect(existsSync(path.join(app.files, 'quyet-dinh-da-ky.pdf'))).toBe(false);
    // The PIN reached neither the host's nor the engine's output.
    const { stdout, stderr } = app.host.output();
    expect(stdout + stderr).not.toContain('000000');

    await page.getByRole('button', { name: 'Hủy' }).click();
    await expect(dialog.count()).resolves.toBe(0);
  });

  it('never overwrites an existing signed copy without asking: "Hủy" changes nothing, "Ghi đè" replaces it', async () => {
    const { page } = app;
    const input = path.join(app.files, 'quyet-dinh.pdf');
    const existing = path.join(app.files, 'quyet-dinh-da-ky.pdf');
    writeDecision(input);
    await openPdf(app, input);
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    // The screen proposed a free name; a copy appears under it before the chairman signs (a
    // colleague's, or one chosen with "Lưu thành…"): here, the unsigned decision itself.
    copyFileSync(input, existing);
    const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
    const original = sha(input);
    const before = readdirSync(app.files).sort();

    await signWithPin(page, testToken(CHAIRMAN_TOKEN).pin);
    const ask = page.getByRole('alertdialog');
    await ask.waitFor();
    await expect(ask.innerText()).resolves.toContain('đã có. Ghi đè lên tệp này?');
    await screenshot(page, 'sign-confirm-overwrite');
    await ask.getByRole('button', { name: 'Hủy' }).click();
    await expect(ask.count()).resolves.toBe(0);
    // Nothing written, nothing left behind, both files as they were.
    expect(readdirSync(app.files).sort()).toEqual(before);
    expect(sha(existing)).toBe(original);
    expect(sha(input)).toBe(original);

    await signWithPin(page, testToken(CHAIRMAN_TOKEN).pin);
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Ghi đè' }).click();
    // The PIN is asked again: it was not kept after the first attempt.
    await expect(page.getByLabel('Mã PIN', { exact: true }).inputValue()).resolves.toBe('');
    await page.getByLabel('Mã PIN', { exact: true }).fill(testToken(CHAIRMAN_TOKEN).pin);
    await page.getByRole('button', { name: 'Ký', exact: true }).click();
    expect(await signedOutput(page)).toBe(existing);
    expect(readdirSync(app.files).sort()).toEqual(before);
    expect(sha(input)).toBe(original);
    expectPrefix(input, existing);
    await qpdfCheck(existing);
    await expectKysoVerifies(existing);
    await expectPdfsigValid(existing, 1);
  });

  it('a token at its final PIN try needs an explicit confirmation before the PIN is sent', async () => {
    const { page } = app;
    // SoftHSM never reports CKF_USER_PIN_FINAL_TRY (real tokens do): the token state the host sends
    // is rewritten on the wire, the only part not real here. Signing itself is SoftHSM's.
    const label = testToken(CHAIRMAN_TOKEN).label;
    const finalTry = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(finalTry);
      if (typeof value !== 'object' || value === null) return value;
      const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finalTry(v)]));
      return 'pinState' in out && out['label'] === label ? { ...out, pinState: 'final-try' } : out;
    };
    await page.routeWebSocket(/\/__kyso\/ws/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => ws.send(typeof m === 'string' ? JSON.stringify(finalTry(JSON.parse(m))) : m));
    });
    await page.reload();
    await page.locator('[data-ready]').waitFor();
    const input = path.join(app.files, 'quyet-dinh.pdf');
    writeDecision(input);
    await openPdf(app, input);
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    await page.getByRole('button', { name: 'Ký văn bản', exact: true }).last().click();
    const dialog = page.getByTestId('pin-dialog');
    await expect(dialog.getByTestId('pin-state').getAttribute('data-state')).resolves.toBe('final-try');
    await expect(dialog.getByTestId('pin-state').innerText()).resolves.toContain('Chỉ còn MỘT lần thử');
    await page.getByLabel('Mã PIN', { exact: true }).fill(testToken(CHAIRMAN_TOKEN).pin);
    const sign = page.getByRole('button', { name: 'Ký', exact: true });
    await expect(sign.isDisabled()).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    // Neither the button nor Enter sent anything: no signed copy.
    expect(existsSync(path.join(app.files, 'quyet-dinh-da-ky.pdf'))).toBe(false);
    await screenshot(page, 'sign-pin-final-try');
    await dialog.getByRole('checkbox').check();
    await expect(sign.isDisabled()).resolves.toBe(false);
    await sign.click();
    const output = await signedOutput(page);
    await qpdfCheck(output);
    await expectKysoVerifies(output);
    await expectPdfsigValid(output, 1);
  });
});
