#!/usr/bin/env node
// Opt-in, not part of npm test. Runs `verifyPdf` (built: npm run build) over the signed and attack
// PDFs of a corpus folder, DATA/pdf/{signed,attacks}, and compares with the pdfsig verdicts of
// DATA/MANIFEST.jsonl. Prints counts and every disagreement; `--json FILE` writes the per-file results.
//
//   node test/signing/verify/corpus-verdicts.mjs [--data DATA] [--json out.json] [--only attacks|signed]
//
// DATA is --data, else $KYSO_CORPUS_DATA, else test/corpus (the part of the corpus the tests use:
// 379 of 514 files). For the whole corpus (479 signed PDFs, 35 attacks) pass the shared test-data
// folder the files of test/corpus were copied from: a folder with MANIFEST.jsonl (lines with
// category, local, pdfsig) and the files at the `local` paths it names.
//
// pdfsig's "Signature Validation" speaks of the digest and the cryptographic signature only, so
// the comparison is on those two checks (integrity + signature of every CMS signature); trust is
// not compared (the corpus signers chain to roots we do not trust).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const shared = path.resolve(
  args.includes('--data')
    ? args[args.indexOf('--data') + 1]
    : (process.env.KYSO_CORPUS_DATA ?? path.join(root, 'test/corpus')),
);
if (!fs.existsSync(path.join(shared, 'MANIFEST.jsonl'))) {
  process.stderr.write(
    `corpus-verdicts: ${shared} has no MANIFEST.jsonl. Pass --data DATA (or KYSO_CORPUS_DATA): a folder with ` +
      'MANIFEST.jsonl and the PDFs at its `local` paths, such as test/corpus or the shared test data.\n',
  );
  process.exit(2);
}
const built = path.join(root, 'dist/signing/verify/index.js');
if (!fs.existsSync(built)) {
  process.stderr.write(
    'corpus-verdicts: run `npm run build` first (it reads dist/signing/verify/index.js)\n',
  );
  process.exit(2);
}
const { verifyPdf, TrustStore } = await import(built);

const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const manifest = fs
  .readFileSync(path.join(shared, 'MANIFEST.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((e) => (e.category === 'signed' || e.category === 'attacks') && (!only || e.category === only));

/**
 * pdfsig verdicts of the CMS signatures, e.g. ['valid', 'DIGEST-MISMATCH']: empty fields and
 * document timestamps (which pdfsig lists as "unknown not-verified") are left out.
 */
function pdfsigVerdicts(summary) {
  const m = /^pdfsig: \d+ sigs?: (.*)$/.exec(summary);
  if (!m) return null;
  return m[1]
    .replace(/ \[.*\]$/, '')
    .split('; ')
    .map((p) => p.replace(/^#\d+ /, '').split(' '))
    .filter(([type]) => type !== 'unsigned-field' && type !== 'unknown')
    .map(([, verdict]) => verdict);
}

const trust = TrustStore.empty();
const counts = { signed: {}, attacks: {} };
const disagreements = [];
const results = [];
const started = Date.now();
for (const entry of manifest) {
  const file = path.join(shared, entry.local);
  let outcome;
  let ours = [];
  try {
    const report = await verifyPdf({ input: file, trust, lang: 'en' });
    outcome = report.status;
    ours = report.signatures
      .filter((s) => s.type === 'signature')
      .map((s) => {
        const crypto = s.checks.filter((c) => c.id === 'integrity' || c.id === 'signature');
        const ok = crypto.length > 0 && crypto.every((c) => c.result === 'passed');
        return {
          status: s.status,
          sub: s.subIndication ?? '',
          cryptoOk: ok,
          reason: s.reason,
          subFilter: s.subFilter,
        };
      });
  } catch (err) {
    outcome = `error:${err.code ?? 'EXCEPTION'}`;
    if (!err.code) ours = [{ status: 'exception', sub: '', cryptoOk: false, reason: String(err.stack) }];
  }
  const bucket = counts[entry.category];
  const key = outcome.startsWith('error:') ? 'error' : outcome;
  bucket[key] = (bucket[key] ?? 0) + 1;
  const theirs = pdfsigVerdicts(entry.pdfsig);
  let agree = null;
  if (theirs !== null && !outcome.startsWith('error')) {
    const theirValid = theirs.filter((v) => v === 'valid').length;
    const ourValid = ours.filter((s) => s.cryptoOk).length;
    agree = theirValid === ourValid && theirs.length === ours.length;
    if (!agree) disagreements.push({ file: entry.local, pdfsig: entry.pdfsig, ours });
  }
  if (entry.category === 'attacks' && outcome === 'valid')
    disagreements.push({ file: entry.local, attackValid: true, ours });
  results.push({ file: entry.local, category: entry.category, outcome, pdfsig: entry.pdfsig, agree, ours });
}
console.log(JSON.stringify(counts, null, 2));
console.log(`${results.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const errors = results.filter((r) => r.outcome.startsWith('error'));
const byCode = {};
for (const r of errors) byCode[r.outcome] = (byCode[r.outcome] ?? 0) + 1;
console.log('errors by code:', JSON.stringify(byCode));
const compared = results.filter((r) => r.agree !== null);
console.log(`compared with pdfsig: ${compared.length}, agree ${compared.filter((r) => r.agree).length}`);
for (const d of disagreements) console.log(JSON.stringify(d));
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(results, null, 2));
