// Documents for batch tests: one-page PDFs made with @cantoo/pdf-lib (classic and stream
// cross-references, each with its own text), and the broken kinds offices meet: truncated
// downloads, files that are not PDFs, empty files, password-protected and certified-no-changes
// documents. Plus the checks every batch test makes on its output folder.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { expect } from 'vitest';
import { openP12 } from '../../../src/signing/identity/index.js';
import { signPdf } from '../../../src/signing/sign/sign-pdf.js';
import { TrustStore } from '../../../src/signing/verify/trust-store.js';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import type { ErrorCode } from '../../../src/shared/errors.js';
import { pkiFile } from '../../support/fixtures.js';

export async function onePagePdf(text: string, objectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date('2026-11-26T01:00:00Z'));
  doc.setModificationDate(new Date('2026-11-26T01:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595.28, 841.89]);
  page.drawText(text, { x: 72, y: 760, size: 14, font });
  return await doc.save({ useObjectStreams: objectStreams });
}

export type BrokenKind = 'truncated' | 'not-pdf' | 'empty' | 'encrypted' | 'certified';

export const EXPECTED_CODE: Readonly<Record<BrokenKind, ErrorCode>> = {
  truncated: 'PDF_TRUNCATED',
  'not-pdf': 'PDF_NOT_PDF',
  empty: 'PDF_EMPTY',
  encrypted: 'PDF_ENCRYPTED',
  certified: 'PDF_CERTIFIED_NO_CHANGES',
};

/** Writes a broken document of this kind to `file`. */
export async function writeBroken(kind: BrokenKind, file: string, work: string): Promise<void> {
  const good = await onePagePdf(`broken ${kind}`, false);
  switch (kind) {
    case 'truncated':
      writeFileSync(file, good.subarray(0, Math.floor(good.length / 2)));
      return;
    case 'not-pdf':
      writeFileSync(file, 'PK\u0003\u0004 a .docx saved as .pdf');
      return;
    case 'empty':
      writeFileSync(file, '');
      return;
    case 'encrypted': {
      const plain = path.join(work, `plain-${path.basename(file)}`);
      writeFileSync(plain, good);
      execFileSync('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', plain, file]);
      return;
    }
    case 'certified': {
      const plain = path.join(work, `plain-${path.basename(file)}`);
      writeFileSync(plain, good);
      const signer = await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12');
      await signPdf({ input: plain, output: file, signer, options: { certify: 'no-changes' } });
      return;
    }
  }
}

export interface Generated {
  readonly dir: string;
  readonly good: string[];
  readonly broken: Map<string, BrokenKind>;
}

/** `count` documents named doc-000.pdf…, of which the ones `brokenAt` picks are broken. */
export async function makeDocuments(
  dir: string,
  count: number,
  brokenAt: (i: number) => BrokenKind | undefined = () => undefined,
): Promise<Generated> {
  const work = path.join(os.tmpdir(), `kyso-batch-gen-${process.pid}-${Date.now()}`);
  execFileSync('mkdir', ['-p', dir, work]);
  const good: string[] = [];
  const broken = new Map<string, BrokenKind>();
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `doc-${String(i).padStart(3, '0')}.pdf`);
    const kind = brokenAt(i);
    if (kind) {
      await writeBroken(kind, file, work);
      broken.set(file, kind);
      continue;
    }
    // Every document its own text; classic tables and cross-reference streams in turn.
    writeFileSync(file, await onePagePdf(`Kyso batch document #${i}`, i % 2 === 1));
    good.push(file);
  }
  return { dir, good, broken };
}

export function testTrust(): TrustStore {
  return TrustStore.fromCertificates([new Uint8Array(readFileSync(pkiFile('root-ca.der')))], 'test root');
}

export const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Our verifier on each file, a few at a time: every one must be valid, with `count` signatures. */
export async function expectAllValid(files: readonly string[], count = 1, parallel = 4): Promise<void> {
  const trust = testTrust();
  let next = 0;
  const failures: string[] = [];
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as string;
      const report = await verifyPdf({ input: file, trust, lang: 'en' });
      if (report.status !== 'valid' || report.signatures.length !== count) {
        failures.push(`${file}: ${report.status} (${report.signatures.map((s) => s.reason).join('; ')})`);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  expect(failures).toEqual([]);
}

/** Every file under `dir` (relative paths), the batch's own folder included. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}
