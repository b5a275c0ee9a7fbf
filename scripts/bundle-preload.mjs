#!/usr/bin/env node
// Bundles the Electron preload (src/main/electron/preload.ts) into dist/main/electron/preload.cjs:
// a sandboxed preload runs as CommonJS and may require only a few modules, so it is one file that
// requires `electron` and nothing else (checked below).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist/main/electron/preload.cjs');

await build({
  entryPoints: [path.join(root, 'src/main/electron/preload.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'chrome130',
  external: ['electron'],
  legalComments: 'none',
  logLevel: 'warning',
});

const text = readFileSync(outfile, 'utf8');
const required = [...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
const others = required.filter((name) => name !== 'electron');
if (others.length > 0) {
  throw new Error(`${outfile} requires ${others.join(', ')}: a sandboxed preload may require only electron`);
}
