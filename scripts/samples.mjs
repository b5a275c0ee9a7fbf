#!/usr/bin/env node
// `npm run samples`: signs a sample of each Decree 30 appearance template (personal, seal over it,
// text, certified copy) on portrait, landscape, rotated (90/180/270) and offset pages, with the test
// PKI's identities, into samples/appearance/ (git-ignored), renders every signed page to PNG for
// people to look at, and checks each signed file with pdfsig and Kyso's verifier. Needs `npm run build` first (the
// package script does it), openssl and poppler-utils.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engine = await import(path.join(root, 'dist/signing/index.js'));
const { openP12, prepareAppearance, signPdf, verifyPdf, loadTrustStore } = engine;

const outDir = path.join(root, 'samples', 'appearance');
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-samples-'));
const pki = path.join(work, 'pki');
const assets = path.join(work, 'assets');
process.stdout.write('Building the test PKI and the sample documents…\n');
execFileSync('bash', [path.join(root, 'fixtures/pki/make-pki.sh'), pki], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
execFileSync(process.execPath, [path.join(root, 'fixtures/appearance/make-assets.mjs'), assets], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

const trust = await loadTrustStore({ files: [path.join(pki, 'root-ca.pem')], managed: false });
const chairman = await openP12(path.join(pki, 'chairman-rsa2048.p12'), 'kyso-p12');
const agency = await openP12(path.join(pki, 'agency-rsa3072.p12'), 'kyso-p12');
const image = (name) => path.join(assets, 'images', name);
const doc = (name) => path.join(assets, 'pdf', name);

function pdfsigValid(file) {
  let text = '';
  try {
    text = execFileSync('pdfsig', ['-nssdir', `sql:${path.join(pki, 'nssdb')}`, '-no-ocsp', file], {
      encoding: 'utf8',
    });
  } catch (err) {
    text = String(err.stdout ?? '');
  }
  const total = (text.match(/^Signature #\d+:/gm) ?? []).length;
  const valid = (text.match(/Signature Validation: Signature is Valid\./g) ?? []).length;
  return { total, valid };
}

function render(file, page) {
  const base = file.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', [
    '-r',
    '100',
    '-cropbox',
    '-png',
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    file,
    base,
  ]);
  return `${base}.png`;
}

const rows = [];
async function sample(name, input, signer, request) {
  const output = path.join(outDir, `${name}.pdf`);
  const prepared = await prepareAppearance(input, request);
  await signPdf({ input, output, signer, options: { page: prepared.page, appearance: prepared.appearance } });
  const png = render(output, prepared.page);
  const check = pdfsigValid(output);
  const report = await verifyPdf({ input: output, trust, lang: 'en' });
  const ours = report.signatures.filter((x) => x.status === 'valid').length;
  rows.push({
    name,
    page: prepared.page,
    ...check,
    ours,
    bytes: fs.statSync(output).size - fs.statSync(input).size,
    png,
  });
  return output;
}

const SHAPES = [
  'portrait',
  'landscape',
  'rotated-90',
  'rotated-180',
  'rotated-270',
  'offset',
  'offset-rotated-90',
];
for (const shape of SHAPES) {
  const input = doc(`${shape}.pdf`);
  const personal = await sample(`${shape}-1-personal`, input, chairman, {
    template: 'personal',
    image: image('signature.png'),
    anchor: 'CHỦ TỊCH',
  });
  await sample(`${shape}-2-seal`, personal, agency, { template: 'seal', image: image('seal.png') });
  await sample(`${shape}-text`, input, agency, { template: 'text', docNumber: '125/QĐ-UBND' });
  await sample(`${shape}-certified-copy`, input, chairman, {
    template: 'certified-copy',
    certification: { number: '1503', book: '01/2026-SCT/BS' },
  });
}

let failed = 0;
for (const r of rows) {
  const ok = r.total > 0 && r.valid === r.total && r.ours === r.total;
  if (!ok) failed++;
  process.stdout.write(
    `${ok ? 'OK  ' : 'FAIL'} ${r.name.padEnd(34)} page ${r.page}  pdfsig ${r.valid}/${r.total} valid, kyso verify ${r.ours}/${r.total}  +${(r.bytes / 1024).toFixed(1)} KB  ${path.relative(root, r.png)}\n`,
  );
}
fs.rmSync(work, { recursive: true, force: true });
process.stdout.write(`\n${rows.length} samples in ${path.relative(root, outDir)}/, ${failed} failed.\n`);
process.exitCode = failed === 0 ? 0 : 1;
