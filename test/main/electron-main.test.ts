// The shell's entry (src/main/electron/main.ts) started against a mocked `electron`: one instance
// (a second launch hands its PDFs to the first and focuses its window), the PDFs of the first launch's
// command line, the sandbox for every renderer, permissions denied, the renderer on app://, the
// engine in a utility process, the contract served over IPC, and the upload credential kept by the
// main process in safeStorage (the engine process gets its value over the engine protocol only).
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT, IPC_INVOKE } from '../../src/main/electron/ipc-channels.js';

const m = vi.hoisted(() => {
  const appHandlers = new Map<string, (...a: unknown[]) => void>();
  const ipcHandlers = new Map<string, (...a: unknown[]) => unknown>();
  const windows: FakeWindowShape[] = [];
  interface FakeWindowShape {
    options: Record<string, unknown>;
    url: string;
    focused: number;
    webContents: { id: number; sent: unknown[][] };
  }
  return {
    appHandlers,
    ipcHandlers,
    windows,
    enableSandbox: { called: 0 },
    forks: [] as string[],
    /** What each fork was given besides the entry (arguments and options): never the credential. */
    forkArgs: [] as unknown[],
    /** Every message the host posted to the engine process, in order. */
    posted: [] as { type: string; [k: string]: unknown }[],
    encryptionAvailable: true,
    schemes: [] as unknown[],
    protocolHandled: [] as string[],
    permissionHandlers: 0,
  };
});

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows() {
      return m.windows;
    }
    url = '';
    focused = 0;
    webContents = {
      id: 1,
      sent: [] as unknown[][],
      setWindowOpenHandler() {},
      on() {},
      send(...args: unknown[]) {
        this.sent.push(args);
      },
      isDestroyed: () => false,
    };
    constructor(readonly options: Record<string, unknown>) {
      m.windows.push(this as never);
    }
    once() {}
    on() {}
    async loadURL(url: string) {
      this.url = url;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.focused += 1;
    }
  }
  return {
    app: {
      enableSandbox: () => (m.enableSandbox.called += 1),
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: (event: string, listener: (...a: unknown[]) => void) => m.appHandlers.set(event, listener),
      whenReady: () => Promise.resolve(),
    },
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => m.schemes.push(...s),
      handle: (scheme: string) => m.protocolHandled.push(scheme),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => (m.permissionHandlers += 1),
        setPermissionCheckHandler: () => (m.permissionHandlers += 1),
      },
    },
    ipcMain: {
      handle: (c: string, h: (...a: unknown[]) => unknown) => m.ipcHandlers.set(c, h),
      on: (c: string, h: (...a: unknown[]) => unknown) => m.ipcHandlers.set(c, h),
      removeHandler() {},
      removeAllListeners() {},
    },
    dialog: {},
    shell: {},
    // safeStorage stands in for the OS: a reversible scrambling that is not the plain text.
    safeStorage: {
      isEncryptionAvailable: () => m.encryptionAvailable,
      encryptString: (text: string) =>
        Buffer.concat([Buffer.from('v10'), Buffer.from(Buffer.from(text, 'utf8').map((x) => x ^ 0x5a))]),
      decryptString: (data: Buffer) => Buffer.from(data.subarray(3).map((x) => x ^ 0x5a)).toString('utf8'),
    },
    // A utility process that speaks the engine protocol: ready at once, and every call answered with
    // what it was asked (so the test sees what the host forwarded).
    utilityProcess: {
      fork: (entry: string, ...rest: unknown[]) => {
        m.forks.push(entry);
        m.forkArgs.push(rest);
        const listeners: ((message: unknown) => void)[] = [];
        return {
          pid: 42,
          on(event: string, listener: (message: unknown) => void) {
            if (event !== 'message') return;
            listeners.push(listener);
            setTimeout(() => listener({ type: 'ready' }), 0);
          },
          postMessage(message: { type: string; callId?: string; channel?: string; request?: unknown }) {
            m.posted.push(message);
            if (message.type !== 'call') return;
            const result = { ok: true, value: { channel: message.channel, request: message.request } };
            setTimeout(() => {
              for (const l of listeners) l({ type: 'result', callId: message.callId, result });
            }, 0);
          },
          kill() {},
        };
      },
    },
  };
});

const previous = { argv: process.argv, home: process.env['KYSO_HOME'] };

beforeAll(async () => {
  process.env['KYSO_HOME'] = mkdtempSync(path.join(os.tmpdir(), 'kyso-shell-main-'));
  process.argv = ['/opt/kyso/kyso', '--some-flag', 'first.pdf'];
  await import('../../src/main/electron/main.js');
  await vi.waitFor(() => expect(m.windows).toHaveLength(1));
});

afterAll(() => {
  process.argv = previous.argv;
  if (previous.home === undefined) delete process.env['KYSO_HOME'];
  else process.env['KYSO_HOME'] = previous.home;
});

const appFrame = { url: 'app://kyso/index.html', parent: null };

function invoke(channel: string, request: unknown): Promise<unknown> {
  const sender = { id: 1, once() {}, isDestroyed: () => false, send() {} };
  return m.ipcHandlers.get(IPC_INVOKE)?.(
    { senderFrame: appFrame, sender },
    `t${Math.random().toString(36).slice(2)}`,
    channel,
    request,
  ) as Promise<unknown>;
}

function take(): Promise<unknown> {
  return invoke('app.takeOpenFiles', {});
}

describe('Electron shell entry', () => {
  it('starts sandboxed, denies permissions, serves app:// and loads it, runs the engine in a utility process', () => {
    expect(m.enableSandbox.called).toBe(1);
    expect(m.schemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    // V8's code cache for the renderer's scripts (the window is ready sooner on every later launch).
    expect(m.schemes[0]).toMatchObject({ privileges: { standard: true, secure: true, codeCache: true } });
    expect(m.protocolHandled).toEqual(['app']);
    expect(m.permissionHandlers).toBe(2);
    expect(m.windows[0]?.url).toBe('app://kyso/index.html');
    expect(m.forks).toHaveLength(1);
    expect(m.forks[0]).toMatch(/engine[\\/]engine-main\.js$/);
  });

  it('keeps the first launch PDFs, and a second launch hands its PDFs over and focuses the window', async () => {
    expect(await take()).toEqual({ ok: true, value: { paths: [path.resolve('first.pdf')] } });
    m.appHandlers.get('second-instance')?.(
      {},
      ['/opt/kyso/kyso', 'hai.pdf', 'note.txt'],
      '/srv/nguoi-dung/Docs',
    );
    expect(m.windows[0]?.focused).toBe(1);
    expect(m.windows[0]?.webContents.sent).toContainEqual([
      IPC_EVENT,
      { kind: 'open-files', paths: ['/srv/nguoi-dung/Docs/hai.pdf'] },
    ]);
    expect(await take()).toEqual({ ok: true, value: { paths: ['/srv/nguoi-dung/Docs/hai.pdf'] } });
  });

  it('macOS "Open with" hands the file over the same way', async () => {
    const event = { preventDefault: vi.fn() };
    m.appHandlers.get('open-file')?.(event, '/Volumes/Docs/ba.pdf');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(await take()).toEqual({ ok: true, value: { paths: ['/Volumes/Docs/ba.pdf'] } });
  });
});

describe('the upload credential in the shell', () => {
  const TOKEN = 'shell-upload-token-8e2f';
  const file = (): string => path.join(process.env['KYSO_HOME']!, 'upload-credential.bin');

  it('the engine process is told there is none before its first call', async () => {
    await vi.waitFor(() => expect(m.posted[0]).toEqual({ type: 'credential', value: null }));
  });

  it('is stored encrypted by safeStorage in KYSO_HOME; the engine gets its value over IPC, the request goes on without it', async () => {
    const from = m.posted.length;
    const answer = await invoke('upload.settings.set', {
      server: 'http://127.0.0.1:9/',
      credential: { set: TOKEN },
    });
    const sent = m.posted.slice(from);
    // The destination to the engine without the credential, then the value, then the new view.
    expect(sent.map((x) => (x.type === 'call' ? x['channel'] : x.type))).toEqual([
      'upload.settings.set',
      'credential',
      'upload.settings.get',
    ]);
    expect(sent[0]?.['request']).toEqual({ server: 'http://127.0.0.1:9/' });
    expect(sent[1]).toEqual({ type: 'credential', value: TOKEN });
    expect(answer).toEqual({ ok: true, value: { channel: 'upload.settings.get', request: {} } });
    const stored = readFileSync(file());
    expect(statSync(file()).mode & 0o077).toBe(0);
    expect(stored.toString('latin1')).not.toContain(TOKEN);
    expect(Buffer.from(stored.subarray(3).map((x) => x ^ 0x5a)).toString()).toBe(TOKEN);
    // Never in what the utility process was started with.
    expect(JSON.stringify(m.forkArgs)).not.toContain(TOKEN);
  });

  it('cleared: the file goes and the engine is told', async () => {
    const from = m.posted.length;
    await invoke('upload.settings.set', { credential: { clear: true } });
    expect(existsSync(file())).toBe(false);
    expect(m.posted.slice(from)).toContainEqual({ type: 'credential', value: null });
  });

  it('without OS encryption: UPLOAD_CREDENTIAL_STORE_UNAVAILABLE, nothing stored, the engine not told', async () => {
    m.encryptionAvailable = false;
    try {
      const from = m.posted.length;
      const answer = await invoke('upload.settings.set', { credential: { set: TOKEN } });
      expect(answer).toMatchObject({ ok: false, error: { code: 'UPLOAD_CREDENTIAL_STORE_UNAVAILABLE' } });
      expect(JSON.stringify(answer)).not.toContain(TOKEN);
      expect(existsSync(file())).toBe(false);
      expect(m.posted.slice(from).some((x) => x.type === 'credential')).toBe(false);
    } finally {
      m.encryptionAvailable = true;
    }
  });
});
