// Cancel and resume, and every crash window of a document, reproduced by hand in the output folder:
// killed before its journal record (a staged file and a temporary file left), killed between the
// record and the move (the staged file only), a torn last journal line, and outputs the batch did
// not write. Each time: one complete output per document, the journal agrees, nothing stray.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError } from '../../../src/shared/errors.js';
import { openP12 } from '../../../src/signing/identity/index.js';
import type { Signer } from '../../../src/signing/cms/signer.js';
import { batchFiles, runBatch, type BatchRequest } from '../../../src/signing/batch/run-batch.js';
import { replayJournal } from '../../../src/signing/batch/batch-journal.js';
import { documentKey } from '../../../src/signing/batch/batch-plan.js';
import { keySignerSource } from '../../../src/signing/batch/signer-source.js';
import type { BatchResult } from '../../../src/signing/batch/batch-result.js';
import { pkiFile } from '../../support/fixtures.js';
import { expectAllValid, filesUnder, makeDocuments, sha256 } from './batch-documents.js';

let chairman: Signer;
let root: string;

beforeAll(async () => {
  chairman = await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12');
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-batch-resume-'));
});

/** A signer that takes its time, so that a cancel lands mid-batch. */
function slowSigner(ms: number): Signer {
  return {
    certificate: chairman.certificate,
    chain: chairman.chain,
    keyAlgorithm: chairman.keyAlgorithm,
    schemes: chairman.schemes,
    sign: async (data, params, options) => {
      if (!options?.dryRun) await new Promise((r) => setTimeout(r, ms));
      return await chairman.sign(data, params, options);
    },
  };
}

function batch(inDir: string, out: string, extra: Partial<BatchRequest> = {}): Promise<BatchResult> {
  return runBatch({ inputs: [inDir], outDir: out, signer: keySignerSource(chairman), ...extra });
}

/** One output per input, each valid and the one the journal records; no stray file. */
async function expectComplete(inDir: string, out: string, count: number): Promise<void> {
  const outputs = filesUnder(out).filter((f) => !f.startsWith('.kyso-batch/'));
  expect(outputs).toHaveLength(count);
  const own = filesUnder(out).filter((f) => f.startsWith('.kyso-batch/'));
  expect(own.sort()).toEqual([
    '.kyso-batch/journal.jsonl',
    '.kyso-batch/report.csv',
    '.kyso-batch/report.json',
  ]);
  const { state } = replayJournal(readFileSync(batchFiles(out).journal, 'utf8'), 'journal');
  expect(state.documents.size).toBe(count);
  for (const doc of state.documents.values()) {
    expect(doc.status, doc.input).toBe('signed');
    expect(path.dirname(doc.input)).toBe(inDir);
    expect(doc.signed?.sha256, doc.output).toBe(sha256(doc.output));
  }
  await expectAllValid(outputs.map((f) => path.join(out, f)));
}

describe('cancel and resume', () => {
  it('a cancelled batch stops after the documents being signed; --resume does the rest, nothing twice', async () => {
    const docs = await makeDocuments(path.join(root, 'c-in'), 24);
    const out = path.join(root, 'c-out');
    const stop = new AbortController();
    const first = await batch(docs.dir, out, {
      signer: keySignerSource(slowSigner(30)),
      signal: stop.signal,
      onEvent: (e) => {
        if (e.kind === 'document' && e.progress.done === 5) stop.abort();
      },
    });
    expect(first.cancelled).toBe(true);
    expect(first.signed).toBeGreaterThanOrEqual(5);
    expect(first.signed).toBeLessThan(24);
    expect(first.pending).toBe(24 - first.signed);
    expect(first.failed).toBe(0);
    const signedFirst = first.documents.filter((d) => d.status === 'signed');
    const before = new Map(signedFirst.map((d) => [d.output, sha256(d.output)]));
    expect(filesUnder(out).filter((f) => f.endsWith('.tmp') || f.includes('staging/'))).toEqual([]);

    await expect(batch(docs.dir, out)).rejects.toMatchObject({ code: 'BATCH_JOURNAL_EXISTS' });
    const second = await batch(docs.dir, out, { resume: true });
    expect(second.signed).toBe(24);
    expect(second.signedNow).toBe(24 - first.signed);
    expect(second.documents.filter((d) => d.earlier)).toHaveLength(first.signed);
    // The documents of the first run were not signed again.
    for (const [output, hash] of before) expect(sha256(output)).toBe(hash);
    await expectComplete(docs.dir, out, 24);
  }, 120_000);

  it('refuses to resume with other signing options', async () => {
    const docs = await makeDocuments(path.join(root, 'o-in'), 2);
    const out = path.join(root, 'o-out');
    await batch(docs.dir, out, { options: { reason: 'A' } });
    await expect(batch(docs.dir, out, { resume: true, options: { reason: 'B' } })).rejects.toMatchObject({
      code: 'BATCH_RESUME_MISMATCH',
    });
    const again = await batch(docs.dir, out, { resume: true, options: { reason: 'A' } });
    expect(again.signedNow).toBe(0);
    expect(again.signed).toBe(2);
  });
});

describe('a batch that cannot start', () => {
  it('a refused PIN leaves no journal behind: the next run needs no --resume', async () => {
    const docs = await makeDocuments(path.join(root, 'p-in'), 2);
    const out = path.join(root, 'p-out');
    const refused = {
      ...keySignerSource(chairman),
      open: () => Promise.reject(new KysoError('PKCS11_PIN_INCORRECT', 'wrong PIN')),
    };
    await expect(batch(docs.dir, out, { signer: refused })).rejects.toMatchObject({
      code: 'PKCS11_PIN_INCORRECT',
    });
    expect(existsSync(batchFiles(out).dir)).toBe(false);
    const result = await batch(docs.dir, out);
    expect(result.signed).toBe(2);
  });
});

describe('crash windows, rebuilt by hand', () => {
  it('killed before the record: the staged and temporary files go, the document is signed again', async () => {
    const docs = await makeDocuments(path.join(root, 'k1-in'), 4);
    const out = path.join(root, 'k1-out');
    await batch(docs.dir, out);
    const files = batchFiles(out);
    const victim = docs.good[2] as string;
    const key = documentKey(victim);
    const output = path.join(out, path.basename(victim));
    // Take back the record of the victim and its output, as if the kill came before them.
    const lines = readFileSync(files.journal, 'utf8').split('\n');
    const kept = lines.filter((l) => !(l.includes('"type":"signed"') && l.includes(key)));
    expect(kept.length).toBe(lines.length - 1);
    writeFileSync(files.journal, kept.join('\n'));
    mkdirSync(files.staging, { recursive: true });
    renameSync(output, path.join(files.staging, `${key}.pdf`));
    writeFileSync(path.join(files.staging, `.${key}.pdf.kyso-0123456789ab.tmp`), 'half a file');
    writeFileSync(path.join(files.dir, '.report.json.0123456789ab.tmp'), '{"half');
    const resumed = await batch(docs.dir, out, { resume: true });
    expect(resumed.signedNow).toBe(1);
    await expectComplete(docs.dir, out, 4);
  });

  it('killed between the record and the move: the staged output is moved into place, not signed again', async () => {
    const docs = await makeDocuments(path.join(root, 'k2-in'), 4);
    const out = path.join(root, 'k2-out');
    await batch(docs.dir, out);
    const files = batchFiles(out);
    const victim = docs.good[1] as string;
    const output = path.join(out, path.basename(victim));
    const hash = sha256(output);
    mkdirSync(files.staging, { recursive: true });
    renameSync(output, path.join(files.staging, `${documentKey(victim)}.pdf`));
    const resumed = await batch(docs.dir, out, { resume: true });
    expect(resumed.signedNow).toBe(0);
    expect(sha256(output)).toBe(hash);
    await expectComplete(docs.dir, out, 4);
  });

  it('a torn last journal line is dropped; a damaged line in the middle is refused', async () => {
    const docs = await makeDocuments(path.join(root, 'k3-in'), 3);
    const out = path.join(root, 'k3-out');
    await batch(docs.dir, out);
    const files = batchFiles(out);
    appendFileSync(files.journal, '{"type":"signed","key":"abc');
    const resumed = await batch(docs.dir, out, { resume: true });
    expect(resumed.signed).toBe(3);
    expect(readFileSync(files.journal, 'utf8').endsWith('\n')).toBe(true);
    await expectComplete(docs.dir, out, 3);
    const lines = readFileSync(files.journal, 'utf8').split('\n');
    lines[2] = 'garbage';
    writeFileSync(files.journal, lines.join('\n'));
    await expect(batch(docs.dir, out, { resume: true })).rejects.toMatchObject({
      code: 'BATCH_JOURNAL_INVALID',
    });
  });

  it('a signed output that disappeared is signed again; a lock left by a dead process is taken over', async () => {
    const docs = await makeDocuments(path.join(root, 'k4-in'), 3);
    const out = path.join(root, 'k4-out');
    await batch(docs.dir, out);
    rmSync(path.join(out, path.basename(docs.good[0] as string)));
    writeFileSync(batchFiles(out).lock, JSON.stringify({ pid: 2 ** 22 + 17, host: os.hostname() }));
    const resumed = await batch(docs.dir, out, { resume: true });
    expect(resumed.signedNow).toBe(1);
    expect(existsSync(batchFiles(out).lock)).toBe(false);
    await expectComplete(docs.dir, out, 3);
  });

  it('a live lock stops a second batch on the same folder', async () => {
    const docs = await makeDocuments(path.join(root, 'k5-in'), 1);
    const out = path.join(root, 'k5-out');
    mkdirSync(batchFiles(out).dir, { recursive: true });
    writeFileSync(batchFiles(out).lock, JSON.stringify({ pid: process.ppid, host: os.hostname() }));
    await expect(batch(docs.dir, out)).rejects.toMatchObject({ code: 'BATCH_IN_PROGRESS' });
    rmSync(batchFiles(out).lock);
  });
});

describe('outputs and names', () => {
  it('never overwrites an existing file unless asked; never the input', async () => {
    const docs = await makeDocuments(path.join(root, 'n-in'), 3);
    const out = path.join(root, 'n-out');
    mkdirSync(out, { recursive: true });
    const existing = path.join(out, 'doc-001.pdf');
    writeFileSync(existing, 'keep me');
    const result = await batch(docs.dir, out);
    expect(result.signed).toBe(2);
    const failed = result.documents.find((d) => d.status === 'failed');
    expect(failed?.code).toBe('OUTPUT_EXISTS');
    expect(readFileSync(existing, 'utf8')).toBe('keep me');

    const out2 = path.join(root, 'n-out2');
    mkdirSync(out2, { recursive: true });
    writeFileSync(path.join(out2, 'doc-001.pdf'), 'replace me');
    const replaced = await batch(docs.dir, out2, { overwrite: true });
    expect(replaced.signed).toBe(3);
    await expectAllValid([path.join(out2, 'doc-001.pdf')]);

    // The input folder as output folder: only with a suffix.
    await expect(batch(docs.dir, docs.dir)).rejects.toMatchObject({ code: 'OUTPUT_SAME_AS_INPUT' });
    const inPlace = await batch(docs.dir, docs.dir, { suffix: '.signed' });
    expect(inPlace.signed).toBe(3);
    expect(existsSync(path.join(docs.dir, 'doc-000.signed.pdf'))).toBe(true);
    expect(sha256(docs.good[0] as string)).not.toBe(sha256(path.join(docs.dir, 'doc-000.signed.pdf')));
  });

  it('a recursive folder mirrors its sub-folders and skips the output folder inside it', async () => {
    const inDir = path.join(root, 'r-in');
    await makeDocuments(inDir, 2);
    await makeDocuments(path.join(inDir, 'a', 'b'), 2);
    await makeDocuments(path.join(inDir, '.hidden'), 1);
    const out = path.join(inDir, 'signed');
    const first = await batch(inDir, out, { recursive: true });
    expect(first.signed).toBe(4);
    expect(filesUnder(out).filter((f) => !f.startsWith('.kyso-batch/'))).toEqual([
      'a/b/doc-000.pdf',
      'a/b/doc-001.pdf',
      'doc-000.pdf',
      'doc-001.pdf',
    ]);
    const again = await batch(inDir, out, { recursive: true, resume: true });
    expect(again.total).toBe(4); // its own outputs are not inputs
    // Files given one by one, two with the same name: the second is refused, not overwritten.
    const out2 = path.join(root, 'r-out2');
    const dup = await runBatch({
      inputs: [
        path.join(inDir, 'doc-000.pdf'),
        path.join(inDir, 'a', 'b', 'doc-000.pdf'),
        path.join(inDir, 'nope.pdf'),
      ],
      outDir: out2,
      signer: keySignerSource(chairman),
    });
    expect(dup.documents.map((d) => [d.status, d.code ?? null])).toEqual([
      ['signed', null],
      ['failed', 'OUTPUT_EXISTS'],
      ['failed', 'INPUT_NOT_FOUND'],
    ]);
  });
});

describe('a failure that concerns every document', () => {
  it('stops the batch (resumable) instead of failing each document', async () => {
    const docs = await makeDocuments(path.join(root, 's-in'), 5);
    const out = path.join(root, 's-out');
    const expired = await openP12(pkiFile('expired-rsa2048.p12'), 'kyso-p12');
    const result = await batch(docs.dir, out, { signer: keySignerSource(expired) });
    expect(result.stopped?.code).toBe('CERT_EXPIRED');
    expect(result.failed).toBe(0);
    expect(result.pending).toBe(5);
    const resumed = await batch(docs.dir, out, { resume: true });
    expect(resumed.signed).toBe(5);
  });
});
