// No absolute path of one particular machine in the repository's own files: a test that reads
// /work/shared/… or C:\Users\…\ passes only on the machine it was written on. System paths that
// are the same everywhere (/usr/lib/softhsm/libsofthsm2.so, /usr/bin/chromium, /etc/kyso,
// %ProgramData%) are fine and do not match. Nor may anything read the shared test data beside one
// checkout (../shared/data): the tests read their copies in test/corpus.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../signing/pdf/corpus.js';

/** Folders and top-level files of the project's own text; test/corpus holds third-party files. */
const ROOTS = ['src', 'test', 'scripts', 'bench', 'fixtures', 'bin', '.ci'];
const TOP_FILES = [
  'package.json',
  'README.md',
  'vitest.config.ts',
  'eslint.config.js',
  'tsconfig.json',
  'tsconfig.test.json',
  'electron-builder.yml',
];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out', 'release', '.git', 'corpus']);
const BINARY = /\.(pdf|png|jpe?g|gif|webp|ico|icns|ttf|otf|woff2?|der|p12|pfx|cer|crt|zip|gz|node|so|dll)$/i;

/** A path is a machine's when it starts a string, a word or an argument (not /x/work/ or $CA/root/). */
const START = String.raw`(?:^|(?<=[\s'"\x60=(\[{,;:>|])|(?<=file://))`;
const MACHINE_PATH = new RegExp(
  [
    String.raw`${START}/work/`,
    String.raw`${START}/home/[A-Za-z0-9_][\w.-]*`,
    String.raw`${START}/root/`,
    String.raw`${START}/Users/[A-Za-z0-9_][\w. -]*/`,
    String.raw`\b[A-Za-z]:[\\/]+(?:Users|Documents and Settings)[\\/]`,
    // The shared test data beside one checkout: a clone has no such folder (test/corpus has copies).
    String.raw`\.\./shared/data\b`,
  ].join('|'),
  'gm',
);

/** The machine paths in `text`, as "line: match". */
export function machinePaths(text: string): string[] {
  const found: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    for (const m of line.matchAll(MACHINE_PATH)) found.push(`${i + 1}: ${m[0]}`);
  }
  return found;
}

function textFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // a folder the project does not have (yet)
  }
  return entries.flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : textFiles(p);
    return e.isFile() && !BINARY.test(e.name) ? [p] : [];
  });
}

describe('no absolute paths of a particular machine', () => {
  it('recognises machine paths and leaves system paths alone', () => {
    for (const bad of [
      "const data = '/work/shared/data/pdf';",
      'cd /work/main && npm test',
      'HOME=/home/minh npm test',
      'import x from "file:///work/main/src/a.js"',
      'cat /root/.npmrc',
      "open('/Users/lan/Desktop/a.pdf')",
      String.raw`C:\Users\Lan\Documents\a.pdf`,
      'C:/Users/Lan/a.pdf',
      "path.resolve(projectRoot, '../shared/data/trust')",
    ]) {
      expect(machinePaths(bad), bad).toHaveLength(1);
    }
    for (const good of [
      "export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';",
      "executablePath: '/usr/bin/chromium'",
      'settings in /etc/kyso/settings.json or %ProgramData%\\Kyso',
      'mkdir -p "$CA/root/newcerts"',
      'dir = ${CA}/root',
      'https://example.org/work/items',
      'path.join(os.homedir(), ".kyso")',
      "path.join(tmp, 'home/minh')",
    ]) {
      expect(machinePaths(good), good).toEqual([]);
    }
  });

  it('none in src, test, scripts, bench, fixtures and the top-level files', () => {
    const files = [
      ...ROOTS.flatMap((r) => textFiles(path.join(projectRoot, r))),
      ...TOP_FILES.map((f) => path.join(projectRoot, f)),
    ];
    expect(files.length).toBeGreaterThan(100); // the walk found the project
    const offenders: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // a top-level file the project does not have
      }
      if (text.includes('\0')) continue; // binary
      if (file === fileURLToPath(import.meta.url)) continue; // its examples, checked above
      const rel = path.relative(projectRoot, file);
      for (const hit of machinePaths(text)) offenders.push(`${rel}:${hit}`);
    }
    expect(offenders).toEqual([]);
  });
});
