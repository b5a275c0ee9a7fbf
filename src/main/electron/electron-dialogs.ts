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
    async saveAs(defaultPath) {
      const w = window();
      // The native save dialog asks before replacing an existing file.
      const options = { defaultPath, filters: pdfFilter() };
      const result = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async showInFolder(file) {
      shell.showItemInFolder(file);
    },
  };
}
