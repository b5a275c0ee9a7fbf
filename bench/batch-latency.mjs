#!/usr/bin/env node
// The batch pipeline against a slow token: `node bench/batch-latency.mjs IN_DIR OUT_DIR [MS]`.
// Signs every PDF of IN_DIR in one batch (in-process, the built engine) on the SoftHSM token
// "Kyso Bench", seen through a wrapper of the PKCS#11 interface that makes every C_Sign take MS
// milliseconds (default 250) like a real USB token, and counts C_Login. If the token is the only
// serial step, the batch takes N × MS plus little. Prints one JSON line.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const [inDir, outDir, msArg] = process.argv.slice(2);
if (!inDir || !outDir) {
  process.stderr.write('usage: node bench/batch-latency.mjs IN_DIR OUT_DIR [MS]\n');
  process.exit(2);
}
const latencyMs = Number(msArg ?? 250);
const root = path.resolve(import.meta.dirname, '..');
const { TokenManager, Secret, runBatch, tokenSignerSource } = await import(
  path.join(root, 'dist/signing/index.js')
);

let logins = 0;
let signatures = 0;
/** Every call passes through; C_SignAsync waits first, C_Login is counted. */
const slowToken = (api) =>
  new Proxy(api, {
    get(target, name) {
      if (name === 'C_SignAsync') {
        return async (session, data, out) => {
          signatures++;
          await new Promise((resolve) => setTimeout(resolve, latencyMs));
          return await target.C_SignAsync(session, data, out);
        };
      }
      if (name === 'C_Login') {
        return (...args) => {
          logins++;
          return target.C_Login(...args);
        };
      }
      const value = target[name];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

const documents = readdirSync(inDir).filter((f) => f.toLowerCase().endsWith('.pdf')).length;
rmSync(outDir, { recursive: true, force: true });
const manager = await TokenManager.open([{ path: '/usr/lib/softhsm/libsofthsm2.so', origin: 'option' }], {
  wrap: slowToken,
});
const source = tokenSignerSource({
  manager,
  selector: { token: 'Kyso Bench' },
  getPin: async () => new Secret(process.env.KYSO_BENCH_PIN ?? '123456'),
});
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const start = performance.now();
const result = await runBatch({ inputs: [inDir], outDir, signer: source });
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
source.close();
manager.close();
const floor = (documents * latencyMs) / 1000;
process.stdout.write(
  `${JSON.stringify({
    documents,
    signed: result.signed,
    failed: result.failed,
    latencyMs,
    seconds: Number(seconds.toFixed(2)),
    tokenOnlySeconds: floor,
    overheadPercent: Number((((seconds - floor) / floor) * 100).toFixed(2)),
    logins,
    signatures,
    peakRssMiB: Math.round(peakRss / 2 ** 20),
  })}\n`,
);
process.exit(result.signed === documents ? 0 : 1);
