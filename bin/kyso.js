#!/usr/bin/env node
// Launcher for the bundled CLI (dist/kyso-<command>.cjs and dist/kyso.cjs, made by `npm run build`).
// CommonJS (bin/package.json) because Node starts an ES module entry more slowly. It compiles the
// bundle with V8's code cache (dist/kyso-<command>.cjs.<size>-<time>.cache), written after the first
// successful run, so that it holds the functions the command compiled: compiling is most of a
// command's start-up time. Without a usable cache it simply runs.
'use strict';
const { createRequire } = require('node:module');
const { readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const argv = process.argv.slice(2);
const dist = path.join(__dirname, '..', 'dist');
// A command's own bundle (dist/kyso-sign.cjs holds only what `kyso sign` uses), else the bundle of
// every command (help, version, unknown commands).
let file = path.join(dist, 'kyso.cjs');
let stats;
if (/^[a-z]+$/.test(argv[0] || '')) {
  try {
    stats = statSync(path.join(dist, `kyso-${argv[0]}.cjs`));
    file = path.join(dist, `kyso-${argv[0]}.cjs`);
  } catch {
    stats = undefined;
  }
}
stats = stats || statSync(file);
// V8 checks a cache against the source's length only: the bundle's size and time in the name make a
// rebuilt bundle of the same length never meet the old cache (the build also deletes old caches).
const cacheFile = `${file}.${stats.size}-${Math.trunc(stats.mtimeMs)}.cache`;
// The bundle is ASCII (the build checks), so Latin-1 gives the same text without UTF-8 decoding;
// the wrapper is the one Node gives a CommonJS module.
const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n})`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, path.dirname(file));

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

bundle.exports.main(argv).then(
  (code) => {
    process.exitCode = code;
    // Only a run that went all the way: a failed run compiled too little to be worth keeping.
    if (code === 0) saveCache();
  },
  (err) => {
    // Last resort only: main() maps every known failure to a message and an exit code itself.
    process.stderr.write(
      `kyso: ${err && err.code ? err.code : 'INTERNAL'}: ${err && err.message ? err.message : err}\n`,
    );
    process.exitCode = 70;
  },
);
