// The desktop app's upload credential, end to end: the host (AppCore, as the Electron shell makes it)
// keeps it in the OS secret store through safeStorage (Electron's binary is what is mocked: a fake
// safeStorage with a real, reversible AES-256-GCM under a fixed key), and the REAL engine process
// (the compiled engine, forked) gets only its value over the engine protocol. Against the reference
// one-stop server: only encrypted bytes under KYSO_HOME, a flush delivers the signed document, a
// SIGKILLed engine is restarted with the credential pushed again, clearing it gives
// UPLOAD_CREDENTIAL_MISSING with the app's wording, and the credential is never in the engine
// process's command line or environment, nor in its stderr or any error.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppCore } from '../../src/main/app-core.js';
import {
  safeStorageVault,
  UPLOAD_CREDENTIAL_FILE,
  type SafeStorageLike,
} from '../../src/main/services/credential-vault.js';
import type { EngineSupervisor } from '../../src/main/engine/engine-supervisor.js';
import { startOnestopServer, type OnestopServer } from '../../src/onestop/onestop-server.js';
import type { Channel, Result, ResultOf, RequestOf } from '../../src/shared/contract/index.js';
import { sha256File } from '../../src/signing/upload/queue-document.js';
import { Secret } from '../../src/shared/secret.js';
import { DOSSIER, makeSignedResults, testTrust, trustTestRoot } from '../upload/upload-documents.js';
import { startEngine } from './app-support.js';
import { filesUnder } from '../support/files-under.js';

const TOKEN = 'vault-os-token-5d1e9b7c3a';
const KEY = Buffer.alloc(32, 7); // the fake OS's fixed key

/** Stands in for Electron's safeStorage: AES-256-GCM, "v10" prefix as Chromium writes it. */
function fakeSafeStorage(available: () => boolean, backend?: string): SafeStorageLike {
  return {
    isEncryptionAvailable: available,
    ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
    encryptString: (text) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', KEY, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
    },
    decryptString: (data) => {
      const decipher = createDecipheriv('aes-256-gcm', KEY, data.subarray(3, 15));
      decipher.setAuthTag(data.subarray(15, 31));
      return Buffer.concat([decipher.update(data.subarray(31)), decipher.final()]).toString('utf8');
    },
  };
}

const noDialogs = {
  openPdf: async () => null,
  openFolder: async () => null,
  openImage: async () => null,
  openCertificate: async () => null,
  openLibrary: async () => null,
  saveAs: async () => null,
  showInFolder: async () => undefined,
};

let root: string;
let home: string;
let server: OnestopServer;
let docs: string[];
let engine: EngineSupervisor;
let stderr: () => string;
let core: AppCore;
const restarts: string[] = [];
let calls = 0;

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResultOf<C>>> {
  return (await core.invoke(`v${++calls}`, channel, request)) as Result<ResultOf<C>>;
}

async function ok<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResultOf<C>> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** The credential's plain forms (UTF-8, base64, UTF-16) in no file under `dir`. */
function expectNowhereUnder(dir: string): void {
  const files = filesUnder(dir);
  expect(files.some((f) => f.endsWith(UPLOAD_CREDENTIAL_FILE) || f.endsWith('outbox.sqlite'))).toBe(true);
  const needles = [
    TOKEN,
    Buffer.from(TOKEN).toString('base64'),
    Buffer.from(TOKEN, 'utf16le').toString('latin1'),
  ];
  for (const file of files) {
    const content = readFileSync(file).toString('latin1');
    for (const needle of needles)
      expect(content.includes(needle), `${file} holds the credential`).toBe(false);
  }
}

/** The engine process's command line and environment, as `ps` and /proc show them. */
function expectNotInProcess(pid: number | undefined, dataFolder = home): void {
  expect(pid).toBeGreaterThan(0);
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
  const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  expect(cmdline).toContain('engine-main.js'); // it is the engine that is read
  expect(environ).toContain(`KYSO_HOME=${dataFolder}`);
  expect(cmdline).not.toContain(TOKEN);
  expect(environ).not.toContain(TOKEN);
}

async function deliveredCount(file: string): Promise<number> {
  const { sha256 } = await sha256File(file);
  return server.stats().byDocument[sha256] ?? 0;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-vault-'));
  home = path.join(root, 'home');
  trustTestRoot(home);
  docs = await makeSignedResults(path.join(root, 'docs'), 4, 'ho-so');
  server = await startOnestopServer({
    dataDir: path.join(root, 'onestop'),
    tokens: [TOKEN],
    trust: testTrust(),
  });
  const env = { ...process.env, KYSO_HOME: home };
  delete env['KYSO_UPLOAD_TOKEN'];
  ({ engine, stderr } = startEngine(env, (reason) => restarts.push(reason)));
  core = new AppCore({
    engine,
    dialogs: noDialogs,
    language: 'vi',
    webHost: false,
    vault: safeStorageVault(
      fakeSafeStorage(() => true),
      path.join(home, UPLOAD_CREDENTIAL_FILE),
    ),
  });
}, 120_000);

afterAll(async () => {
  engine?.dispose();
  await server?.close();
});

describe('the upload credential in the OS secret store, through the host to the engine process', () => {
  it('is stored by the host encrypted only, and the engine reports it stored in the OS store', async () => {
    const view = await ok('upload.settings.set', {
      adapter: 'rest',
      server: server.url,
      credential: { set: `  ${TOKEN}\n` },
    });
    expect(view).toMatchObject({ server: server.url, credential: 'stored', credentialStore: 'os' });
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    const file = path.join(home, UPLOAD_CREDENTIAL_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const encrypted = readFileSync(file);
    expect(encrypted.subarray(0, 3).toString()).toBe('v10');
    // What is on disk is the OS's ciphertext of the trimmed credential, nothing else.
    expect(fakeSafeStorage(() => true).decryptString(encrypted)).toBe(TOKEN);
    // The destination was saved by the engine, without the credential.
    expect(readFileSync(path.join(home, 'app-upload.json'), 'utf8')).not.toContain(TOKEN);
    expect(await ok('upload.settings.get', {})).toEqual(view);
  });

  it('a flush delivers the signed document with it; nowhere in KYSO_HOME, argv or environment', async () => {
    const queued = await ok('outbox.queue', { path: docs[0]!, dossierCode: DOSSIER });
    expect(queued.item.state).toBe('queued');
    expect(await ok('outbox.flush', {})).toMatchObject({ delivered: 1, failed: 0 });
    expect(await deliveredCount(docs[0]!)).toBe(1);
    // The server verified the signature on receipt.
    const { sha256 } = await sha256File(docs[0]!);
    const receipt = server.store.receipts().find((r) => r.sha256 === sha256);
    expect(receipt?.signatures.map((s) => s.status)).toEqual(['valid']);
    expectNowhereUnder(home);
    expectNotInProcess(engine.pid);
  });

  it('after SIGKILL of the engine process, the restarted one gets the credential again and delivers', async () => {
    const before = engine.pid;
    expect(before).toBeGreaterThan(0);
    process.kill(before!, 'SIGKILL');
    await vi.waitFor(() => expect(restarts).toHaveLength(1), { timeout: 30_000, interval: 50 });
    expect(restarts[0]).toContain('SIGKILL');
    expect(engine.pid).not.toBe(before);
    expect((await ok('upload.settings.get', {})).credential).toBe('stored');
    await ok('outbox.queue', { path: docs[1]!, dossierCode: DOSSIER });
    expect(await ok('outbox.flush', {})).toMatchObject({ delivered: 1, failed: 0 });
    expect(await deliveredCount(docs[1]!)).toBe(1);
    expect(await deliveredCount(docs[0]!)).toBe(1); // nothing delivered twice
    expectNotInProcess(engine.pid);
  });

  it('a credential sent to the engine past the host is refused there, without echoing it', async () => {
    const r = await engine.call('direct-1', 'upload.settings.set', { credential: { set: TOKEN } }, 'vi');
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(r)).not.toContain(TOKEN);
    // The engine still holds the host's value, not one given to it directly.
    expect((await ok('upload.settings.get', {})).credentialStore).toBe('os');
  });

  it('cleared: the file goes, and a flush says UPLOAD_CREDENTIAL_MISSING in the app wording; nothing sent', async () => {
    const view = await ok('upload.settings.set', { credential: { clear: true } });
    expect(view).toMatchObject({ credential: 'none', credentialStore: 'os' });
    expect(existsSync(path.join(home, UPLOAD_CREDENTIAL_FILE))).toBe(false);
    await ok('outbox.queue', { path: docs[2]!, dossierCode: DOSSIER });
    const requests = server.stats().requests;
    const r = await call('outbox.flush', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('UPLOAD_CREDENTIAL_MISSING');
    expect(r.error.message).toBe(
      'Chưa có khóa truy cập hệ thống một cửa: nhập khóa ở màn hình Gửi hồ sơ → Nơi gửi và khóa truy cập. Chưa gửi tệp nào.',
    );
    expect(r.error.message).not.toContain('KYSO_UPLOAD_TOKEN');
    expect(server.stats().requests).toBe(requests);
    expect(await deliveredCount(docs[2]!)).toBe(0);
    // Nothing of it in what the engine process wrote to stderr (the refused direct call included).
    expect(stderr()).toContain('internal error in upload.settings.set');
    expect(stderr()).not.toContain(TOKEN);
  });

  it('a blank credential is refused by the contract before anything is stored', async () => {
    const r = await call('upload.settings.set', { credential: { set: '   ' } });
    expect(r.ok || r.error.code).toBe('CONTRACT_INVALID_REQUEST');
    expect(existsSync(path.join(home, UPLOAD_CREDENTIAL_FILE))).toBe(false);
  });
});

describe('the Linux fallback store', () => {
  it("Chromium's basic_text (a key in its source) counts as no store: nothing written, the code says so", async () => {
    const file = path.join(root, 'basic-text.bin');
    const vault = safeStorageVault(
      fakeSafeStorage(() => true, 'basic_text'),
      file,
    );
    await expect(vault.store(new Secret(TOKEN))).rejects.toMatchObject({
      code: 'UPLOAD_CREDENTIAL_STORE_UNAVAILABLE',
    });
    expect(existsSync(file)).toBe(false);
    // A real secret store (gnome_libsecret, kwallet5…) is used.
    const real = safeStorageVault(
      fakeSafeStorage(() => true, 'gnome_libsecret'),
      file,
    );
    await real.store(new Secret(TOKEN));
    expect(readFileSync(file).toString('latin1')).not.toContain(TOKEN);
    expect((await real.read())?.reveal()).toBe(TOKEN);
    // Read back through basic_text: as if there were none.
    expect(await vault.read()).toBeUndefined();
  });
});

describe('without OS encryption', () => {
  it('storing says UPLOAD_CREDENTIAL_STORE_UNAVAILABLE, writes nothing and the engine has none', async () => {
    const otherHome = path.join(root, 'home-no-store');
    trustTestRoot(otherHome);
    const other = startEngine({ ...process.env, KYSO_HOME: otherHome });
    const file = path.join(otherHome, UPLOAD_CREDENTIAL_FILE);
    const noStore = new AppCore({
      engine: other.engine,
      dialogs: noDialogs,
      language: 'en',
      webHost: false,
      vault: safeStorageVault(
        fakeSafeStorage(() => false),
        file,
      ),
    });
    try {
      const r = await noStore.invoke('n1', 'upload.settings.set', {
        server: server.url,
        credential: { set: TOKEN },
      });
      expect(r).toMatchObject({ ok: false, error: { code: 'UPLOAD_CREDENTIAL_STORE_UNAVAILABLE' } });
      expect(r.ok || r.error.message).toBe(
        'The OS secret store is not available (on Linux a Secret Service or KWallet must be running); Kyso stores the credential only encrypted, so it was not stored.',
      );
      expect(JSON.stringify(r)).not.toContain(TOKEN);
      expect(existsSync(file)).toBe(false);
      const view = await noStore.invoke('n2', 'upload.settings.get', {});
      expect(view).toMatchObject({ ok: true, value: { credential: 'none', credentialStore: 'os' } });
      expectNotInProcess(other.engine.pid, otherHome);
      expect(filesUnder(otherHome).some((f) => readFileSync(f).toString('latin1').includes(TOKEN))).toBe(
        false,
      );
    } finally {
      other.engine.dispose();
    }
  });
});
