// PDFs handed to the app on its command line: a first launch's argv, or a second launch's (which
// the single-instance lock forwards to the first). Options and the app's own path are skipped.
import path from 'node:path';

export function pdfsInArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .slice(1)
    .filter((a) => !a.startsWith('-') && a.toLowerCase().endsWith('.pdf'))
    .map((a) => path.resolve(cwd, a));
}
