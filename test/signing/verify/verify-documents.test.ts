// verifyDocuments: a folder's documents verified a few at a time, handed out in the order given,
// a document that cannot be read reported in its place, and cancellation ending the run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openP12 } from '../../../src/signing/identity/index.js';
import { signPdf } from '../../../src/signing/sign/sign-pdf.js';
import {
  loadTrustStore,
  verifyDocuments,
  type DocumentVerification,
} from '../../../src/signing/verify-api.js';
import { pkiFile } from '../../support/fixtures.js';
import { shadowReadyPdf } from './sample-documents.js';

let dir = '';
let inputs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-verify-documents-'));
  const base = path.join(dir, 'base.pdf');
  writeFileSync(base, shadowReadyPdf());
  const signer = await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12');
  inputs = [];
  for (let i = 1; i <= 9; i++) {
    const output = path.join(dir, `doc-${i}.pdf`);
    await signPdf({ input: base, output, signer });
    inputs.push(output);
  }
  // One that is not a PDF, in the middle.
  writeFileSync(path.join(dir, 'letter.pdf'), 'not a PDF');
  inputs.splice(4, 0, path.join(dir, 'letter.pdf'));
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const statusOf = (o: DocumentVerification): string => ('report' in o ? o.report.status : o.error.code);

describe('verifyDocuments', () => {
  it('hands out every document in the order given, whatever the concurrency', async () => {
    const trust = await loadTrustStore({ files: [pkiFile('root-ca.pem')], builtin: false, managed: false });
    for (const concurrency of [1, 3, 20]) {
      const seen: DocumentVerification[] = [];
      for await (const outcome of verifyDocuments(inputs, { trust, concurrency })) seen.push(outcome);
      expect(seen.map((o) => o.input)).toEqual(inputs);
      expect(seen.map(statusOf)).toEqual([
        ...Array(4).fill('valid'),
        'PDF_NOT_PDF',
        ...Array(5).fill('valid'),
      ]);
    }
  });

  it('ends with CANCELLED when the signal is aborted, after the documents in progress', async () => {
    const trust = await loadTrustStore({ files: [pkiFile('root-ca.pem')], builtin: false, managed: false });
    const controller = new AbortController();
    const seen: string[] = [];
    const run = async (): Promise<void> => {
      for await (const outcome of verifyDocuments(inputs, {
        trust,
        concurrency: 2,
        signal: controller.signal,
      })) {
        seen.push(outcome.input);
        if (seen.length === 2) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toEqual(inputs.slice(0, 2));
  });

  it('refuses a concurrency that is not a positive integer', async () => {
    const trust = await loadTrustStore({ builtin: false, managed: false });
    const run = verifyDocuments(inputs, { trust, concurrency: 0 });
    await expect(run.next()).rejects.toThrow(RangeError);
  });
});
