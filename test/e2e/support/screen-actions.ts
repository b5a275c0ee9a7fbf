// What a user does on the screens, in words a reader of the tests recognises.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppSession } from './app-session.js';
import type { DisplayRect } from './signature-widgets.js';

/** Opens `file` with "Mở tệp PDF" on the visible screen (the web host's dialog answers it). */
export async function openPdf(app: AppSession, file: string): Promise<void> {
  await app.host.answerDialog('openPdf', file);
  await app.page.getByRole('button', { name: 'Mở tệp PDF' }).click();
  await app.page.locator('.page-frame[data-shown]').waitFor();
}

/**
 * Drops `file` on the drop zone as a file manager would (a DOM File in a DataTransfer); the web
 * host finds it by name and size in its --files folder.
 */
export async function dropPdf(app: AppSession, file: string): Promise<void> {
  const dataTransfer = await app.page.evaluateHandle(
    ({ name, data }) => {
      // Runs in the page (this project's test code is typed for Node, without the DOM's types).
      const page = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
      };
      const dt = new page.DataTransfer();
      dt.items.add(new page.File([new Uint8Array(data)], name, { type: 'application/pdf' }));
      return dt;
    },
    { name: path.basename(file), data: [...readFileSync(file)] },
  );
  await app.page.locator('[data-testid=drop-zone]:visible').dispatchEvent('drop', { dataTransfer });
  await app.page.locator('.page-frame[data-shown]').waitFor();
}

export async function chooseCertificate(page: Page, holder: string, token: string): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(`${holder}.*${token}`) }).check();
}

/** The signature box's rectangle (display points) as the screen holds it. */
export async function boxRect(page: Page): Promise<DisplayRect> {
  const text = await page.getByTestId('signature-box').getAttribute('data-rect');
  return JSON.parse(text ?? 'null') as DisplayRect;
}

/**
 * Drags the signature box with the mouse by (dx, dy) CSS pixels, grabbing it at its centre, and
 * returns where it should land in points (the page's scale converts pixels to points).
 */
export async function dragBox(page: Page, dx: number, dy: number): Promise<DisplayRect> {
  const box = page.getByTestId('signature-box');
  const before = await boxRect(page);
  const scale = Number(await page.locator('.page-frame').getAttribute('data-scale'));
  const b = await box.boundingBox();
  if (!b) throw new Error('the signature box is not on screen');
  const x = b.x + b.width / 2;
  const y = b.y + b.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
  await page.mouse.move(x + dx, y + dy, { steps: 5 });
  await page.mouse.up();
  return { ...before, x: before.x + dx / scale, y: before.y + dy / scale };
}

/** "Ký văn bản", then the PIN in the "Mã PIN" field and "Ký". */
export async function signWithPin(page: Page, pin: string): Promise<void> {
  await page.getByRole('button', { name: 'Ký văn bản', exact: true }).last().click();
  await page.getByLabel('Mã PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Ký', exact: true }).click();
}

export async function signedOutput(page: Page): Promise<string> {
  const result = page.getByTestId('sign-result');
  await result.waitFor({ timeout: 60_000 });
  return (await result.getByTestId('output-path').innerText()).trim();
}

export function expectNear(actual: DisplayRect, expected: DisplayRect, tolerance: number): void {
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    expect(Math.abs(actual[k] - expected[k]), `${k}: ${actual[k]} vs ${expected[k]}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
}
