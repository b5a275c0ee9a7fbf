#!/usr/bin/env node
// Prints the benchmark figures as ratios, the way the issues state their targets.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? 'bench/results';
const read = (name) => {
  const p = path.join(dir, name);
  return fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, 'utf8')) : undefined;
};
const mean = (run, name) => run?.results.find((r) => r.command === name)?.mean;
const lines = [];
const one = read('sign-1page.json');
if (one) {
  const k = mean(one, 'kyso');
  const p = mean(one, 'pdfsig');
  lines.push(
    `sign 1 page: kyso ${(k * 1000).toFixed(0)} ms, pdfsig ${(p * 1000).toFixed(0)} ms → ${(k / p).toFixed(2)}× pdfsig (target ≤ 1.5×)`,
  );
  const floor = mean(one, 'node-floor-signer');
  const empty = mean(one, 'node-empty');
  if (floor !== undefined && empty !== undefined) {
    lines.push(
      `  floors: node -e 0 ${(empty * 1000).toFixed(0)} ms (${(empty / p).toFixed(2)}× pdfsig), minimal Node token signer ${(floor * 1000).toFixed(0)} ms (${(floor / p).toFixed(2)}× pdfsig); kyso's own work ${((k - floor) * 1000).toFixed(0)} ms`,
    );
  }
}
const scan = read('sign-scan.json');
if (scan) {
  const base = mean(scan, 'copy+hash');
  const k = mean(scan, 'kyso');
  const p = mean(scan, 'pdfsig');
  lines.push(
    `sign scan: copy+hash ${base.toFixed(2)} s, kyso ${k.toFixed(2)} s (${(k / base).toFixed(2)}×, target ≤ 1.5×), pdfsig ${p.toFixed(2)} s (${(p / base).toFixed(2)}×)`,
  );
}
const mem = read('sign-memory.json');
if (mem) {
  lines.push(
    `peak memory: kyso ${(mem.kysoPeakKiB / 1024).toFixed(0)} MiB on ${(mem.scanBytes / 2 ** 20).toFixed(0)} MiB scan (target ≤ 150 MiB), ${(mem.kyso1PagePeakKiB / 1024).toFixed(0)} MiB on 1 page; pdfsig ${(mem.pdfsigPeakKiB / 1024).toFixed(0)} MiB`,
  );
}
const v1 = read('verify-1page.json');
if (v1) {
  const k = mean(v1, 'kyso');
  const p = mean(v1, 'pdfsig');
  const empty = mean(v1, 'node-empty');
  lines.push(
    `verify 1 page: kyso ${(k * 1000).toFixed(0)} ms, pdfsig ${(p * 1000).toFixed(0)} ms → ${(k / p).toFixed(2)}× pdfsig (target ≤ 3×)` +
      (empty !== undefined ? `; node -e 0 ${(empty * 1000).toFixed(0)} ms` : ''),
  );
}
const v100 = read('verify-100.json');
if (v100) {
  const k = mean(v100, 'kyso');
  const p = mean(v100, 'pdfsig');
  lines.push(
    `verify 100 files: kyso --in ${k.toFixed(2)} s, pdfsig per file ${p.toFixed(2)} s → ${(p / k).toFixed(1)}× faster (target ≥ 3×)`,
  );
}
const vmem = read('verify-memory.json');
if (vmem) {
  const counts = Object.keys(vmem.peakKiB).sort((a, b) => Number(a) - Number(b));
  const mib = counts.map((n) => (vmem.peakKiB[n] / 1024).toFixed(0));
  lines.push(`verify peak memory: ${mib.join(' / ')} MiB for ${counts.join(' / ')} files (target: flat)`);
}
for (const extra of ['verify-summary.txt', 'batch-summary.txt']) {
  const p = path.join(dir, extra);
  if (fs.existsSync(p)) lines.push(fs.readFileSync(p, 'utf8').trim());
}
process.stdout.write(`\n== Kyso benchmark summary\n${lines.join('\n')}\n`);
