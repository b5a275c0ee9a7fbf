// "Ký hàng loạt" in the browser, with the real services and SoftHSM: a batch of 20 with one broken
// file shows its progress, writes 19 valid copies (Kyso, pdfsig, qpdf) and explains the broken one;
// the app killed in the middle of a batch and started again offers it, and resuming signs the rest
// without signing anything twice.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CHAIRMAN_TOKEN, pkiFile, testToken } from '../support/fixtures.js';
import { expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { loadTrustStore, verifyPdf } from '../../src/signing/verify-api.js';
import { closeBrowser, openApp, screenshot, type AppSession } from './support/app-session.js';
import { writeDecision } from './support/documents.js';
import { chooseCertificate } from './support/screen-actions.js';

const CHAIRMAN = 'Nguyễn Thị Hồng Nhung';
let app: AppSession | null = null;

afterEach(async () => {
  if (!app) return;
  expect(app.pageErrors).toEqual([]);
  await app.close();
  app = null;
});

afterAll(closeBrowser);

/** `count` decisions in files/NAME, and `broken` files that only look like PDFs. */
function folderOf(session: AppSession, name: string, count: number, broken: readonly string[] = []): string {
  const dir = path.join(session.files, name);
  mkdirSync(dir, { recursive: true });
  const first = path.join(dir, 'qd-001.pdf');
  writeDecision(first);
  for (let i = 2; i <= count; i++)
    copyFileSync(first, path.join(dir, `qd-${String(i).padStart(3, '0')}.pdf`));
  for (const b of broken) writeFileSync(path.join(dir, b), 'Đây là một bức thư, không phải tệp PDF.\n');
  return dir;
}

async function startBatch(session: AppSession, folder: string): Promise<void> {
  const { page } = session;
  await page.getByRole('button', { name: 'Ký hàng loạt' }).first().click();
  await session.host.answerDialog('openFolder', folder);
  await page.getByRole('button', { name: 'Thêm thư mục…' }).click();
  await page.getByTestId('batch-inputs').getByText(folder).waitFor();
  await expect(page.getByTestId('batch-out-dir').innerText()).resolves.toBe(path.join(folder, 'da-ky'));
  await page.getByLabel('Đặt chữ ký dưới dòng chữ').fill('CHỦ TỊCH');
  await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
  await page.getByRole('button', { name: 'Ký hàng loạt', exact: true }).last().click();
  await page.getByLabel('Mã PIN', { exact: true }).fill(testToken(CHAIRMAN_TOKEN).pin);
  await page.getByRole('button', { name: 'Ký', exact: true }).click();
}

/** Every PDF in `dir` has exactly one signature, valid for our verifier. */
async function signedOnce(dir: string): Promise<string[]> {
  const trust = await loadTrustStore({
    files: [pkiFile('root-ca.pem'), pkiFile('intermediate-ca.pem')],
    builtin: false,
    managed: false,
  });
  const outputs = readdirSync(dir).filter((n) => n.endsWith('.pdf'));
  for (const name of outputs) {
    const report = await verifyPdf({ input: path.join(dir, name), trust });
    expect(report.signatures, name).toHaveLength(1);
    expect(report.status, name).toBe('valid');
  }
  return outputs;
}

describe('Ký hàng loạt', () => {
  it('20 documents with one broken: progress, 19 valid copies, and the broken one explained', async () => {
    app = await openApp();
    const { page } = app;
    const folder = folderOf(app, 'lo-ky', 19, ['qd-020-hong.pdf']);
    await startBatch(app, folder);
    await page.getByTestId('batch-progress').waitFor({ timeout: 60_000 });
    const summary = page.getByTestId('batch-summary');
    await summary.waitFor({ timeout: 120_000 });
    await expect(summary.innerText()).resolves.toContain(
      'Đã ký 19, lỗi 1, chưa ký 0 trên tổng số 20 văn bản.',
    );

    await page.getByRole('button', { name: 'Lỗi (1)' }).click();
    const failed = page.getByTestId('batch-document');
    await expect(failed.count()).resolves.toBe(1);
    const row = await failed.innerText();
    expect(row).toContain('qd-020-hong.pdf');
    expect(row).toContain('PDF_NOT_PDF');
    expect(row).toMatch(/không phải/i);
    await screenshot(page, 'batch-failed');
    await page.getByRole('button', { name: 'Tất cả (20)' }).click();
    await screenshot(page, 'batch');

    const out = path.join(folder, 'da-ky');
    const outputs = await signedOnce(out);
    expect(outputs).toHaveLength(19);
    for (const name of outputs) {
      await expectPdfsigValid(path.join(out, name), 1);
      await qpdfCheck(path.join(out, name));
    }

    // The report, exported as CSV where the save dialog says.
    const csv = path.join(app.files, 'bao-cao.csv');
    await app.host.answerDialog('saveAs', csv);
    await page.getByRole('button', { name: 'Xuất báo cáo CSV' }).click();
    await page.getByText(`Đã lưu báo cáo: ${csv}`).waitFor();
    expect(readFileSync(csv, 'utf8')).toContain('qd-020-hong.pdf');
    const { stdout, stderr } = app.host.output();
    expect(stdout + stderr).not.toContain(testToken(CHAIRMAN_TOKEN).pin);
  });

  it('the app killed in the middle of a batch offers it after a restart; resuming signs nothing twice', async () => {
    app = await openApp();
    const folder = folderOf(app, 'lo-lon', 40);
    await startBatch(app, folder);
    // Killed once a few documents are signed.
    await app.page
      .getByTestId('batch-count')
      .filter({ hasText: /^([3-9]|[1-3]\d)\/40/ })
      .waitFor({ timeout: 120_000 });
    app = await app.restart();
    const { page } = app;

    await page.getByRole('button', { name: 'Ký hàng loạt' }).first().click();
    const banner = page.getByTestId('batch-unfinished');
    await banner.waitFor({ timeout: 60_000 });
    const text = await banner.innerText();
    const signedBefore = Number(/\((\d+)\/40 đã ký/.exec(text)?.[1]);
    expect(signedBefore).toBeGreaterThanOrEqual(3);
    expect(signedBefore).toBeLessThan(40);
    await screenshot(page, 'batch-unfinished');

    await chooseCertificate(page, CHAIRMAN, CHAIRMAN_TOKEN);
    await banner.getByRole('button', { name: 'Ký tiếp lô này' }).click();
    await page.getByLabel('Mã PIN', { exact: true }).fill(testToken(CHAIRMAN_TOKEN).pin);
    await page.getByRole('button', { name: 'Ký', exact: true }).click();
    const summary = page.getByTestId('batch-summary');
    await summary.waitFor({ timeout: 120_000 });
    await expect(summary.innerText()).resolves.toContain(
      'Đã ký 40, lỗi 0, chưa ký 0 trên tổng số 40 văn bản.',
    );
    // Those signed before the crash are marked so, and each output carries exactly one signature.
    await expect(page.getByText('ký ở lần chạy trước').count()).resolves.toBeGreaterThan(0);
    expect(await signedOnce(path.join(folder, 'da-ky'))).toHaveLength(40);
  });
});
