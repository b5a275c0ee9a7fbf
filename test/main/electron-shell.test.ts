// The Electron shell's handlers in Node, with `electron` mocked (its binary cannot be downloaded
// here): IPC accepts only the app's own top frame and parses every request; progress goes to the
// caller only; cancels and closed windows reach the engine; the window's secure defaults; the preload
// exposes window.kyso and nothing else; the app:// protocol serves only the renderer's files.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ToEngine, EngineProcess } from '../../src/main/engine/engine-protocol.js';
import { EngineSupervisor } from '../../src/main/engine/engine-supervisor.js';
import { AppCore } from '../../src/main/app-core.js';
import { registerIpc, isAppFrame } from '../../src/main/electron/ipc.js';
import { IPC_CANCEL, IPC_EVENT, IPC_INVOKE } from '../../src/main/electron/ipc-channels.js';
import { createMainWindow, denyPermissions, hardenContents } from '../../src/main/electron/window.js';
import { serveRenderer } from '../../src/main/electron/app-protocol.js';
import { pdfsInArgv } from '../../src/main/electron/open-files.js';

const electron = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async () => ({ ok: true, value: 'from-main' })),
  send: vi.fn(),
  on: vi.fn(),
  removeListener: vi.fn(),
  getPathForFile: vi.fn(() => '/srv/nguoi-dung/dropped.pdf'),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: {
    invoke: electron.invoke,
    send: electron.send,
    on: electron.on,
    removeListener: electron.removeListener,
  },
  webUtils: { getPathForFile: electron.getPathForFile },
}));

/** An engine process in memory: answers each call, with one progress event first; records cancels. */
function fakeEngine(log: ToEngine[]): () => EngineProcess {
  return () => {
    let listener: (m: unknown) => void = () => undefined;
    const held = new Map<string, string>();
    const engine: EngineProcess = {
      pid: 1,
      send(message) {
        log.push(message);
        if (message.type === 'call') {
          listener({ type: 'progress', callId: message.callId, progress: { stage: 'reading' } });
          if (message.channel === 'verify.run') held.set(message.callId, message.channel);
          else
            listener({
              type: 'result',
              callId: message.callId,
              result: { ok: true, value: { modules: [] } },
            });
        }
        if (message.type === 'cancel' && held.has(message.callId)) {
          held.delete(message.callId);
          listener({
            type: 'result',
            callId: message.callId,
            result: { ok: false, error: { code: 'CANCELLED', message: 'Đã hủy.' } },
          });
        }
      },
      onMessage(l) {
        listener = l;
        queueMicrotask(() => l({ type: 'ready' }));
      },
      onExit() {},
      kill() {},
    };
    return engine;
  };
}

interface FakeContents {
  id: number;
  sent: { channel: string; payload: unknown }[];
  destroyed: (() => void)[];
  send(channel: string, payload: unknown): void;
  once(event: string, listener: () => void): void;
  isDestroyed(): boolean;
}

function contents(id: number): FakeContents {
  return {
    id,
    sent: [],
    destroyed: [],
    send(channel, payload) {
      this.sent.push({ channel, payload });
    },
    once(event, listener) {
      if (event === 'destroyed') this.destroyed.push(listener);
    },
    isDestroyed: () => false,
  };
}

const APP_FRAME = { url: 'app://kyso/index.html', parent: null };

let home: string;
const previousHome = process.env['KYSO_HOME'];
const engineLog: ToEngine[] = [];
let core: AppCore;
const handlers = new Map<string, (...args: unknown[]) => unknown>();
const windows: { webContents: FakeContents }[] = [];

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'kyso-shell-'));
  process.env['KYSO_HOME'] = home;
  const engine = new EngineSupervisor({ spawn: fakeEngine(engineLog) });
  core = new AppCore({
    engine,
    language: 'vi',
    webHost: false,
    dialogs: {
      openPdf: async () => '/chosen.pdf',
      openFolder: async () => '/chosen',
      openImage: async () => '/chosen.png',
      openCertificate: async () => null,
      openLibrary: async () => null,
      saveAs: async () => null,
      showInFolder: async () => undefined,
    },
  });
  const ipcMain = {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
    on: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: vi.fn(),
    removeAllListeners: vi.fn(),
  };
  windows.push({ webContents: contents(1) }, { webContents: contents(2) });
  registerIpc({ ipcMain: ipcMain as never, core, windows: () => windows as never });
});

afterAll(() => {
  if (previousHome === undefined) delete process.env['KYSO_HOME'];
  else process.env['KYSO_HOME'] = previousHome;
});

function invoke(frame: unknown, sender: FakeContents, callId: unknown, channel: unknown, request: unknown) {
  return handlers.get(IPC_INVOKE)?.({ senderFrame: frame, sender }, callId, channel, request) as Promise<{
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string };
  }>;
}

describe('IPC handlers', () => {
  it('refuse frames that are not the app: another origin, a look-alike, a subframe, none', async () => {
    const sender = contents(9);
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://kyso.evil/index.html', parent: null },
      { url: 'file:///srv/nguoi-dung/index.html', parent: null },
      { url: 'app://kyso/index.html', parent: { url: 'app://kyso/index.html' } },
      null,
    ]) {
      const r = await invoke(frame, sender, 'c1', 'app.info', {});
      expect(r).toMatchObject({ ok: false, error: { code: 'FRAME_REJECTED' } });
      expect(r.error?.message).toContain('không đến từ cửa sổ của Kyso');
    }
    expect(engineLog.filter((m) => m.type === 'call')).toHaveLength(0);
    expect(isAppFrame(APP_FRAME as never)).toBe(true);
  });

  it('parse every request with the contract: bad ones never reach the engine', async () => {
    const sender = contents(3);
    const bad = await invoke(APP_FRAME, sender, 'c2', 'sign.run', { documentId: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_REQUEST' } });
    const badId = await invoke(APP_FRAME, sender, { toString: () => 'x' }, 'app.info', {});
    expect(badId).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_REQUEST' } });
    expect(engineLog.filter((m) => m.type === 'call')).toHaveLength(0);
  });

  it('answer with the envelope; progress goes to the calling window only, under its own call id', async () => {
    const sender = windows[0]!.webContents;
    const r = await invoke(APP_FRAME, sender, 'c3', 'tokens.list', {});
    expect(r).toEqual({ ok: true, value: { modules: [] } });
    expect(sender.sent).toContainEqual({
      channel: IPC_EVENT,
      payload: { kind: 'progress', callId: 'c3', progress: { stage: 'reading' } },
    });
    expect(windows[1]!.webContents.sent).toEqual([]);
    const call = engineLog.find((m) => m.type === 'call');
    expect(call).toMatchObject({ channel: 'tokens.list', callId: 'w1:c3', language: 'vi' });
  });

  it('cancel from the app frame reaches the engine; from another frame it is ignored', async () => {
    const sender = contents(4);
    const pending = invoke(APP_FRAME, sender, 'c4', 'verify.run', { path: '/x.pdf' });
    await vi.waitFor(() =>
      expect(engineLog.some((m) => m.type === 'call' && m.callId === 'w4:c4')).toBe(true),
    );
    handlers.get(IPC_CANCEL)?.({ senderFrame: { url: 'https://evil.example/', parent: null }, sender }, 'c4');
    expect(engineLog.some((m) => m.type === 'cancel')).toBe(false);
    handlers.get(IPC_CANCEL)?.({ senderFrame: APP_FRAME, sender }, 'c4');
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(engineLog).toContainEqual({ type: 'cancel', callId: 'w4:c4' });
  });

  it('a window that closes cancels its calls', async () => {
    const sender = contents(5);
    const pending = invoke(APP_FRAME, sender, 'c5', 'verify.run', { path: '/x.pdf' });
    await vi.waitFor(() =>
      expect(engineLog.some((m) => m.type === 'call' && m.callId === 'w5:c5')).toBe(true),
    );
    for (const l of sender.destroyed) l();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('the host channels: dialogs, files from the OS (broadcast), the language saved atomically in KYSO_HOME', async () => {
    const sender = windows[0]!.webContents;
    expect(await invoke(APP_FRAME, sender, 'c6', 'dialog.openPdf', {})).toEqual({
      ok: true,
      value: { path: '/chosen.pdf' },
    });
    core.addOpenFiles(['/a/quyet-dinh.pdf', '/a/notes.txt']);
    for (const w of windows) {
      expect(w.webContents.sent).toContainEqual({
        channel: IPC_EVENT,
        payload: { kind: 'open-files', paths: ['/a/quyet-dinh.pdf'] },
      });
    }
    expect(await invoke(APP_FRAME, sender, 'c7', 'app.takeOpenFiles', {})).toEqual({
      ok: true,
      value: { paths: ['/a/quyet-dinh.pdf'] },
    });
    expect(await invoke(APP_FRAME, sender, 'c8', 'app.takeOpenFiles', {})).toEqual({
      ok: true,
      value: { paths: [] },
    });
    expect(await invoke(APP_FRAME, sender, 'c9', 'app.setLanguage', { language: 'en' })).toEqual({
      ok: true,
      value: { language: 'en' },
    });
    expect(JSON.parse(readFileSync(path.join(home, 'app.json'), 'utf8'))).toEqual({ language: 'en' });
    const refused = await invoke(
      { url: 'https://evil.example/', parent: null },
      sender,
      'c10',
      'app.info',
      {},
    );
    expect(refused.error?.message).toBe('Request refused: it does not come from a Kyso window.');
  });
});

describe('window', () => {
  it('is created isolated, sandboxed, without Node, loading the app:// page', () => {
    const created: { options: Record<string, unknown>; url?: string }[] = [];
    class FakeWindow {
      webContents = { setWindowOpenHandler: vi.fn(), on: vi.fn() };
      constructor(readonly options: Record<string, unknown>) {
        created.push({ options });
      }
      once() {}
      async loadURL(url: string) {
        created[0]!.url = url;
      }
    }
    createMainWindow(FakeWindow as never, '/app/preload.cjs');
    const prefs = created[0]?.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(created[0]?.url).toBe('app://kyso/index.html');
  });

  it('blocks navigation away, new windows and webviews; denies every permission', () => {
    const on = new Map<string, (...a: unknown[]) => void>();
    let openHandler: (() => unknown) | undefined;
    hardenContents({
      setWindowOpenHandler: (h: () => unknown) => (openHandler = h),
      on: (e: string, l: (...a: unknown[]) => void) => on.set(e, l),
    } as never);
    expect(openHandler?.()).toEqual({ action: 'deny' });
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      on.get('will-navigate')?.(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://kyso/index.html')).toBe(false);
    const webview = { preventDefault: vi.fn() };
    on.get('will-attach-webview')?.(webview);
    expect(webview.preventDefault).toHaveBeenCalled();

    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyPermissions({
      setPermissionRequestHandler: (h: never) => (request = h),
      setPermissionCheckHandler: (h: never) => (check = h),
    } as never);
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read'])
      request?.(null, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(check?.()).toBe(false);
  });

  it('app:// serves the renderer with the CSP, and nothing outside it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-renderer-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Kyso</title>');
    let handler: ((r: Request) => Promise<Response>) | undefined;
    serveRenderer({ handle: (_scheme: string, h: never) => (handler = h) } as never, dir);
    const ok = await handler?.(new Request('app://kyso/index.html'));
    expect(ok?.status).toBe(200);
    expect(ok?.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const url of [
      'app://kyso/../../../etc/passwd',
      'app://kyso/%2e%2e/%2e%2e/etc/passwd',
      'app://other/index.html',
    ]) {
      expect((await handler?.(new Request(url)))?.status, url).toBe(404);
    }
  });

  it('PDFs from the command line (first or second launch), options skipped', () => {
    expect(pdfsInArgv(['/opt/kyso/kyso', '--flag', 'a.pdf', 'B.PDF', 'c.txt'], '/srv/nguoi-dung')).toEqual([
      '/srv/nguoi-dung/a.pdf',
      '/srv/nguoi-dung/B.PDF',
    ]);
  });
});

describe('preload', () => {
  it('exposes window.kyso (invoke, cancel, onEvent, pathForFile) and nothing else', async () => {
    await import('../../src/main/electron/preload.js');
    expect(electron.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = electron.exposeInMainWorld.mock.calls[0] as unknown as [
      string,
      Record<string, (...a: unknown[]) => unknown>,
    ];
    expect(name).toBe('kyso');
    expect(Object.keys(api).sort()).toEqual(['cancel', 'invoke', 'onEvent', 'pathForFile']);
    expect(await api['invoke']?.('c1', 'app.info', {})).toEqual({ ok: true, value: 'from-main' });
    expect(electron.invoke).toHaveBeenCalledWith(IPC_INVOKE, 'c1', 'app.info', {});
    api['cancel']?.('c1');
    expect(electron.send).toHaveBeenCalledWith(IPC_CANCEL, 'c1');
    const seen: unknown[] = [];
    const off = api['onEvent']?.((e: unknown) => seen.push(e)) as () => void;
    const wrapped = (electron.on.mock.calls[0] as unknown as [string, (ev: unknown, p: unknown) => void])[1];
    wrapped({ sender: 'ipc internals' }, { kind: 'open-files', paths: ['/a.pdf'] });
    expect(seen).toEqual([{ kind: 'open-files', paths: ['/a.pdf'] }]);
    off();
    expect(electron.removeListener).toHaveBeenCalledWith(IPC_EVENT, wrapped);
    expect(await api['pathForFile']?.({ name: 'dropped.pdf', size: 1 })).toBe('/srv/nguoi-dung/dropped.pdf');
  });

  it('is bundled as CommonJS that requires only electron (npm run build)', () => {
    const bundle = readFileSync(
      path.resolve(import.meta.dirname, '../../dist/main/electron/preload.cjs'),
      'utf8',
    );
    const required = [...bundle.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(bundle).not.toMatch(/^\s*import\s/m);
  });
});
