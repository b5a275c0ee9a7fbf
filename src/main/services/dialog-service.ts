// dialog.*: the native dialogs are services too, so that the Electron shell answers them with its
// dialogs and the web host from a folder or a script of answers (tests).
import type { Handlers } from './service-types.js';

export interface DialogProvider {
  /** The PDF the user chose, or null when cancelled. */
  openPdf(): Promise<string | null>;
  /** The folder the user chose, or null when cancelled. */
  openFolder(): Promise<string | null>;
  /** The PNG or JPEG the user chose, or null when cancelled. */
  openImage(): Promise<string | null>;
  /** An X.509 certificate file (.cer, .crt, .der, .pem, .p7b) for the trust store, or null. */
  openCertificate(): Promise<string | null>;
  /** A PKCS#11 library (.dll, .so, .dylib), or null when cancelled. */
  openLibrary(): Promise<string | null>;
  /** Where to save, or null when cancelled; the dialog asks before replacing an existing file. */
  saveAs(defaultPath: string): Promise<string | null>;
  /** Shows the file in the system's file manager. */
  showInFolder(file: string): Promise<void>;
}

export function dialogHandlers(
  dialogs: DialogProvider,
): Handlers<
  | 'dialog.openPdf'
  | 'dialog.openFolder'
  | 'dialog.openImage'
  | 'dialog.openCertificate'
  | 'dialog.openLibrary'
  | 'dialog.saveAs'
  | 'dialog.showInFolder'
> {
  return {
    'dialog.openPdf': async () => ({ path: await dialogs.openPdf() }),
    'dialog.openFolder': async () => ({ path: await dialogs.openFolder() }),
    'dialog.openImage': async () => ({ path: await dialogs.openImage() }),
    'dialog.openCertificate': async () => ({ path: await dialogs.openCertificate() }),
    'dialog.openLibrary': async () => ({ path: await dialogs.openLibrary() }),
    'dialog.saveAs': async ({ defaultPath }) => ({ path: await dialogs.saveAs(defaultPath) }),
    'dialog.showInFolder': async ({ path }) => {
      await dialogs.showInFolder(path);
      return {};
    },
  };
}
