// Token administration in the browser: "Đổi mã PIN" on the chairman's SoftHSM token. A mismatch is
// caught before the token is asked, a wrong current PIN shows the Vietnamese message, and after the
// change the old PIN is refused on the signing screen while the new one signs a document valid for
// Kyso, pdfsig and qpdf. No PIN reaches the host's or the engine's output.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, SOFTHSM_MODULE, testToken } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, expectPrefix, qpdfCheck } from '../support/signed-output.js';
import { appForEachTest, type AppSession, screenshot } from './support/app-session.js';
import { writeDecision } from './support/documents.js';
import { chooseCertificate, openPdf, signWithPin, signedOutput } from './support/screen-actions.js';

const CHAIRMAN = 'Nguyễn Thị Hồng Nhung';
const NEW_PIN = 'Moi-2468';
let app: AppSession;
// A fresh app for each test, closed after it with no page error allowed; the browser shared.
appForEachTest((opened) => (app = opened));

describe('Thiết bị ký: đổi mã PIN', () => {
  it('changes the PIN of a SoftHSM token; the old PIN is then refused and the new one signs', async () => {
    const { page } = app;
    const oldPin = testToken(CHAIRMAN_TOKEN).pin;
    await page.getByRole('button', { name: 'Thiết bị ký' }).click();
    const module = page.getByTestId('module-card').filter({ hasText: SOFTHSM_MODULE });
    const token = module.locator(`[data-testid=token][data-label="${CHAIRMAN_TOKEN}"]`);
    await token.waitFor({ timeout: 60_000 });

    // The two entries of the new PIN differ: said at once, the token is not asked.
    await token.getByTestId('change-pin').click();
    const dialog = page.getByTestId('change-pin-dialog');
    await dialog.getByLabel('Mã PIN hiện tại').fill(oldPin);
    await dialog.getByLabel('Mã PIN mới', { exact: true }).fill(NEW_PIN);
    await dialog.getByLabel('Nhập lại mã PIN mới').fill('Moi-2469');
    await dialog.getByRole('button', { name: 'Đổi mã PIN' }).click();
    await expect(dialog.getByTestId('change-pin-problem').innerText()).resolves.toContain('không khớp');
    await expect(dialog.getByLabel('Mã PIN hiện tại').inputValue()).resolves.toBe('');

    // A wrong current PIN: the token's answer in Vietnamese, with its code.
    await dialog.getByLabel('Mã PIN hiện tại').fill('99999999');
    await dialog.getByLabel('Mã PIN mới', { exact: true }).fill(NEW_PIN);
    await dialog.getByLabel('Nhập lại mã PIN mới').fill(NEW_PIN);
    await dialog.getByRole('button', { name: 'Đổi mã PIN' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    await expect(alert.innerText()).resolves.toContain('Mã PIN không đúng.');
    await expect(alert.innerText()).resolves.toContain('PKCS11_PIN_INCORRECT');
    // The card behind the dialog was read again: the token now says a try was spent.
    await token.getByTestId('token-pin-state').getByText('Đã nhập sai, còn ít lần thử').waitFor();

    // The right one.
    await dialog.getByLabel('Mã PIN hiện tại').fill(oldPin);
    await dialog.getByLabel('Mã PIN mới', { exact: true }).fill(NEW_PIN);
    await dialog.getByLabel('Nhập lại mã PIN mới').fill(NEW_PIN);
    await screenshot(page, 'devices-pin');
    await dialog.getByRole('button', { name: 'Đổi mã PIN' }).click();
    await page.getByTestId('change-pin-done').waitFor({ timeout: 60_000 });
    await expect(dialog.count()).resolves.toBe(0);

    // Signing: the old PIN is refused, the new one signs.
    await page.getByRole('button', { name: 'Ký văn bản' }).first().click();
    const input = path.join(app.files, 'quyet-dinh.pdf');
    writeDecision(input);
    await openPdf(app, input);
    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    await signWithPin(page, oldPin);
    const pinDialog = page.getByTestId('pin-dialog');
    await expect(pinDialog.getByRole('alert').innerText()).resolves.toContain('PKCS11_PIN_INCORRECT');
    await page.getByLabel('Mã PIN', { exact: true }).fill(NEW_PIN);
    await page.getByRole('button', { name: 'Ký', exact: true }).click();
    const output = await signedOutput(page);
    expectPrefix(input, output);
    await expectKysoVerifies(output);
    await expectPdfsigValid(output, 1);
    await qpdfCheck(output);

    const { stdout, stderr } = app.host.output();
    for (const pin of [oldPin, NEW_PIN, '99999999']) expect(stdout + stderr).not.toContain(pin);
  });
});
