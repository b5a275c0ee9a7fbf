// The dialog services with Electron's native dialogs, attached to the app's window.
import type { BrowserWindow, Dialog, Shell } from 'electron';
import type { DialogProvider } from '../services/dialog-service.js';

export function electronDialogs(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  shell: Pick<Shell, 'showItemInFolder'>,
  window: () => BrowserWindow | null,
  language: () => 'vi' | 'en',
): DialogProvider {
  const pdfFilter = () => [{ name: language() === 'vi' ? 'Tệp PDF' : 'PDF files', extensions: ['pdf'] }];
  const openOne = async (vi: string, en: string, extensions: string[]): Promise<string | null> => {
    const w = window();
    const options = {
      properties: ['openFile' as const],
      filters: [{ name: language() === 'vi' ? vi : en, extensions }],
    };
    const result = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  // The save dialog offers the type of the proposed name: a PDF, a report (.txt, .csv, .json).
  const saveFilter = (defaultPath: string) => {
    const ext = /\.([a-z0-9]+)$/i.exec(defaultPath)?.[1]?.toLowerCase();
    return ext === undefined || ext === 'pdf'
      ? pdfFilter()
      : [{ name: ext.toUpperCase(), extensions: [ext] }];
  };
  return {
    async openPdf() {
      const w = window();
      const options = { properties: ['openFile' as const], filters: pdfFilter() };
      const result = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async openFolder() {
      const w = window();
      const options = { properties: ['openDirectory' as const] };
      const result = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async openImage() {
      const w = window();
      const name = language() === 'vi' ? 'Ảnh PNG hoặc JPEG' : 'PNG or JPEG images';
      const options = {
        properties: ['openFile' as const],
        filters: [{ name, extensions: ['png', 'jpg', 'jpeg'] }],
      };
      const result = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    openCertificate: () =>
      openOne('Chứng thư số', 'Certificates', ['cer', 'crt', 'der', 'pem', 'p7b', 'p7c']),
    // Vendors ship PKCS#11 libraries with these extensions on Windows, Linux and macOS.
    openLibrary: () => openOne('Thư viện PKCS#11', 'PKCS#11 libraries', ['dll', 'so', 'dylib']),
    async saveAs(defaultPath) {
      const w = window();
      // The native save dialog asks before replacing an existing file.
      const options = { defaultPath, filters: saveFilter(defaultPath) };
      const result = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async showInFolder(file) {
      shell.showItemInFolder(file);
    },
  };
}
