#!/usr/bin/env node
// Launcher for the bundled CLI (dist/kyso.cjs, made by `npm run build`). It compiles the bundle
// with V8's code cache (dist/kyso.cjs.cache, written after a run when missing or stale), because
// compiling the bundle is most of a command's start-up time; without a usable cache it just runs.
import { createRequire } from 'node:module';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'kyso.cjs');
const cacheFile = `${file}.cache`;
// The same wrapper Node gives a CommonJS module, so the cache matches what runs.
const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(source, {
  filename: file,
  ...(cachedData ? { cachedData } : {}),
});
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));

function saveCache() {
  if (cachedData !== undefined && !script.cachedDataRejected) return;
  try {
    // After the command ran, the cache also holds the functions it compiled on the way.
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
  } catch {
    // a read-only install simply runs without a cache
  }
}

module.exports.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    saveCache();
  },
  (err) => {
    // Last resort only: main() maps every known failure to a message and an exit code itself.
    process.stderr.write(
      `kyso: ${err && err.code ? err.code : 'INTERNAL'}: ${err && err.message ? err.message : err}\n`,
    );
    process.exitCode = 70;
  },
);
