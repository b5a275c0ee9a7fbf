// Test helpers: generates the PDF corpus (fixtures/pdf/make-corpus.mjs) into a temp folder per test
// file, and locates the third-party PDFs copied into test/corpus (see test/corpus/MANIFEST.jsonl).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The third-party files the tests read (test/corpus/README.md says where they come from). */
export const corpusDir = path.join(projectRoot, 'test/corpus');
/** test/corpus/pdf: the signed, attacks and malformed PDFs of other tools. */
export const corpusPdfDir = path.join(corpusDir, 'pdf');
/** @deprecated the old name of corpusPdfDir (it no longer points outside the repository). */
export const sharedPdfDir = corpusPdfDir;

export const CORPUS_FILES = [
  'simple-table.pdf',
  'objstm.pdf',
  'linearized.pdf',
  'updated.pdf',
  'acroform.pdf',
  'empty-sigfield.pdf',
  'pages-500.pdf',
  'rotated.pdf',
  'offset-box.pdf',
  'pdf20.pdf',
  'hybrid.pdf',
] as const;

/** The marker text on page `page` of a corpus file (files derived from simple-table carry its markers). */
export function corpusMarker(file: string, page: number): string {
  const base = path.basename(file, '.pdf');
  const source = ['objstm', 'linearized', 'updated', 'pdf20', 'encrypted'].includes(base)
    ? 'simple-table'
    : base;
  return `KYSO-MARKER ${source} p${page}`;
}

/** Generates the corpus into a fresh temp folder and returns its path. */
export function makeCorpus(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-pdf-corpus-'));
  execFileSync(process.execPath, [path.join(projectRoot, 'fixtures/pdf/make-corpus.mjs'), dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return dir;
}

/** Every file under `dir`, recursively, sorted (so reports are stable). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Runs a tool and returns its exit status and output (never throws on a non-zero status). */
export function run(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status?: number | null; stdout?: string; stderr?: string };
    return { status: e.status ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
