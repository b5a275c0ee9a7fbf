// The shell's entry (src/main/electron/main.ts) started against a mocked `electron`: one instance
// (a second launch hands its PDFs to the first and focuses its window), the PDFs of the first launch's
// command line, the sandbox for every renderer, permissions denied, the renderer on app://, the
// engine in a utility process, and the contract served over IPC.
import { mkdtempSync } from 'node:fs';
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
    utilityProcess: {
      fork: (entry: string) => {
        m.forks.push(entry);
        return { pid: 42, on() {}, postMessage() {}, kill() {} };
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

function take(): Promise<unknown> {
  const sender = { id: 1, once() {}, isDestroyed: () => false, send() {} };
  return m.ipcHandlers.get(IPC_INVOKE)?.(
    { senderFrame: appFrame, sender },
    `t${Math.random().toString(36).slice(2)}`,
    'app.takeOpenFiles',
    {},
  ) as Promise<unknown>;
}

describe('Electron shell entry', () => {
  it('starts sandboxed, denies permissions, serves app:// and loads it, runs the engine in a utility process', () => {
    expect(m.enableSandbox.called).toBe(1);
    expect(m.schemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
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
