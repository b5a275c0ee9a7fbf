#!/usr/bin/env node
// Which modules a CLI command evaluates before it runs: the static import graph from the command's
// module, as esbuild resolves it for the bundle, not following dynamic import() (those load on
// first use). `node scripts/startup-graph.mjs sign-command` prints the packages and engine folders
// it reaches and their size; --why PACKAGE shows the import chain that loads it; --json, the list.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startupGraph(command) {
  const result = await build({
    entryPoints: [path.join(root, 'dist/cli/main.js')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    outfile: path.join(root, 'dist/graph.cjs'),
    external: ['pkcs11js', 'node-forge', '@cantoo/fontkit'],
    define: { 'import.meta.url': '__kysoFileUrl' },
    logLevel: 'silent',
  });
  const { inputs } = result.metafile;
  const start = `dist/cli/${command}.js`;
  if (!inputs[start]) throw new Error(`no module ${start} in the bundle`);
  const seen = new Set([start]);
  const parent = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const imp of inputs[file]?.imports ?? []) {
      if (imp.kind !== 'import-statement' && imp.kind !== 'require-call') continue;
      if (imp.external || seen.has(imp.path)) continue;
      seen.add(imp.path);
      parent.set(imp.path, file);
      queue.push(imp.path);
    }
  }
  // `via`: the chain of imports that first reached the module, to see why it loads.
  const via = (file) => {
    const chain = [];
    for (let f = parent.get(file); f !== undefined; f = parent.get(f)) chain.unshift(f);
    return chain;
  };
  return [...seen].map((file) => ({ file, bytes: inputs[file]?.bytes ?? 0, via: via(file) }));
}

/** node_modules/<package> or the engine folder (dist/signing/verify) a module belongs to. */
export function groupOf(file) {
  const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  return path.dirname(file);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? 'sign-command';
  const modules = await startupGraph(command);
  const why = process.argv.indexOf('--why');
  if (why > 0) {
    const target = process.argv[why + 1];
    const hit = modules.find((m) => groupOf(m.file) === target || m.file === target);
    console.log(hit ? [...hit.via, hit.file].join('\n  -> ') : `${target} is not loaded at start`);
  } else if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(modules)}\n`);
  } else {
    const groups = new Map();
    for (const m of modules) groups.set(groupOf(m.file), (groups.get(groupOf(m.file)) ?? 0) + m.bytes);
    const total = modules.reduce((a, m) => a + m.bytes, 0);
    for (const [g, b] of [...groups].sort((a, b) => b[1] - a[1]))
      console.log(`${(b / 1024).toFixed(0).padStart(6)} KiB  ${g}`);
    console.log(`${(total / 1024).toFixed(0).padStart(6)} KiB  in ${modules.length} modules`);
  }
}
