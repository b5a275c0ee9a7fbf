// The first "done when": 200 generated documents of which 10 are broken, signed in one batch
// on a SoftHSM token seen through a wrapper of the PKCS#11 interface: 190 valid outputs (our
// verifier on all of them, pdfsig on a sample), 10 failures reported with their codes, exactly one
// C_Login, and a journal that says the same.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { runBatch, batchFiles } from '../../../src/signing/batch/run-batch.js';
import { replayJournal } from '../../../src/signing/batch/batch-journal.js';
import { tokenSignerSource } from '../../../src/signing/batch/signer-source.js';
import type { BatchEvent, BatchResult } from '../../../src/signing/batch/batch-result.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { CHAIRMAN_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../../support/fixtures.js';
import { faultyModule, newFaultState, type FaultState } from '../../support/faulty-module.js';
import { expectPdfsigValid } from '../../support/signed-output.js';
import {
  EXPECTED_CODE,
  expectAllValid,
  filesUnder,
  makeDocuments,
  sha256,
  type BrokenKind,
  type Generated,
} from './batch-documents.js';

const BROKEN: readonly BrokenKind[] = [
  'truncated',
  'not-pdf',
  'encrypted',
  'certified',
  'empty',
  'truncated',
  'encrypted',
  'certified',
  'not-pdf',
  'truncated',
];

let manager: TokenManager;
let state: FaultState;
let docs: Generated;
let out: string;
let result: BatchResult;
const events: BatchEvent[] = [];
let pinAsked = 0;
let seconds = 0;

beforeAll(async () => {
  freshTokens();
  state = newFaultState();
  manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }], {
    wrap: faultyModule(state),
  });
  const root = mkdtempSync(path.join(os.tmpdir(), 'kyso-batch200-'));
  // Broken documents spread through the batch: every 20th, from the 7th.
  docs = await makeDocuments(path.join(root, 'in'), 200, (i) =>
    i % 20 === 7 ? BROKEN[Math.floor(i / 20)] : undefined,
  );
  out = path.join(root, 'out');
  const source = tokenSignerSource({
    manager,
    selector: { token: CHAIRMAN_TOKEN, keyId: '01' },
    getPin: async () => {
      pinAsked++;
      return new Secret(testToken(CHAIRMAN_TOKEN).pin);
    },
  });
  const t0 = performance.now();
  try {
    result = await runBatch({
      inputs: [docs.dir],
      outDir: out,
      suffix: '-signed',
      signer: source,
      options: { reason: 'Sao y bản chính' },
      onEvent: (e) => events.push(e),
      lang: 'en',
    });
  } finally {
    source.close();
  }
  seconds = (performance.now() - t0) / 1000;
}, 300_000);

afterAll(() => manager?.close());

describe('a batch of 200 documents, 10 of them broken', () => {
  it('signs 190 and reports 10 failures with their codes, with one C_Login', () => {
    expect(result.total).toBe(200);
    expect(result.signed).toBe(190);
    expect(result.failed).toBe(10);
    expect(result.pending).toBe(0);
    expect(result.cancelled).toBe(false);
    expect(result.stopped).toBeUndefined();
    expect(state.loginCount).toBe(1);
    expect(pinAsked).toBe(1);
    expect(state.signCount).toBe(190);
    for (const d of result.documents) {
      const kind = docs.broken.get(d.input);
      if (kind) {
        expect(d.status, d.input).toBe('failed');
        expect(d.code, d.input).toBe(EXPECTED_CODE[kind]);
        expect(d.message).toBeTruthy();
      } else {
        expect(d.status, d.input).toBe('signed');
        expect(d.output).toBe(path.join(out, path.basename(d.input, '.pdf') + '-signed.pdf'));
        expect(d.signer).toBe('Nguyễn Thị Hồng Nhung');
        expect(d.sha256).toBe(sha256(d.output));
      }
    }
    console.info(`200 documents in ${seconds.toFixed(1)} s (${(200 / seconds).toFixed(0)} docs/s)`);
  });

  it('writes 190 outputs, nothing else but its own folder, and no temporary file', () => {
    const files = filesUnder(out);
    const outputs = files.filter((f) => !f.startsWith('.kyso-batch/'));
    expect(outputs).toHaveLength(190);
    expect(outputs.every((f) => f.endsWith('-signed.pdf'))).toBe(true);
    expect(files.filter((f) => f.startsWith('.kyso-batch/')).sort()).toEqual([
      '.kyso-batch/journal.jsonl',
      '.kyso-batch/report.csv',
      '.kyso-batch/report.json',
    ]);
  });

  it('every output verifies with our verifier', async () => {
    const outputs = result.documents.filter((d) => d.status === 'signed').map((d) => d.output);
    await expectAllValid(outputs);
  }, 300_000);

  it('a sample verifies with pdfsig', async () => {
    const outputs = result.documents.filter((d) => d.status === 'signed').map((d) => d.output);
    for (const file of [outputs[0], outputs[1], outputs[97], outputs[188], outputs[189]]) {
      await expectPdfsigValid(file as string, 1);
    }
  });

  it('the journal agrees with the outputs', () => {
    const { state: journal } = replayJournal(readFileSync(batchFiles(out).journal, 'utf8'), 'journal');
    expect(journal.header.batchId).toBe(result.batchId);
    expect(journal.documents.size).toBe(200);
    for (const d of result.documents) {
      const entry = [...journal.documents.values()].find((j) => j.input === d.input);
      expect(entry?.status, d.input).toBe(d.status);
      if (d.status === 'signed') expect(entry?.signed?.sha256).toBe(sha256(d.output));
      else expect(entry?.failed?.code).toBe(d.code);
    }
  });

  it('reports progress with done/total, the current file, a rate and the time left', () => {
    const documents = events.filter((e) => e.kind === 'document');
    expect(documents).toHaveLength(200);
    const last = documents.at(-1);
    expect(last?.kind === 'document' && last.progress.done).toBe(200);
    const middle = documents[120];
    if (middle?.kind !== 'document') throw new Error('no document event');
    expect(middle.progress.total).toBe(200);
    expect(middle.progress.ratePerSecond).toBeGreaterThan(0);
    expect(middle.progress.remainingMs).toBeGreaterThan(0);
    expect(events.some((e) => e.kind === 'progress' && e.progress.current?.startsWith('doc-'))).toBe(true);
  });

  it('writes a JSON and a CSV report', () => {
    const files = batchFiles(out);
    const json = JSON.parse(readFileSync(files.reportJson, 'utf8')) as {
      signed: number;
      failed: number;
      documents: { file: string; status: string; code: string; message: string }[];
    };
    expect(json.signed).toBe(190);
    expect(json.failed).toBe(10);
    const encrypted = json.documents.find((d) => d.code === 'PDF_ENCRYPTED');
    expect(encrypted?.message).toMatch(/password/);
    const csv = readFileSync(files.reportCsv, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('file,status,output,signer,time,code,message');
    expect(lines).toHaveLength(201);
    expect(lines.filter((l) => l.includes(',failed,'))).toHaveLength(10);
  });
});
