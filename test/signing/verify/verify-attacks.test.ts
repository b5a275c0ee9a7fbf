// Every attack class of pdf-insecurity.org, built by attack-samples.ts against a Kyso-signed
// document, and the attack samples of test/corpus: none may come out valid, and a later
// revision that caused it must be named. pdfsig still calls most of these valid.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import { listFiles, corpusPdfDir } from '../pdf/corpus.js';
import { buildAttackSamples, type AttackSample } from './attack-samples.js';
import { shadowReadyPdf, signAs, testTrust } from './sample-documents.js';

let dir = '';
let signed = '';
let samples: AttackSample[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-attacks-'));
  const base = path.join(dir, 'base.pdf');
  writeFileSync(base, shadowReadyPdf());
  signed = path.join(dir, 'signed.pdf');
  await signAs('chairman-rsa2048', base, signed);
  samples = await buildAttackSamples(signed, dir);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('the document before any attack', () => {
  it('is valid, signed over the whole document', async () => {
    const report = await verifyPdf({ input: signed, trust: testTrust(), lang: 'en' });
    expect(report.status).toBe('valid');
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]?.coverage.wholeDocument).toBe(true);
    expect(report.signatures[0]?.changesAfter).toEqual([]);
  });
});

describe('attack samples built from a Kyso signature', () => {
  const classes = [
    'incremental-saving',
    'signature-wrapping',
    'universal-forgery',
    'shadow-hide',
    'shadow-replace',
    'shadow-hide-and-replace',
  ] as const;

  it('cover every attack class', () => {
    for (const c of classes)
      expect(
        samples.some((s) => s.attackClass === c),
        c,
      ).toBe(true);
  });

  it('none of them comes out valid, and each names the revision and what it changed', async () => {
    for (const sample of samples) {
      const report = await verifyPdf({ input: sample.file, trust: testTrust(), lang: 'en' });
      expect(report.status, sample.name).not.toBe('valid');
      expect(report.signatures.length, sample.name).toBeGreaterThan(0);
      for (const s of report.signatures) expect(s.status, `${sample.name}: ${s.reason}`).not.toBe('valid');
      if (sample.change !== undefined) {
        const named = report.signatures
          .flatMap((s) => s.changesAfter)
          .find((c) => c.kind === sample.change && !c.allowed);
        expect(named, `${sample.name} should name a disallowed ${sample.change}`).toBeDefined();
        expect(named?.revision, sample.name).toBe(sample.revision);
        expect(named?.description, sample.name).toContain(`Revision ${sample.revision}`);
      }
    }
  });

  it('signature wrapping keeps the signed bytes intact but is caught by the /ByteRange check', async () => {
    const sample = samples.find((s) => s.attackClass === 'signature-wrapping')!;
    const report = await verifyPdf({ input: sample.file, trust: testTrust(), lang: 'en' });
    const sig = report.signatures[0]!;
    expect(sig.status).toBe('invalid');
    expect(sig.subIndication).toBe('FORMAT_FAILURE');
    expect(sig.checks.find((c) => c.id === 'byte-range')?.result).toBe('failed');
  });

  it('the shadow samples keep the signature itself intact: only the later revision makes them invalid', async () => {
    for (const sample of samples.filter((s) => s.attackClass.startsWith('shadow'))) {
      const report = await verifyPdf({ input: sample.file, trust: testTrust(), lang: 'en' });
      const sig = report.signatures[0]!;
      expect(sig.checks.find((c) => c.id === 'integrity')?.result, sample.name).toBe('passed');
      expect(sig.checks.find((c) => c.id === 'signature')?.result, sample.name).toBe('passed');
      expect(sig.checks.find((c) => c.id === 'modifications')?.result, sample.name).toBe('failed');
      expect(sig.coverage).toMatchObject({ revision: 2, revisions: 3, wholeDocument: false });
    }
  });

  it('says it in Vietnamese by default', async () => {
    const sample = samples.find((s) => s.name === 'shadow-hide-xobject')!;
    const report = await verifyPdf({ input: sample.file, trust: testTrust() });
    expect(report.signatures[0]?.reason).toContain('Phiên bản 3');
    expect(report.signatures[0]?.reason).toContain('không được phép');
  });
});

describe('attack samples of test/corpus', () => {
  const attacks = path.join(corpusPdfDir, 'attacks');
  it('none is valid', async () => {
    expect(existsSync(attacks), `${attacks} is missing (test/corpus/MANIFEST.jsonl lists the files)`).toBe(
      true,
    );
    const files = listFiles(attacks).filter((f) => f.endsWith('.pdf'));
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const file of files) {
      const report = await verifyPdf({ input: file, trust: testTrust(), lang: 'en' });
      expect(report.status, file).not.toBe('valid');
      for (const s of report.signatures) expect(s.status, file).not.toBe('valid');
    }
  }, 300_000);

  it('the pdf-insecurity samples are invalid for what they are, not only for an unknown signer', async () => {
    const files = listFiles(path.join(attacks, 'testarea-pdfbox2')).filter((f) =>
      /\/(isa|siwa|usf)_/.test(f),
    );
    expect(files.length).toBe(21);
    for (const file of files) {
      const report = await verifyPdf({ input: file, trust: testTrust(), lang: 'en' });
      expect(report.status, file).toBe('invalid');
    }
  }, 300_000);
});
