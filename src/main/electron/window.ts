// The one window, with Electron's secure defaults spelled out: isolated, sandboxed, no Node in the
// page, no webviews, no navigation away from the app, no new windows, no permission ever granted.
import type {
  BrowserWindow as BrowserWindowType,
  BrowserWindowConstructorOptions,
  Session,
  WebContents,
} from 'electron';
import { APP_ORIGIN } from './ipc-channels.js';

/** Navigation, new windows and webviews: refused for any web contents the app creates. */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** No camera, microphone, notifications, geolocation…: the app needs none. */
export function denyPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function createMainWindow(
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowType,
  preload: string,
): BrowserWindowType {
  // Spelled out in the call (not built elsewhere) so that electronegativity sees each option.
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Kyso',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would open links in new windows (which are denied anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
