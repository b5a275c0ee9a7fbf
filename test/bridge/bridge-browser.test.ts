// The bridge as a web one-stop system's page meets it in a real browser (Debian's chromium, driven by
// playwright-core): once the local CA is trusted the way the README tells IT staff (NSS database in
// $HOME/.pki/nssdb, certutil -t "C,,"), a page of the allowed origin opens wss://127.0.0.1 without a
// warning and gets a document signed and delivered; without that trust, and from any other origin,
// the connection fails. The browser's own Origin header is what the bridge checks.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldSignerIdentity, startBridge, type RunningBridge } from '../../src/signing/bridge-api.js';
import { openP12 } from '../../src/signing/identities-api.js';
import { pkiFile } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid } from '../support/signed-output.js';
import { startWebSystem, type WebSystem } from './web-system.js';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
let web: WebSystem;
let bridge: RunningBridge;
let decisionUrl: string;
const asked: string[] = [];

/** The page script: one request, the reply (or "error" when the connection fails). */
const PAGE = `<!doctype html><meta charset="utf-8"><title>Một cửa</title><script>
window.askBridge = (url, body) => new Promise((resolve) => {
  const ws = new WebSocket(url);
  ws.onopen = () => ws.send(JSON.stringify(body));
  ws.onmessage = (e) => { resolve(JSON.parse(e.data)); ws.close(); };
  ws.onerror = () => resolve('error');
});
</script>`;

async function launch(home: string): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox'],
    env: { ...process.env, HOME: home },
  });
}

async function askFrom(browser: Browser, pageUrl: string, endpoint: string, body: unknown): Promise<unknown> {
  const page = await browser.newPage();
  try {
    await page.goto(pageUrl);
    return await page.evaluate(
      ([url, b]) =>
        (window as unknown as { askBridge: (u: string, b: unknown) => Promise<unknown> }).askBridge(url, b),
      [`wss://127.0.0.1:${bridge.port}/${endpoint}`, body] as const,
    );
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-bridge-browser-'));
  const decision = path.join(dir, 'decision.pdf');
  execFileSync(process.execPath, [path.join(root, 'fixtures/documents/make-decision.mjs'), decision]);
  web = await startWebSystem();
  decisionUrl = web.serve('quyet-dinh.pdf', readFileSync(decision));
  web.serve('page.html', PAGE, 'text/html; charset=utf-8');
  bridge = await startBridge({
    mode: 'tls',
    port: 0,
    home: path.join(dir, 'kyso-home'),
    allowedOrigins: [web.origin],
    identity: heldSignerIdentity(await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12')),
    confirm: (request) => {
      asked.push(request.origin);
      return Promise.resolve(true);
    },
    lang: 'en',
  });
}, 120_000);

afterAll(async () => {
  await bridge?.close();
  await web?.close();
  if (!process.env['KYSO_KEEP_FIXTURES']) rmSync(dir, { recursive: true, force: true });
});

describe('a real browser', () => {
  it('trusting the local CA as the README says, a page of the allowed origin gets a document signed', async () => {
    const home = path.join(dir, 'trusting-user');
    const nssdb = path.join(home, '.pki', 'nssdb');
    mkdirSync(nssdb, { recursive: true });
    execFileSync('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password']);
    execFileSync('certutil', [
      '-A',
      '-d',
      `sql:${nssdb}`,
      '-t',
      'C,,',
      '-n',
      'Kyso bridge',
      '-i',
      bridge.certificate!.caPath,
    ]);
    const browser = await launch(home);
    try {
      const page = `${web.origin}/files/page.html`;
      const reply = await askFrom(browser, page, 'SignApproved', {
        FileUploadHandler: `${web.origin}/upload`,
        SessionId: 'browser-session',
        JWTToken: 'browser-jwt',
        FileName: decisionUrl,
        MetaData: [],
      });
      expect(reply).toMatchObject({ Status: 0, FileName: 'stored-1.pdf' });
      // The browser's own Origin header is what the bridge saw.
      expect(asked).toEqual([web.origin]);
      const signed = path.join(dir, 'signed.pdf');
      writeFileSync(signed, web.uploads[0]!.bytes);
      await expectKysoVerifies(signed);
      await expectPdfsigValid(signed, 1);
      // The same page served from another origin (localhost instead of 127.0.0.1) is refused.
      const other = await askFrom(browser, page.replace('127.0.0.1', 'localhost'), 'GetCertInfo', {});
      expect(other).toBe('error');
    } finally {
      await browser.close();
    }
  });

  it('without the trusted CA the browser refuses the connection', async () => {
    const home = path.join(dir, 'other-user');
    mkdirSync(home, { recursive: true });
    const browser = await launch(home);
    try {
      expect(await askFrom(browser, `${web.origin}/files/page.html`, 'GetCertInfo', {})).toBe('error');
    } finally {
      await browser.close();
    }
  });
});
