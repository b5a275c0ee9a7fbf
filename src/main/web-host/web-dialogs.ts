// The dialogs of the web host: answers scripted by tests (POST /__dialog, a queue per dialog), else a
// choice from the --files folder; dropped files are found by name in that folder. Nothing else on
// the disk is offered.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { DialogProvider } from '../services/dialog-service.js';

export const DialogAnswerSchema = z.strictObject({
  dialog: z.enum(['openPdf', 'openFolder', 'openImage', 'openCertificate', 'openLibrary', 'saveAs']),
  /** null answers "cancelled". */
  path: z.string().min(1).max(4096).nullable(),
});
export type DialogAnswer = z.infer<typeof DialogAnswerSchema>;

export class WebDialogs implements DialogProvider {
  readonly #filesDir: string | null;
  readonly #answers: DialogAnswer[] = [];
  /** What "Mở thư mục" asked to show, for tests to check. */
  readonly shown: string[] = [];

  constructor(filesDir: string | null) {
    this.#filesDir = filesDir === null ? null : path.resolve(filesDir);
  }

  script(answer: DialogAnswer): void {
    this.#answers.push(answer);
  }

  get pending(): number {
    return this.#answers.length;
  }

  #take(dialog: DialogAnswer['dialog']): DialogAnswer | undefined {
    const i = this.#answers.findIndex((a) => a.dialog === dialog);
    return i < 0 ? undefined : this.#answers.splice(i, 1)[0];
  }

  async #pdfs(): Promise<string[]> {
    if (this.#filesDir === null) return [];
    const names = await readdir(this.#filesDir).catch(() => [] as string[]);
    return names
      .filter((n) => n.toLowerCase().endsWith('.pdf'))
      .sort()
      .map((n) => path.join(this.#filesDir as string, n));
  }

  async openPdf(): Promise<string | null> {
    const scripted = this.#take('openPdf');
    if (scripted) return scripted.path;
    return (await this.#pdfs())[0] ?? null;
  }

  async openFolder(): Promise<string | null> {
    const scripted = this.#take('openFolder');
    if (scripted) return scripted.path;
    // No one to ask: the --files folder is the only one offered.
    return this.#filesDir;
  }

  async openImage(): Promise<string | null> {
    // Only a scripted answer: the --files folder offers documents, not images.
    return this.#take('openImage')?.path ?? null;
  }

  async openCertificate(): Promise<string | null> {
    return this.#take('openCertificate')?.path ?? null;
  }

  async openLibrary(): Promise<string | null> {
    return this.#take('openLibrary')?.path ?? null;
  }

  async saveAs(defaultPath: string): Promise<string | null> {
    const scripted = this.#take('saveAs');
    // No one to ask: the user accepts the proposed name (the service never overwrites silently).
    return scripted ? scripted.path : defaultPath;
  }

  async showInFolder(file: string): Promise<void> {
    this.shown.push(file);
  }

  /** A dropped file, by its name (and size) in the --files folder. */
  async pathForFile(name: string, size: number): Promise<string | null> {
    if (this.#filesDir === null) return null;
    const candidate = path.join(this.#filesDir, path.basename(name));
    const info = await stat(candidate).catch(() => null);
    return info?.isFile() && info.size === size ? candidate : null;
  }
}
