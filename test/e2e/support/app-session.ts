// One run of the app as a user sees it: the real web host (real services, engine process, SoftHSM
// test tokens) in its own data folder, and Debian's chromium driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { SOFTHSM_MODULE, freshTokens, pkiFile } from '../../support/fixtures.js';
import { startWebHost, type StartedWebHost } from '../../support/web-host.js';

const root = path.resolve(import.meta.dirname, '../../..');
/** Screenshots of every screen, for people to look at (git-ignored). */
export const SCREENS_DIR = path.join(root, '.tmp/screens');

export interface AppSession {
  readonly page: Page;
  readonly host: StartedWebHost;
  /** The --files folder: documents the tests open, and where signed outputs land by default. */
  readonly files: string;
  readonly home: string;
  /** Pages of every shape with a "CHỦ TỊCH" block (fixtures/appearance/make-assets.mjs): pdf/rotated-90.pdf… */
  readonly assets: string;
  /** Uncaught errors and console errors of the page (a CSP violation shows up here). */
  readonly pageErrors: string[];
  close(): Promise<void>;
  /**
   * The app dies (its host SIGKILLed, the engine with it) and is started again on the same data
   * folder, files and tokens, in a new window: what a crash and a restart look like to the user.
   */
  restart(): Promise<AppSession>;
}

/** The handwritten signature and the seal, drawn by the committed fixture script. */
function appearanceAssets(dir: string): { dir: string; signature: string; seal: string } {
  const out = path.join(dir, 'assets');
  execFileSync(process.execPath, [path.join(root, 'fixtures/appearance/make-assets.mjs'), out], {
    stdio: 'ignore',
  });
  return {
    dir: out,
    signature: path.join(out, 'images/signature.png'),
    seal: path.join(out, 'images/seal.png'),
  };
}

/** A certificate's stored image, as the engine looks for it: images/<certificate SHA-256>/<kind>.png. */
function storeImage(home: string, identity: string, kind: 'signature' | 'seal', image: string): void {
  const sha = createHash('sha256')
    .update(readFileSync(pkiFile(`${identity}.cert.der`)))
    .digest('hex');
  mkdirSync(path.join(home, 'images', sha), { recursive: true });
  copyFileSync(image, path.join(home, 'images', sha, `${kind}.png`));
}

let browser: Browser | null = null;

async function sharedBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

export async function openApp(): Promise<AppSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-e2e-'));
  const files = path.join(dir, 'files');
  const home = path.join(dir, 'home');
  mkdirSync(files);
  mkdirSync(path.join(home, 'trust'), { recursive: true });
  // The test root is trusted, the intermediate completes chains of tokens that do not hold it, and
  // revocation is not fetched (no OCSP responder runs here): verdicts are about the signatures.
  copyFileSync(pkiFile('root-ca.der'), path.join(home, 'trust', 'root-ca.der'));
  writeFileSync(
    path.join(home, 'settings.json'),
    JSON.stringify({ intermediates: [pkiFile('intermediate-ca.der')], revocation: { mode: 'offline' } }),
  );
  const assets = appearanceAssets(dir);
  storeImage(home, 'chairman-rsa2048', 'signature', assets.signature);
  storeImage(home, 'agency-rsa3072', 'seal', assets.seal);
  const tokens = freshTokens();
  return await startSession({ dir, files, home, assets: assets.dir, tokens });
}

interface SessionFolders {
  readonly dir: string;
  readonly files: string;
  readonly home: string;
  readonly assets: string;
  readonly tokens: { readonly conf: string; readonly dir: string };
}

async function startSession(folders: SessionFolders): Promise<AppSession> {
  const { dir, files, home, tokens } = folders;
  const host = await startWebHost({
    home,
    files,
    env: { SOFTHSM2_CONF: tokens.conf, KYSO_PKCS11_MODULE: SOFTHSM_MODULE, KYSO_LANG: '' },
  });
  const context = await (await sharedBrowser()).newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(host.url);
  await page.locator('[data-ready]').waitFor();
  return {
    page,
    host,
    files,
    home,
    assets: folders.assets,
    pageErrors,
    async close() {
      await context.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(tokens.dir, { recursive: true, force: true });
    },
    async restart() {
      await host.kill();
      await context.close();
      return await startSession(folders);
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  // A page on screen is drawn before the picture is taken.
  if ((await page.locator('.page-frame:visible').count()) > 0)
    await page.locator('.page-frame:visible[data-shown]').waitFor();
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`) });
}

/**
 * A fresh app for each test of the file (given to `set` before the test), closed after it; a test
 * fails if its page logged an error or broke a CSP rule. The browser is closed after the file.
 */
export function appForEachTest(set: (app: AppSession) => void): void {
  let current: AppSession | null = null;
  beforeEach(async () => {
    current = await openApp();
    set(current);
  });
  afterEach(async () => {
    const app = current;
    current = null;
    if (app === null) return;
    try {
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
  afterAll(closeBrowser);
}
