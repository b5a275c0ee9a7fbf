// Verifying a large scanned dossier signed twice: every revision is read in place through the PDF
// layer's prefix option, so the analysis of later changes runs whatever the file's size, and the
// verifier's memory stays far below the file's (it used to read the file into memory, and skipped
// the analysis past 512 MiB).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncrementalUpdate, PdfReader, PdfRef, PdfStream, pdfDict } from '../../../src/signing/pdf/index.js';
import type { VerificationReport } from '../../../src/signing/index.js';
import { writeBigPdf } from '../../support/big-pdf.js';
import { pkiFile } from '../../support/fixtures.js';
import { KYSO_BIN } from '../../support/run-cli.js';
import { signAs } from './sample-documents.js';

const IMAGE_BYTES = 300 * 1024 * 1024;
const PAGE_CONTENT = 2; // writeBigPdf's page content stream
let dir = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-verify-large-'));
  writeBigPdf(path.join(dir, 'scan.pdf'), IMAGE_BYTES);
  await signAs('chairman-rsa2048', path.join(dir, 'scan.pdf'), path.join(dir, 'signed1.pdf'));
  await signAs('agency-rsa3072', path.join(dir, 'signed1.pdf'), path.join(dir, 'signed2.pdf'));
  fs.rmSync(path.join(dir, 'scan.pdf'));
  fs.rmSync(path.join(dir, 'signed1.pdf'));
  // A third revision that rewrites the page's text after both signatures, appended in place.
  const changed = path.join(dir, 'changed.pdf');
  fs.copyFileSync(path.join(dir, 'signed2.pdf'), changed);
  const reader = await PdfReader.open(changed);
  try {
    const update = new IncrementalUpdate(reader);
    update.set(
      new PdfRef(PAGE_CONTENT, 0),
      PdfStream.fromBytes(
        pdfDict({}),
        Buffer.from('BT /F1 12 Tf 50 820 Td (SO TIEN: 900.000.000) Tj ET', 'latin1'),
      ),
    );
    fs.appendFileSync(changed, update.serialize().bytes);
  } finally {
    await reader.close();
  }
}, 300_000);

afterAll(() => {
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

/** `kyso verify --json` in its own process, with its peak memory. */
function verifyWithPeak(file: string): Promise<{ report: VerificationReport; maxRssMiB: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        path.resolve(import.meta.dirname, '../../support/report-max-rss.cjs'),
        KYSO_BIN,
        'verify',
        file,
        '--json',
        '--trust',
        pkiFile('root-ca.der'),
      ],
      { env: { ...process.env, KYSO_HOME: dir, KYSO_LANG: 'en' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const peak = /max-rss-kib (\d+)/.exec(stderr);
      if (!peak) {
        reject(new Error(`no peak memory reported: ${stderr}`));
        return;
      }
      resolve({ report: JSON.parse(stdout) as VerificationReport, maxRssMiB: Number(peak[1]) / 1024 });
    });
  });
}

describe('a 300 MiB scanned dossier signed twice', () => {
  it('verifies both signatures with memory far below the file size', async () => {
    const { report, maxRssMiB } = await verifyWithPeak(path.join(dir, 'signed2.pdf'));
    expect(fs.statSync(path.join(dir, 'signed2.pdf')).size).toBeGreaterThan(IMAGE_BYTES);
    console.log(
      `verify of a ${IMAGE_BYTES / 2 ** 20} MiB file signed twice: peak ${maxRssMiB.toFixed(0)} MiB`,
    );
    expect(report.revisions).toBe(3);
    expect(report.signatures.map((s) => [s.status, s.coverage.revision])).toEqual([
      ['valid', 2],
      ['valid', 3],
    ]);
    // The analysis ran: the first signature sees the second one added, and nothing else.
    const after = report.signatures[0]!.changesAfter;
    expect(after.map((c) => c.kind)).toContain('signature-added');
    expect(after.every((c) => c.allowed && c.revision === 3)).toBe(true);
    expect(maxRssMiB).toBeLessThan(150);
  });

  it('names a change made after both signatures, still without loading the file', async () => {
    const { report, maxRssMiB } = await verifyWithPeak(path.join(dir, 'changed.pdf'));
    expect(report.status).toBe('invalid');
    for (const s of report.signatures) {
      expect(s.status).toBe('invalid');
      const late = s.changesAfter.filter((c) => c.revision === 4);
      expect(late.map((c) => [c.kind, c.allowed])).toContainEqual(['page-content-changed', false]);
    }
    expect(maxRssMiB).toBeLessThan(150);
  });
});
