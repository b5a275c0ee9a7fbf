// The app's outbox service (outbox.*, upload.settings.*) through the dispatcher, as the engine
// process serves it, against the reference one-stop server on 127.0.0.1: queueing checks the
// dossier code and refuses broken signatures (with the override as an explicit option), flushing
// delivers with progress and can be cancelled, a 401 leaves the document failed with the Vietnamese
// message until the credential is fixed, and the credential is write-only: never returned and never
// written under KYSO_HOME in plain text (every file, the SQLite database and its journal included).
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUploadPath, outboxHandlers } from '../../src/main/services/outbox-service.js';
import {
  memoryVault,
  safeStorageVault,
  type SafeStorageLike,
} from '../../src/main/services/credential-vault.js';
import { dispatch } from '../../src/main/services/dispatcher.js';
import { startOnestopServer, type OnestopServer } from '../../src/onestop/onestop-server.js';
import type {
  Channel,
  OutboxFlushProgress,
  Result,
  ResultOf,
  RequestOf,
} from '../../src/shared/contract/index.js';
import { Secret } from '../../src/shared/secret.js';
import { sha256File } from '../../src/signing/upload/queue-document.js';
import { DOSSIER, makeSignedResults, testTrust, trustTestRoot } from '../upload/upload-documents.js';
import { startEngine } from './app-support.js';
import { filesUnder } from '../support/files-under.js';

const TOKEN = 'outbox-app-token-7f3c9a1e5b';
const WRONG = 'outbox-app-wrong-token-42';
const previous = { home: process.env['KYSO_HOME'], token: process.env['KYSO_UPLOAD_TOKEN'] };

let root: string;
let home: string;
let server: OnestopServer;
let docs: string[];
const handlers = outboxHandlers({ vault: memoryVault() });

async function call<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
  options: { signal?: AbortSignal; onProgress?: (p: unknown) => void } = {},
): Promise<Result<ResultOf<C>>> {
  return (await dispatch(handlers, channel, request, {
    signal: options.signal ?? new AbortController().signal,
    progress: options.onProgress ?? (() => undefined),
    language: 'vi',
  })) as Result<ResultOf<C>>;
}

async function ok<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResultOf<C>> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function expectNowhereUnder(dir: string, secret: string): void {
  const files = filesUnder(dir);
  // The outbox database (and its WAL) is among what is searched.
  expect(files.some((f) => f.endsWith('outbox.sqlite'))).toBe(true);
  const needles = [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret, 'utf16le').toString('latin1'),
  ];
  for (const file of files) {
    const content = readFileSync(file).toString('latin1');
    for (const needle of needles)
      expect(content.includes(needle), `${file} holds the credential`).toBe(false);
  }
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-app-outbox-'));
  home = path.join(root, 'home');
  trustTestRoot(home);
  process.env['KYSO_HOME'] = home;
  delete process.env['KYSO_UPLOAD_TOKEN'];
  docs = await makeSignedResults(path.join(root, 'docs'), 6, 'ket-qua');
  server = await startOnestopServer({
    dataDir: path.join(root, 'onestop'),
    tokens: [TOKEN],
    trust: testTrust(),
  });
});

afterAll(async () => {
  await server?.close();
  if (previous.home === undefined) delete process.env['KYSO_HOME'];
  else process.env['KYSO_HOME'] = previous.home;
  if (previous.token !== undefined) process.env['KYSO_UPLOAD_TOKEN'] = previous.token;
});

describe('outbox service', () => {
  it('refuses to queue without a destination, then keeps the destination the user chose', async () => {
    const none = await call('outbox.queue', { path: docs[0]!, dossierCode: DOSSIER });
    expect(none.ok || none.error.code).toBe('UPLOAD_NO_DESTINATION');
    const refused = await call('upload.settings.set', { server: 'http://user:pw@127.0.0.1:1/' });
    expect(refused.ok || refused.error.code).toBe('USAGE');

    const view = await ok('upload.settings.set', { adapter: 'rest', server: server.url });
    expect(view).toEqual({
      adapter: 'rest',
      server: server.url,
      folderPath: null,
      credential: 'none',
      credentialStore: 'memory',
      needsCredential: true,
    });
    // The app's choice lives apart from the settings.json IT staff preset.
    expect(JSON.parse(readFileSync(appUploadPath(home), 'utf8'))).toEqual({
      adapter: 'rest',
      server: server.url,
    });
    expect(await ok('upload.settings.get', {})).toEqual(view);
  });

  it('a wrong dossier code is refused with the Vietnamese message before anything is queued', async () => {
    const r = await call('outbox.queue', { path: docs[0]!, dossierCode: '000.00.01.H22-261132-0001' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('UPLOAD_DOSSIER_CODE_INVALID');
    expect(r.error.message).toContain('không đúng dạng');
    expect((await ok('outbox.list', {})).items).toEqual([]);
  });

  it('a PDF whose signature is broken is refused, and queued only with the explicit override', async () => {
    const broken = path.join(root, 'docs', 'hong.pdf');
    const bytes = readFileSync(docs[5]!);
    const at = bytes.indexOf('Quyet dinh so');
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'X'.charCodeAt(0); // inside the signed byte range
    writeFileSync(broken, bytes);
    const refused = await call('outbox.queue', { path: broken, dossierCode: DOSSIER });
    expect(refused.ok || refused.error.code).toBe('UPLOAD_SIGNATURE_BROKEN');
    expect(refused.ok || refused.error.message).toMatch(/bị hỏng/);
    expect((await ok('outbox.list', {})).items).toEqual([]);

    const forced = await ok('outbox.queue', { path: broken, dossierCode: DOSSIER, override: true });
    expect(forced.item.state).toBe('queued');
    expect(forced.warnings.join(' ')).toContain('broken signature sent on request');
    // Withdrawn by hand: it will not be sent.
    expect((await ok('outbox.cancel', { id: forced.item.id })).item.state).toBe('cancelled');
    const again = await call('outbox.cancel', { id: forced.item.id });
    expect(again.ok || again.error.code).toBe('UPLOAD_ITEM_STATE');
  });

  it('without a credential nothing is sent; with it the document is delivered once, with progress', async () => {
    const queued = await ok('outbox.queue', {
      path: docs[0]!,
      dossierCode: DOSSIER.toLowerCase(),
      docNumber: '12/QĐ-UBND',
      docType: 'Quyết định',
    });
    expect(queued.item).toMatchObject({
      state: 'queued',
      dossierCode: DOSSIER,
      fileName: path.basename(docs[0]!),
      documentNumber: '12/QĐ-UBND',
      attempts: 0,
    });
    const missing = await call('outbox.flush', {});
    expect(missing.ok || missing.error.code).toBe('UPLOAD_CREDENTIAL_MISSING');
    expect(server.stats().requests).toBe(0);

    const view = await ok('upload.settings.set', { credential: { set: TOKEN } });
    expect(view.credential).toBe('stored');
    expect(JSON.stringify(view)).not.toContain(TOKEN);

    const progress: OutboxFlushProgress[] = [];
    const r = await call('outbox.flush', {}, { onProgress: (p) => progress.push(p as OutboxFlushProgress) });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ delivered: 1, failed: 0, retried: 0 });
    expect(progress.map((p) => p.stage)).toContain('sending');
    expect(progress.at(-1)).toMatchObject({ stage: 'delivered', id: queued.item.id, done: 1 });

    const { sha256 } = await sha256File(docs[0]!);
    expect(server.stats().byDocument[sha256]).toBe(1);
    const item = (await ok('outbox.list', {})).items.find((i) => i.id === queued.item.id);
    expect(item).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
    expect(item?.deliveredAt).not.toBeNull();
    // Queued again: the same document for the same dossier is not sent twice.
    const repeat = await ok('outbox.queue', { path: docs[0]!, dossierCode: DOSSIER });
    expect(repeat.existing).toBe(true);
    expect((await ok('outbox.flush', {})).delivered).toBe(0);
    expect(server.stats().byDocument[sha256]).toBe(1);
  });

  it('a 401 leaves the document failed with the Vietnamese message; fixed credential and retry deliver it', async () => {
    await ok('upload.settings.set', { credential: { set: WRONG } });
    const queued = await ok('outbox.queue', { path: docs[1]!, dossierCode: DOSSIER });
    const first = await ok('outbox.flush', { ids: [queued.item.id] });
    expect(first).toMatchObject({ delivered: 0, failed: 1 });
    const failed = (await ok('outbox.list', {})).items.find((i) => i.id === queued.item.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.lastError?.code).toBe('UPLOAD_UNAUTHORIZED');
    expect(failed?.lastError?.status).toBe(401);
    expect(failed?.lastError?.message).toContain('Hệ thống một cửa từ chối khóa truy cập (HTTP 401)');

    await ok('upload.settings.set', { credential: { set: TOKEN } });
    expect(await ok('outbox.retry', { allFailed: true })).toEqual({ retried: 1 });
    expect((await ok('outbox.flush', {})).delivered).toBe(1);
    const { sha256 } = await sha256File(docs[1]!);
    expect(server.stats().byDocument[sha256]).toBe(1);
    const retry = await call('outbox.retry', { id: queued.item.id });
    expect(retry.ok || retry.error.code).toBe('UPLOAD_ITEM_STATE');
  });

  it('a flush cancelled mid-way gives the document back to the queue', async () => {
    server.faults.settings = {
      rates: { error500: 0, timeout: 0, drop: 0, slow: 1, duplicate: 0 },
      slowMs: 4000,
    };
    try {
      const queued = await ok('outbox.queue', { path: docs[2]!, dossierCode: DOSSIER });
      const controller = new AbortController();
      const r = await call(
        'outbox.flush',
        {},
        {
          signal: controller.signal,
          onProgress: (p) => {
            if ((p as OutboxFlushProgress).stage === 'sending') setTimeout(() => controller.abort(), 200);
          },
        },
      );
      expect(r.ok || r.error.code).toBe('CANCELLED');
      const item = (await ok('outbox.list', {})).items.find((i) => i.id === queued.item.id);
      expect(item?.state).toBe('queued');
    } finally {
      server.faults.settings = {
        rates: { error500: 0, timeout: 0, drop: 0, slow: 0, duplicate: 0 },
        slowMs: 200,
      };
    }
  });

  it('the credential is never returned nor written under KYSO_HOME; clearing it is reported', async () => {
    const view = await ok('upload.settings.get', {});
    expect(view.credential).toBe('stored');
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    expect(JSON.stringify(await ok('outbox.list', {}))).not.toContain(TOKEN);
    expectNowhereUnder(home, TOKEN);
    expectNowhereUnder(home, WRONG);
    expect((await ok('upload.settings.set', { credential: { clear: true } })).credential).toBe('none');
    // KYSO_UPLOAD_TOKEN is the fallback, shown as such.
    process.env['KYSO_UPLOAD_TOKEN'] = TOKEN;
    try {
      expect((await ok('upload.settings.get', {})).credential).toBe('environment');
    } finally {
      delete process.env['KYSO_UPLOAD_TOKEN'];
    }
  });
});

describe('safeStorage vault (Electron mocked)', () => {
  /** Stands in for the OS: a reversible scrambling that is not the plain text. */
  function fakeSafeStorage(available: boolean): SafeStorageLike {
    const scramble = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ 0x5a));
    return {
      isEncryptionAvailable: () => available,
      encryptString: (text) => Buffer.concat([Buffer.from('v10'), scramble(Buffer.from(text, 'utf8'))]),
      decryptString: (data) => scramble(data.subarray(3)).toString('utf8'),
    };
  }

  it('stores only the OS-encrypted form under KYSO_HOME, reads it back, clears it', async () => {
    const file = path.join(home, 'upload-credential.bin');
    const vault = safeStorageVault(fakeSafeStorage(true), file);
    expect(await vault.read()).toBeUndefined();
    await vault.store(new Secret(TOKEN));
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readFileSync(file).toString('latin1')).not.toContain(TOKEN);
    expect((await vault.read())?.reveal()).toBe(TOKEN);
    await vault.clear();
    expect(await vault.read()).toBeUndefined();
  });

  it('refuses to store when the OS cannot encrypt (never falls back to plain text)', async () => {
    const file = path.join(root, 'no-encryption.bin');
    const vault = safeStorageVault(fakeSafeStorage(false), file);
    await expect(vault.store(new Secret(TOKEN))).rejects.toMatchObject({
      code: 'UPLOAD_CREDENTIAL_STORE_UNAVAILABLE',
    });
    expect(() => statSync(file)).toThrow();
  });
});

describe('served by the engine process (compiled: npm run build)', () => {
  it('registers every outbox channel: settings, queue and a flush whose progress reaches the caller', async () => {
    const engineHome = path.join(root, 'engine-home');
    trustTestRoot(engineHome);
    const { engine, stderr } = startEngine({ ...process.env, KYSO_HOME: engineHome });
    let n = 0;
    const send = async (
      channel: Channel,
      request: unknown,
      language: 'vi' | 'en' = 'vi',
      onProgress?: (p: unknown) => void,
    ) => engine.call(`outbox-${++n}`, channel, request, language, onProgress);
    try {
      const set = await send('upload.settings.set', { server: server.url, credential: { set: TOKEN } });
      expect(set).toMatchObject({ ok: true, value: { credential: 'stored', server: server.url } });
      expect(JSON.stringify(set)).not.toContain(TOKEN);
      const bad = await send('outbox.queue', { path: docs[3]!, dossierCode: 'H22-1' }, 'en');
      expect(bad).toMatchObject({ ok: false, error: { code: 'UPLOAD_DOSSIER_CODE_INVALID' } });
      expect(JSON.stringify(bad)).toContain('is not a dossier code');
      const queued = await send('outbox.queue', { path: docs[3]!, dossierCode: DOSSIER });
      expect(queued).toMatchObject({ ok: true, value: { existing: false, item: { state: 'queued' } } });
      const progress: OutboxFlushProgress[] = [];
      const flushed = await send('outbox.flush', {}, 'vi', (p) => progress.push(p as OutboxFlushProgress));
      expect(flushed).toMatchObject({ ok: true, value: { delivered: 1, failed: 0 } });
      expect(progress.map((p) => p.stage)).toEqual(expect.arrayContaining(['sending', 'delivered']));
      const { sha256 } = await sha256File(docs[3]!);
      expect(server.stats().byDocument[sha256]).toBe(1);
      const list = await send('outbox.list', {});
      expect(list).toMatchObject({ ok: true, value: { counts: { delivered: 1, queued: 0, failed: 0 } } });
      expect(stderr()).not.toContain(TOKEN);
      expectNowhereUnder(engineHome, TOKEN);
    } finally {
      engine.dispose();
    }
  });
});
