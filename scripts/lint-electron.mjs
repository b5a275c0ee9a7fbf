#!/usr/bin/env node
// npm run lint:electron: @doyensec/electronegativity over the app's sources (src: the Electron shell in
// src/main and the renderer together, since its global checks, such as navigation limits, look for
// the main process's handlers); fails on any finding of high or critical severity, lists the others.
// The tool prints a table for people; its CSV report is what is read here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'node_modules/.bin/electronegativity');
const inputs = ['src'];
const FAILING = new Set(['HIGH', 'CRITICAL']);

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field.trim());
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field.trim());
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-electronegativity-'));
let failed = 0;
try {
  for (const input of inputs) {
    const report = path.join(dir, `${input.replace(/\W+/g, '-')}.csv`);
    // -e: the Electron version of package.json, so the tool does not ask the network for releases.
    const version = JSON.parse(
      readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
    ).version;
    execFileSync(bin, ['-i', path.join(root, input), '-o', report, '-r', '-e', version], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const [header, ...rows] = parseCsv(readFileSync(report, 'utf8'));
    const col = (name) => header.findIndex((h) => h.toLowerCase() === name);
    const [issue, severity, confidence, file, location] = [
      'issue',
      'severity',
      'confidence',
      'filename',
      'location',
    ].map(col);
    for (const r of rows) {
      const level = (r[severity] ?? '').toUpperCase();
      const line = `${level.padEnd(13)} ${r[issue]} (${r[confidence]}) ${input}/${r[file]}:${r[location]}`;
      if (FAILING.has(level)) {
        failed++;
        process.stderr.write(`${line}\n`);
      } else process.stdout.write(`${line}\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed > 0) {
  process.stderr.write(`lint:electron: ${failed} high-severity finding(s)\n`);
  process.exit(1);
}
process.stdout.write('lint:electron: no high-severity finding\n');
