#!/usr/bin/env node
// Thin launcher: the CLI is compiled and bundled into dist/kyso.mjs by `npm run build`.
import('../dist/kyso.mjs')
  .then((m) => m.main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      // Last resort only: main() maps every known failure to a message and an exit code itself.
      process.stderr.write(
        `kyso: ${err && err.code ? err.code : 'INTERNAL'}: ${err && err.message ? err.message : err}\n`,
      );
      process.exitCode = 70;
    },
  );
