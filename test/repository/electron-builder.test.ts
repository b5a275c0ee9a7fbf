// The installers cannot be built on these machines, so the packaging configuration is checked as
// data: Windows NSIS for x64 and ia32 (32-bit token DLLs need a 32-bit process), AppImage and deb,
// dmg, the "Mở bằng Kyso" PDF association, the native addons rebuilt for Electron and kept outside
// the asar archive (dlopen needs real files).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { globToRegExp, parseYamlSubset, YamlSubsetError } from '../support/yaml-subset.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Target {
  target: string;
  arch: string[];
}

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  fileAssociations: Array<Record<string, unknown>>;
  win: { target: Target[]; artifactName: string };
  nsis: { perMachine: boolean; oneClick: boolean };
  linux: { target: Target[] };
  mac: { target: Target[] };
}

const config = parseYamlSubset(
  readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8'),
) as BuilderConfig;

const archOf = (targets: readonly Target[], name: string): string[] =>
  targets.filter((t) => t.target === name).flatMap((t) => t.arch);

/** Files of an installed package, relative to the project (as electron-builder sees them). */
function packageFiles(name: string): string[] {
  const dir = path.join(ROOT, 'node_modules', name);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

const unpacked = (file: string): boolean => config.asarUnpack.some((g) => globToRegExp(g).test(file));

describe('electron-builder.yml', () => {
  it('builds Windows NSIS installers for x64 and ia32, named by architecture', () => {
    expect(archOf(config.win.target, 'nsis').sort()).toEqual(['ia32', 'x64']);
    expect(config.win.artifactName).toContain('${arch}');
  });

  it('builds AppImage and deb for Linux and dmg for macOS', () => {
    expect(archOf(config.linux.target, 'AppImage')).toContain('x64');
    expect(archOf(config.linux.target, 'deb')).toContain('x64');
    expect(archOf(config.mac.target, 'dmg')).toEqual(expect.arrayContaining(['x64', 'arm64']));
  });

  it('associates PDF files as "Mở bằng Kyso" without claiming to be the default viewer', () => {
    const pdf = config.fileAssociations.filter((a) =>
      Array.isArray(a['ext']) ? a['ext'].includes('pdf') : a['ext'] === 'pdf',
    );
    expect(pdf).toHaveLength(1);
    expect(pdf[0]).toMatchObject({
      description: 'Mở bằng Kyso',
      mimeType: 'application/pdf',
      rank: 'Alternate',
    });
    expect(['Viewer', 'Editor']).toContain(pdf[0]?.['role']);
    // NSIS writes file associations only for a per-machine installation.
    expect(config.nsis.perMachine).toBe(true);
  });

  it('rebuilds native addons for Electron from source and unpacks them from the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    const pkcs11 = packageFiles('pkcs11js');
    const binding = pkcs11.filter((f) => f.endsWith('.node'));
    expect(binding.length).toBeGreaterThan(0);
    for (const f of binding) expect(unpacked(f), f).toBe(true);
    // The probe child requires the binding's index.js by its real path.
    expect(unpacked('node_modules/pkcs11js/index.js')).toBe(true);
    const sqlite = packageFiles('better-sqlite3').filter((f) => f.endsWith('.node'));
    expect(sqlite.length).toBeGreaterThan(0);
    for (const f of sqlite) expect(unpacked(f), f).toBe(true);
    // The app's own code stays inside the archive.
    expect(unpacked('dist/main/electron/main.js')).toBe(false);
  });

  it('packs the entry point package.json names', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    const included = config.files.filter((g) => !g.startsWith('!'));
    expect(included.some((g) => globToRegExp(g).test(pkg.main))).toBe(true);
  });
});

describe('the YAML reader the test uses', () => {
  it('reads nested mappings, sequences of mappings, flow sequences, quotes and comments', () => {
    const v = parseYamlSubset(
      [
        'a: 1 # one',
        'b:',
        '  - target: nsis',
        '    arch: [x64, ia32]',
        '  - deb',
        "c: 'it''s # not a comment'",
        'd:',
        '- "x"',
        'e: true',
      ].join('\n'),
    );
    expect(v).toEqual({
      a: 1,
      b: [{ target: 'nsis', arch: ['x64', 'ia32'] }, 'deb'],
      c: "it's # not a comment",
      d: ['x'],
      e: true,
    });
  });

  it('refuses what it does not understand instead of misreading it', () => {
    expect(() => parseYamlSubset('a: &x 1')).toThrow(YamlSubsetError);
    expect(() => parseYamlSubset('a: {b: 1}')).toThrow(YamlSubsetError);
    expect(() => parseYamlSubset('a: |\n  text')).toThrow(YamlSubsetError);
    expect(() => parseYamlSubset('a: 1\na: 2')).toThrow(/duplicate/);
    expect(() => parseYamlSubset('a:\n    b: 1\n  c: 2')).toThrow(YamlSubsetError);
  });
});
