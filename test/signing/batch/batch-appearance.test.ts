// A visible signature in a batch: the Decree 30 text block (copies and attachments) placed on each
// document as it is signed, with the profile's document number, and every output valid.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openP12 } from '../../../src/signing/identity/index.js';
import { runBatch } from '../../../src/signing/batch/run-batch.js';
import { keySignerSource } from '../../../src/signing/batch/signer-source.js';
import { parseBatchProfile, profileOptions } from '../../../src/signing/batch/batch-profile.js';
import { pkiFile } from '../../support/fixtures.js';
import { expectAllValid, makeDocuments } from './batch-documents.js';

describe('a batch with a visible signature from a profile', () => {
  it('draws the text block on every document', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kyso-batch-appearance-'));
    const docs = await makeDocuments(path.join(root, 'in'), 4);
    const profile = parseBatchProfile({
      version: 1,
      reason: 'Sao y bản chính',
      appearance: { template: 'text', docNumber: '12/SY-UBND', agency: 'UBND phường Đoàn Kết' },
    });
    const { options, appearance } = profileOptions(profile);
    const signer = await openP12(pkiFile('agency-rsa3072.p12'), 'kyso-p12');
    const result = await runBatch({
      inputs: [docs.dir],
      outDir: path.join(root, 'out'),
      signer: keySignerSource(signer),
      options,
      ...(appearance ? { appearance } : {}),
    });
    expect(result.signed).toBe(4);
    const outputs = result.documents.map((d) => d.output);
    await expectAllValid(outputs);
    for (const output of outputs) {
      const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', output, '-'], { encoding: 'utf8' });
      expect(text).toContain('Số: 12/SY-UBND');
      expect(text).toContain('UBND phường Đoàn Kết');
    }
  }, 60_000);
});
