// Copies the third-party files the tests read from a checkout of the shared test data into
// test/corpus/ (same layout below it), and writes test/corpus/MANIFEST.jsonl: the shared manifest's
// line for each file (source repository, commit, path, SHA-256, …) plus the source's licence.
//
//   node test/corpus/copy-from-shared.mjs SHARED_DATA_DIR
//
// SHARED_DATA_DIR is the folder holding MANIFEST.jsonl, pdf/ and trust/. Every copied file is
// checked against the manifest's SHA-256. The selection below is what the tests need:
//   trust/**            every file (the Vietnamese CA certificates: trust store and certificate tests)
//   pdf/attacks/**      every file (verify-attacks.test.ts wants all of them, pdfsig.test.ts one)
//   pdf/malformed/**    every file up to 512 KiB (robustness.test.ts)
//   pdf/signed/**       every file up to 48 KiB (robustness, writer, certificate corpus, and two
//                       named files in sign-corpus.test.ts and verify-signatures.test.ts), and the
//                       larger files of EXTRA_SIGNED: each brings at least one certificate per 50 KB
//                       found in no smaller file (certificate-info.test.ts compares Kyso's reader
//                       with pkijs on every distinct certificate)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const KIB = 1024;
const SELECTION = [
  { prefix: 'trust/', maxBytes: Infinity },
  { prefix: 'pdf/attacks/', maxBytes: Infinity },
  { prefix: 'pdf/malformed/', maxBytes: 512 * KIB },
  { prefix: 'pdf/signed/', maxBytes: 48 * KIB },
];
const EXTRA_SIGNED = new Set([
  'pdf/signed/testarea-itext5/itext5/signature/CURRENT_SIGNATURE.pdf',
  'pdf/signed/testarea-itext7/itext7/signature/step6_signed_by_alice_bob_carol_and_dave.pdf',
  'pdf/signed/testarea-itext7/itext7/signature/202007279900001S001.pdf',
  'pdf/signed/pdf.js/test/pdfs/bug854315.pdf',
  'pdf/signed/testarea-itext5/itext5/signature/2018.01.15.an_signed_original.pdf',
  'pdf/signed/testarea-itext7/itext7/signature/Eingangsbestaetigung-376670811-sig.pdf',
  'pdf/signed/testarea-itext5/itext5/extract/n2013.00849449.pdf',
  'pdf/signed/testarea-itext5/itext5/signature/test_dsp.pdf',
  'pdf/signed/testarea-itext7/itext7/form/interactiveform_enabled.pdf',
  'pdf/signed/testarea-itext7/itext7/signature/3-HD-LAO-DONG-17.50.25-29.03.2022 (3).pdf',
  'pdf/signed/testarea-itext5/itext5/signature/signedoutput.pdf',
  'pdf/signed/testarea-pdfbox2/pdfbox2/sign/SignatureVlidationTest.pdf',
  'pdf/signed/qpdf/qpdf/qtest/qpdf/minimal-signed-restricted.pdf',
  'pdf/signed/PKI.js/examples/PDFExample/Test.pdf',
]);

// The licence each source repository declares (its LICENSE file); NOASSERTION where the repository
// has no licence file (samples posted publicly on Stack Overflow, public CA certificates).
const LICENCES = {
  'itext/itext-java': 'AGPL-3.0-only',
  'qpdf/qpdf': 'Apache-2.0',
  'MatthiasValvekens/pyHanko': 'MIT',
  'mozilla/pdf.js': 'Apache-2.0',
  'mkl-public/testarea-itext5': 'NOASSERTION',
  'mkl-public/testarea-itext7': 'NOASSERTION',
  'mkl-public/testarea-itext8': 'NOASSERTION',
  'mkl-public/testarea-pdfbox2': 'NOASSERTION',
  'tttk6102tt/vgca': 'NOASSERTION',
  'Hopding/pdf-lib': 'MIT',
  'm32/endesive': 'MIT',
  'apache/pdfbox': 'Apache-2.0',
  'pdf-association/pdf20examples': 'CC-BY-4.0',
  'vbuch/node-signpdf': 'MIT',
  'KysoQR/KysoQR-Opensource': 'MIT',
  'KDE/okular': 'GPL-2.0-or-later',
  'PeculiarVentures/PKI.js': 'BSD-3-Clause',
  'nguyentvtk/eSign.Files': 'NOASSERTION',
};

const source = process.argv[2];
if (source === undefined || !fs.existsSync(path.join(source, 'MANIFEST.jsonl'))) {
  process.stderr.write(
    'usage: node test/corpus/copy-from-shared.mjs SHARED_DATA_DIR (the folder with MANIFEST.jsonl)\n',
  );
  process.exit(2);
}
const target = path.dirname(fileURLToPath(import.meta.url));

const lines = fs.readFileSync(path.join(source, 'MANIFEST.jsonl'), 'utf8').split('\n').filter(Boolean);
const kept = [];
let bytes = 0;
for (const line of lines) {
  const entry = JSON.parse(line);
  const rule = SELECTION.find((r) => entry.local.startsWith(r.prefix));
  if (rule === undefined || (entry.size > rule.maxBytes && !EXTRA_SIGNED.has(entry.local))) continue;
  const licence = LICENCES[entry.repo];
  if (licence === undefined) throw new Error(`no licence known for ${entry.repo}`);
  const data = fs.readFileSync(path.join(source, entry.local));
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (sha256 !== entry.sha256)
    throw new Error(`${entry.local}: SHA-256 ${sha256}, manifest says ${entry.sha256}`);
  const out = path.join(target, entry.local);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, data);
  kept.push(JSON.stringify({ ...entry, licence }));
  bytes += data.length;
}
fs.writeFileSync(path.join(target, 'MANIFEST.jsonl'), kept.join('\n') + '\n');
process.stdout.write(`test/corpus: ${kept.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB\n`);
