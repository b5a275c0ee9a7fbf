#!/usr/bin/env node
// Verification throughput: N signed one-page documents (default 1,000), verified by Kyso's
// verifyPdf and by poppler's pdfsig on the same files, one after the other, side by side.
//
//   npm run build && node bench/verify-bench.mjs [N]
//
// The PKI comes from fixtures/pki/make-pki.sh (in a temp folder); the documents are signed with
// the chairman's .p12 by Kyso's own signPdf. Both verifiers get the test root as trust anchor;
// pdfsig runs with -no-ocsp, Kyso offline (the default), so neither touches the network.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { signPdf, openP12, verifyPdf, TrustStore } = await import(path.join(root, 'dist/signing/index.js'));

const count = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: node bench/verify-bench.mjs [N]\n');
  process.exit(2);
}

/** A one-page PDF with a line of text, classic cross-reference. */
function onePage(n) {
  const text = `BT /F1 14 Tf 72 760 Td (Quyet dinh so ${n}/2026/QD-UBND) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.7\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const work = mkdtempSync(path.join(os.tmpdir(), 'kyso-verify-bench-'));
try {
  const pki = path.join(work, 'pki');
  execFileSync('bash', [path.join(root, 'fixtures/pki/make-pki.sh'), pki], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const signer = await openP12(path.join(pki, 'chairman-rsa2048.p12'), 'kyso-p12');
  const files = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const input = path.join(work, `in-${i}.pdf`);
    const output = path.join(work, `signed-${i}.pdf`);
    writeFileSync(input, onePage(i));
    await signPdf({ input, output, signer });
    rmSync(input);
    files.push(output);
  }
  const signSeconds = (performance.now() - t0) / 1000;

  const trust = TrustStore.fromCertificates([new Uint8Array(readFileSync(path.join(pki, 'root-ca.der')))]);
  const statuses = {};
  const t1 = performance.now();
  for (const input of files) {
    const report = await verifyPdf({ input, trust });
    statuses[report.status] = (statuses[report.status] ?? 0) + 1;
  }
  const kysoSeconds = (performance.now() - t1) / 1000;

  let pdfsigValid = 0;
  const t2 = performance.now();
  for (const file of files) {
    const { stdout } = await run('pdfsig', [
      '-nssdir',
      `sql:${path.join(pki, 'nssdb')}`,
      '-no-ocsp',
      file,
    ]).catch((e) => e);
    if (/Signature Validation: Signature is Valid\./.test(stdout ?? '')) pdfsigValid++;
  }
  const pdfsigSeconds = (performance.now() - t2) / 1000;

  const rate = (s) => (count / s).toFixed(1);
  const rows = [
    ['verifier', 'documents', 'seconds', 'documents/s', 'valid'],
    ['kyso verifyPdf', count, kysoSeconds.toFixed(2), rate(kysoSeconds), statuses.valid ?? 0],
    ['pdfsig -no-ocsp', count, pdfsigSeconds.toFixed(2), rate(pdfsigSeconds), pdfsigValid],
  ];
  process.stdout.write(
    `Signed ${count} one-page documents in ${signSeconds.toFixed(1)} s (not part of the comparison).\n`,
  );
  for (const r of rows)
    process.stdout.write(`${r.map((c, i) => String(c).padEnd(i === 0 ? 18 : 12)).join('')}\n`);
  if ((statuses.valid ?? 0) !== count || pdfsigValid !== count) {
    process.stderr.write(
      `verdicts differ from "all valid": kyso ${JSON.stringify(statuses)}, pdfsig valid ${pdfsigValid}\n`,
    );
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
