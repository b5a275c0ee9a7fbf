#!/usr/bin/env node
// One paragraph on the batch benchmarks (bench/batch.sh), against the targets; written to
// bench/results/batch-summary.txt, which bench/summary.mjs prints.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? 'bench/results';
const read = (name) => {
  const p = path.join(dir, name);
  return fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, 'utf8')) : undefined;
};
const throughput = read('batch-throughput.json')?.results?.[0];
const pdfsig = read('batch-pdfsig.json')?.results?.[0];
const memory = read('batch-memory.json');
const latency = read('batch-latency.json');
const docs = latency?.documents ?? memory?.largeDocs ?? 1000;
const parts = [];
if (throughput && pdfsig) {
  const kysoRate = docs / throughput.mean;
  const pdfsigRate = docs / pdfsig.mean;
  parts.push(
    `batch of ${docs} one-page documents on SoftHSM: kyso batch ${throughput.mean.toFixed(1)} s (${kysoRate.toFixed(0)} docs/s), ` +
      `pdfsig once per file ${pdfsig.mean.toFixed(0)} s (${pdfsigRate.toFixed(1)} docs/s) → ${(kysoRate / pdfsigRate).toFixed(1)}× pdfsig (target ≥ 20×)`,
  );
}
if (latency) {
  parts.push(
    `with a token slowed to ${latency.latencyMs} ms per signature: ${latency.seconds.toFixed(1)} s for ${latency.documents} documents ` +
      `against ${latency.tokenOnlySeconds.toFixed(0)} s of token time (${latency.overheadPercent >= 0 ? '+' : ''}${latency.overheadPercent.toFixed(1)}%, target ≤ +5%), ` +
      `${latency.logins} C_Login, ${latency.signatures} C_Sign`,
  );
}
if (memory) {
  parts.push(
    `peak memory ${(memory.smallPeakKiB / 1024).toFixed(0)} MiB at ${memory.smallDocs} documents, ${(memory.largePeakKiB / 1024).toFixed(0)} MiB at ${memory.largeDocs}`,
  );
}
process.stdout.write(parts.length > 0 ? `${parts.join('; ')}.\n` : 'batch: no results yet.\n');
