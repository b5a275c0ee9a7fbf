// The app stands on the engine's public entries (package.json "exports": kyso/sign, kyso/verify, …)
// and never on the CLI or an engine folder: the desktop app, the web host and the renderer could use
// the engine as an installed library. A test over the import statements of src/main and src/renderer.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const exportsMap = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, string> }
).exports;
/** The source files behind the public entries (dist/signing/x.js ← src/signing/x.ts). */
const entries = new Set(
  Object.values(exportsMap).map((target) =>
    path.join(root, target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')),
  ),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

/** Every relative module a file imports or re-exports (static and dynamic), resolved to src. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/\bfrom\s+'(\.[^']+)'/g),
    ...text.matchAll(/\bimport\s*\(\s*'(\.[^']+)'\s*\)/g),
    ...text.matchAll(/^import\s+'(\.[^']+)'/gm),
  ].map((m) => m[1]!);
  return specs.map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'));
}

/** What is wrong with `target` as an import of the app, or null. */
function breach(target: string): string | null {
  const rel = path.relative(root, target);
  if (rel.startsWith(`src${path.sep}cli${path.sep}`)) return 'the CLI';
  if (rel.startsWith(`src${path.sep}signing${path.sep}`) && !entries.has(target)) {
    return 'an engine module that is not a public entry';
  }
  return null;
}

describe('the app on the engine public entries', () => {
  it('src/main and src/renderer import the engine only through its entries, and nothing of the CLI', () => {
    const files = [
      ...sourceFiles(path.join(root, 'src/main')),
      ...sourceFiles(path.join(root, 'src/renderer')),
    ];
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) =>
      importsOf(file).flatMap((target) => {
        const why = breach(target);
        return why === null ? [] : [`${path.relative(root, file)} → ${path.relative(root, target)} (${why})`];
      }),
    );
    expect(found).toEqual([]);
  });

  it('the check can fail: an engine folder and the CLI are breaches, the entries are not', () => {
    expect(breach(path.join(root, 'src/signing/verify/verify-pdf.ts'))).not.toBeNull();
    expect(breach(path.join(root, 'src/cli/verify-command.ts'))).toBe('the CLI');
    expect(breach(path.join(root, 'src/signing/verify-api.ts'))).toBeNull();
    expect(breach(path.join(root, 'src/signing/settings.ts'))).toBeNull();
    expect(importsOf(path.join(root, 'src/main/services/verify-service.ts'))).toContain(
      path.join(root, 'src/signing/verify-api.ts'),
    );
  });
});
