#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and the engine it imports) into one file,
// dist/kyso.mjs. A command's start-up time is mostly module resolution and loading: one file
// instead of a few hundred makes `kyso sign` start several times faster. Bundled modules reached
// through import() are initialised only when first used. pkcs11js (a native addon) stays outside,
// and so do node-forge (.p12 files only) and @cantoo/fontkit (visible signatures only), which the
// engine imports dynamically: an external's static import would load it at every start-up.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [path.join(root, 'dist/cli/main.js')],
  outfile: path.join(root, 'dist/kyso.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['pkcs11js', 'node-forge', '@cantoo/fontkit'],
  // Bundled CommonJS code calls require(); give it one that resolves from dist/.
  banner: {
    js: "import { createRequire as __kysoCreateRequire } from 'node:module'; const require = __kysoCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
