#!/usr/bin/env node
// N signed copies of the 1-page decision (fixtures/documents/make-decision.mjs), signed by Kyso's
// signPdf with the test PKI's chairman .p12: the documents of the verify start-up benchmark.
//
//   npm run build && node bench/make-verify-docs.mjs PKI_DIR OUT_DIR N
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [pki, out, n] = process.argv.slice(2);
const count = Number(n);
if (!pki || !out || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: node bench/make-verify-docs.mjs PKI_DIR OUT_DIR N\n');
  process.exit(2);
}
const { signPdf, openP12 } = await import(path.join(root, 'dist/signing/index.js'));
mkdirSync(out, { recursive: true });
const input = path.join(out, '.decision.pdf');
execFileSync(process.execPath, [path.join(root, 'fixtures/documents/make-decision.mjs'), input]);
const signer = await openP12(path.join(pki, 'chairman-rsa2048.p12'), 'kyso-p12');
for (let i = 1; i <= count; i++) {
  await signPdf({ input, output: path.join(out, `doc-${String(i).padStart(4, '0')}.pdf`), signer });
}
rmSync(input);
