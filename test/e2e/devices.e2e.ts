// "Thiết bị ký" in the browser: the PKCS#11 library, the test tokens with their PIN state, and the
// certificates on each, read by the real services from SoftHSM; English when switched.
import { describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, CLERK_TOKEN, SOFTHSM_MODULE } from '../support/fixtures.js';
import { appForEachTest, type AppSession, screenshot } from './support/app-session.js';

let app: AppSession;
// A fresh app for each test, closed after it with no page error allowed; the browser shared.
appForEachTest((opened) => (app = opened));

describe('Thiết bị ký', () => {
  it('lists the test tokens, their certificates and PIN state', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Thiết bị ký' }).click();
    await page.getByTestId('token').first().waitFor({ timeout: 60_000 });

    // The catalogue may add other libraries found on the machine (OpenSC…): look at SoftHSM's.
    const module = page.getByTestId('module-card').filter({ hasText: SOFTHSM_MODULE });
    await expect(module.innerText()).resolves.toContain('Đã nạp');
    await expect(module.innerText()).resolves.toContain('biến môi trường');

    const chairman = module.locator(`[data-testid=token][data-label="${CHAIRMAN_TOKEN}"]`);
    await expect(chairman.getByTestId('token-pin-state').innerText()).resolves.toBe('Bình thường');
    const chairmanCerts = await chairman.getByTestId('certificate-row').allInnerTexts();
    expect(
      chairmanCerts.some(
        (r) => r.includes('Nguyễn Thị Hồng Nhung') && r.includes('Kyso Test Intermediate CA'),
      ),
    ).toBe(true);

    const clerk = module.locator(`[data-testid=token][data-label="${CLERK_TOKEN}"]`);
    const clerkCerts = await clerk.getByTestId('certificate-row').allInnerTexts();
    expect(clerkCerts.some((r) => r.includes('UBND phường Đoàn Kết'))).toBe(true);
    expect(clerkCerts.some((r) => r.includes('Lê Thị Ánh Tuyết'))).toBe(true);

    // Certificates the engine would refuse say why.
    const all = (await module.getByTestId('certificate-row').allInnerTexts()).join('\n');
    expect(all).toContain('Chứng thư số đã hết hạn');
    expect(all).toContain('Chứng thư số chưa đến ngày có hiệu lực');
    expect(all).toContain('Chứng thư số không dùng để ký');
    await screenshot(page, 'devices');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Signing devices' }).waitFor();
    await expect(chairman.getByTestId('token-pin-state').innerText()).resolves.toBe('OK');
    await expect(page.getByRole('button', { name: 'Sign document' }).count()).resolves.toBe(1);
    await screenshot(page, 'devices-en');
  });
});
