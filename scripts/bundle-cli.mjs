#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and the engine it imports) into one CommonJS file,
// dist/kyso.cjs, which bin/kyso.js runs through node:vm with V8's code cache. A command's
// start-up time is mostly loading and compiling modules: one file instead of a few hundred, and
// compiled code reused from the cache, make `kyso sign` start several times faster.
// pkcs11js (a native addon), node-forge (.p12 files only) and @cantoo/fontkit (visible signatures
// only) stay outside; the engine imports the last two on first use.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [path.join(root, 'dist/cli/main.js')],
  outfile: path.join(root, 'dist/kyso.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['pkcs11js', 'node-forge', '@cantoo/fontkit'],
  // import.meta does not exist in CommonJS: the engine only uses import.meta.url, to resolve
  // packages and files next to it, which the bundle's own file URL serves as well.
  define: { 'import.meta.url': '__kysoFileUrl' },
  banner: { js: "const __kysoFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  logLevel: 'warning',
});
