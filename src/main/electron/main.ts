// The Electron shell (`npm start`): one secure window over the renderer, the contract over IPC to
// the host core, the engine in a utility process, one instance (a second launch hands its files to
// the first), PDFs from the command line and "Open with". Thin: everything else is in the services.
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { kysoHome } from '../../signing/settings.js';
import { AppCore } from '../app-core.js';
import { EngineSupervisor } from '../engine/engine-supervisor.js';
import { loadAppSettings } from '../services/app-settings.js';
import { safeStorageVault, UPLOAD_CREDENTIAL_FILE } from '../services/credential-vault.js';
import { APP_SCHEME_PRIVILEGES, serveRenderer } from './app-protocol.js';
import { electronDialogs } from './electron-dialogs.js';
import { registerIpc } from './ipc.js';
import { pdfsInArgv } from './open-files.js';
import { utilityEngine } from './utility-engine.js';
import { createMainWindow, denyPermissions, hardenContents } from './window.js';

const here = import.meta.dirname; // dist/main/electron
const RENDERER_DIR = path.resolve(here, '../../renderer');
const PRELOAD = path.join(here, 'preload.cjs');
const ENGINE_ENTRY = path.resolve(here, '../engine/engine-main.js');

app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let core: AppCore | null = null;
  const early: string[] = pdfsInArgv(process.argv, process.cwd());

  const handOver = (paths: readonly string[]): void => {
    if (core) core.addOpenFiles(paths);
    else early.push(...paths);
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  };

  app.on('second-instance', (_event, argv, workingDirectory) => handOver(pdfsInArgv(argv, workingDirectory)));
  // macOS "Open with" and drops on the Dock icon.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    handOver([file]);
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(async () => {
    denyPermissions(session.defaultSession);
    serveRenderer(protocol, RENDERER_DIR);
    const settings = await loadAppSettings();
    const engine = new EngineSupervisor({
      spawn: utilityEngine(utilityProcess.fork, ENGINE_ENTRY),
      onRestart: (reason) => core?.engineRestarted(reason),
      onEvent: (event) => core?.engineEvent(event),
    });
    core = new AppCore({
      engine,
      language: settings.language,
      webHost: false,
      // The upload credential, encrypted by the OS (DPAPI, Keychain, libsecret): only this process
      // can use safeStorage, so it keeps the credential and hands the engine its value over IPC.
      vault: safeStorageVault(safeStorage, path.join(kysoHome(), UPLOAD_CREDENTIAL_FILE)),
      dialogs: electronDialogs(
        dialog,
        shell,
        () => window,
        () => core?.language ?? 'vi',
      ),
    });
    registerIpc({ ipcMain, core, windows: () => BrowserWindow.getAllWindows() });
    core.addOpenFiles(early.splice(0));
    void engine.warmUp();
    window = createMainWindow(BrowserWindow, PRELOAD);
    window.on('closed', () => (window = null));
    app.on('before-quit', () => engine.dispose());
  });
}
