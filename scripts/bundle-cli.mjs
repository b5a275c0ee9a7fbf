#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and the engine it imports) into CommonJS files that
// bin/kyso.js runs through node:vm with V8's code cache: dist/kyso.cjs with every command (help,
// version, unknown commands) and dist/kyso-<command>.cjs with one command's code alone. A command's
// start-up time is mostly reading, compiling and evaluating modules: one minified file, compiled
// code reused from the cache, and modules evaluated only when a command first needs them (esbuild
// turns the engine's dynamic import() into lazy initialisers) make `kyso sign` start several times
// faster.
// pkcs11js (a native addon), node-forge (.p12 files only) and @cantoo/fontkit (visible signatures
// only) stay outside; the engine requires the last two on first use.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const { COMMAND_NAMES } = await import(pathToFileURL(path.join(dist, 'cli/main.js')).href);

/** One bundle: all commands (only: undefined) or one command's code alone. */
async function bundle(outfile, only) {
  await build({
    entryPoints: [path.join(dist, 'cli/main.js')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // better-sqlite3 (the outbox) is a native addon: required from node_modules at run time.
    external: ['pkcs11js', 'node-forge', '@cantoo/fontkit', 'better-sqlite3'],
    define: {
      // import.meta does not exist in CommonJS: the engine only uses import.meta.url, to resolve
      // packages and files next to it, which the bundle's own file URL serves as well.
      'import.meta.url': '__kysoFileUrl',
      // src/cli/main.ts: the other commands' branches fold to false and their code is left out.
      ...(only ? { __KYSO_ONLY_COMMAND__: JSON.stringify(only) } : {}),
    },
    banner: { js: "const __kysoFileUrl = require('node:url').pathToFileURL(__filename).href;" },
    // Fewer bytes to read and compile. Identifiers keep their names, for profiles and crash reports.
    minifyWhitespace: true,
    minifySyntax: true,
    // Non-ASCII text is escaped, so the launcher can read the file as Latin-1, V8's fast one-byte
    // strings, instead of decoding UTF-8 into a two-byte string (20 ms for this file here).
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const bytes = readFileSync(outfile);
  // bin/kyso.js runs the bundle in node:vm, where a native import() has no module loader: every
  // dynamic import must have been turned into a lazy require (bundled code, or createRequire for
  // packages and built-ins).
  const nativeImport = bytes.toString('latin1').search(/\bimport\(/);
  if (nativeImport >= 0) {
    throw new Error(`${outfile} keeps a native import() at ${nativeImport}: use createRequire instead`);
  }
  const nonAscii = bytes.findIndex((b) => b > 0x7f);
  if (nonAscii >= 0) {
    throw new Error(`${outfile} has a non-ASCII byte at ${nonAscii}: the launcher reads it as Latin-1`);
  }
}

// Caches of the previous bundles are useless now; bin/kyso.js makes new ones on first use.
for (const name of readdirSync(dist)) {
  if (/^kyso(-[a-z]+)?\.cjs(\..*\.cache)?$/.test(name)) rmSync(path.join(dist, name), { force: true });
}
await bundle(path.join(dist, 'kyso.cjs'), undefined);
for (const command of COMMAND_NAMES) await bundle(path.join(dist, `kyso-${command}.cjs`), command);
