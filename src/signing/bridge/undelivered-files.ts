// Signed documents that FileUploadHandler did not take are kept, never lost: in
// <KYSO_HOME>/bridge/undelivered/, each PDF beside a JSON note of where it was meant to go (never the
// JWT). Both are written under a temporary name and renamed, so a crash leaves no half file.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface UndeliveredNote {
  readonly endpoint: string;
  readonly origin: string;
  readonly uploadUrl: string | undefined;
  readonly sessionId: string | undefined;
  readonly fileName: string;
  readonly docNumber: string | undefined;
  readonly issuedDate: string | undefined;
  readonly reason: string;
}

export function undeliveredFolder(home: string): string {
  return path.join(home, 'bridge', 'undelivered');
}

/** Copies `signed` into the undelivered folder; returns the kept file's path. */
export async function keepUndelivered(
  home: string,
  signed: string,
  note: UndeliveredNote,
  now = new Date(),
): Promise<string> {
  const dir = undeliveredFolder(home);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const base = `${stamp}-${randomBytes(4).toString('hex')}-${note.fileName.replace(/\.pdf$/i, '')}`;
  const pdf = path.join(dir, `${base}.pdf`);
  const json = path.join(dir, `${base}.json`);
  const tmp = (file: string): string => `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const pdfTmp = tmp(pdf);
  const jsonTmp = tmp(json);
  try {
    await copyFile(signed, pdfTmp);
    await writeFile(jsonTmp, `${JSON.stringify({ ...note, keptAt: now.toISOString() }, null, 2)}\n`, {
      mode: 0o600,
    });
    await rename(jsonTmp, json);
    await rename(pdfTmp, pdf);
  } catch (err) {
    await rm(pdfTmp, { force: true });
    await rm(jsonTmp, { force: true });
    throw err;
  }
  return pdf;
}
