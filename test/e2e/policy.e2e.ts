// The machine policy in the app (issue 14 point 4), in the browser against the real web host: a
// policy.json (KYSO_POLICY, in a temporary folder) locks the one-stop server and the bridge's port;
// the outbox and devices screens show those controls disabled with IT staff's reason, a request to
// change them through the contract (the host's wire protocol, as the renderer speaks it) is refused
// with SETTING_LOCKED, and a broken policy file shows the POLICY_INVALID banner.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WIRE_PATH, decodeWire, encodeWire, type Result } from '../../src/shared/contract/index.js';
import { closeBrowser, openApp, screenshot, type AppSession } from './support/app-session.js';

const previous = process.env['KYSO_POLICY'];
let dir = '';
let policyFile = '';
let app: AppSession | null = null;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-e2e-policy-'));
  policyFile = path.join(dir, 'policy.json');
  // The web host (and its engine process) inherits it.
  process.env['KYSO_POLICY'] = policyFile;
});

afterEach(async () => {
  if (app) {
    expect(app.pageErrors).toEqual([]);
    await app.close();
    app = null;
  }
});

afterAll(async () => {
  await closeBrowser();
  if (previous === undefined) delete process.env['KYSO_POLICY'];
  else process.env['KYSO_POLICY'] = previous;
  rmSync(dir, { recursive: true, force: true });
});

/** One call over the host's wire protocol, as the renderer makes it. */
async function wireCall(session: AppSession, channel: string, request: unknown): Promise<Result<unknown>> {
  const { host } = session;
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${WIRE_PATH}?token=${host.token}`, {
    origin: host.origin,
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    return await new Promise<Result<unknown>>((resolve) => {
      ws.on('message', (data) => {
        const m = decodeWire(String(data)) as { type: string; callId?: string; result?: Result<unknown> };
        if (m.type === 'result' && m.callId === 'p1' && m.result) resolve(m.result);
      });
      ws.send(encodeWire({ type: 'call', callId: 'p1', channel, request }));
    });
  } finally {
    ws.close();
  }
}

async function goTo(page: Page, screen: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: screen, exact: true }).click();
}

describe('a policy that locks settings', () => {
  it('shows them locked with the reason; the contract refuses a change', async () => {
    writeFileSync(
      policyFile,
      JSON.stringify({
        settings: {
          upload: { adapter: 'rest', server: 'https://motcua.example.gov.vn/api' },
          bridge: { port: 9123 },
        },
        locked: {
          'upload.server': 'Máy chủ một cửa của tỉnh',
          'bridge.port': 'Cổng do bộ phận CNTT cấp',
        },
      }),
    );
    app = await openApp();
    const { page } = app;

    await goTo(page, 'Gửi hồ sơ');
    const upload = page.getByTestId('upload-settings');
    const server = upload.getByLabel('Địa chỉ hệ thống một cửa');
    await expect.poll(() => server.isDisabled()).toBe(true);
    // The lock (policy.get) and the value (upload.settings.get) arrive separately: wait for both.
    await expect.poll(() => server.inputValue()).toBe('https://motcua.example.gov.vn/api');
    const note = upload.locator('[data-testid=locked-note][data-key="upload.server"]');
    await expect(note.innerText()).resolves.toContain(
      'Bộ phận CNTT đã khóa cài đặt này (chính sách của máy): Máy chủ một cửa của tỉnh',
    );
    // Saving the destination sends the value in force: accepted.
    await upload.getByRole('button', { name: 'Lưu nơi gửi' }).click();
    await upload.getByRole('status').filter({ hasText: 'Đã lưu.' }).waitFor();
    await screenshot(page, 'policy-locked-outbox');

    await goTo(page, 'Thiết bị ký');
    const bridge = page.getByTestId('bridge-settings');
    const port = bridge.locator('#bridge-port');
    await expect.poll(() => port.isDisabled()).toBe(true);
    await expect.poll(() => port.inputValue()).toBe('9123');
    await expect(
      bridge.locator('[data-testid=locked-note][data-key="bridge.port"]').innerText(),
    ).resolves.toContain('Cổng do bộ phận CNTT cấp');
    await bridge.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await bridge.getByRole('status').filter({ hasText: 'Đã lưu' }).waitFor();
    await screenshot(page, 'policy-locked-devices');

    // The same change asked through the contract directly is refused.
    const refused = await wireCall(app, 'upload.settings.set', { server: 'https://other.example.com/api' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('SETTING_LOCKED');
      expect(refused.error.message).toContain('Máy chủ một cửa của tỉnh');
    }
    const port2 = await wireCall(app, 'bridge.settings.set', {
      enabled: false,
      port: 9200,
      allowedOrigins: [],
    });
    expect(port2.ok ? 'accepted' : port2.error.code).toBe('SETTING_LOCKED');
    const view = await wireCall(app, 'upload.settings.get', {});
    expect(view.ok && (view.value as { server: string }).server).toBe('https://motcua.example.gov.vn/api');
  });
});

describe('a broken policy file', () => {
  it('shows the POLICY_INVALID banner on every screen', async () => {
    writeFileSync(policyFile, '{ "locked": [ "tsa", }');
    app = await openApp();
    const banner = app.page.getByTestId('policy-invalid');
    await banner.waitFor();
    await expect(banner.innerText()).resolves.toBe(
      `Tệp chính sách của máy (${policyFile}) không hợp lệ; Kyso đang chạy với cài đặt an toàn nhất. Hãy báo bộ phận CNTT.`,
    );
    await screenshot(app.page, 'policy-invalid');
  });
});
