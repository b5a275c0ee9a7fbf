// "Ký hàng loạt" through the real engine process on SoftHSM: a batch with a broken file signs the
// others and explains the one, with coalesced progress and reports to export; a wrong PIN signs
// nothing; a pause leaves the rest to do; the engine killed in the middle of a batch leaves it to
// resume after the restart, and the resume signs every document exactly once.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchRunProgress, Result, ResultOf, TokenModuleView } from '../../src/shared/contract/index.js';
import type { EngineSupervisor } from '../../src/main/engine/engine-supervisor.js';
import { loadTrustStore, verifyPdf } from '../../src/signing/verify-api.js';
import { CHAIRMAN_TOKEN, pkiFile, testToken } from '../support/fixtures.js';
import { expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { removeTemp } from '../signing/appearance/appearance-support.js';
import {
  appTestEnv,
  certificateRef,
  engineCalls,
  makeDecision,
  startEngine,
  type AppTestEnv,
} from './app-support.js';

let t: AppTestEnv;
let engine: EngineSupervisor;
let modules: readonly TokenModuleView[];
const { call, value } = engineCalls(() => engine);

beforeAll(async () => {
  t = await appTestEnv();
  ({ engine } = startEngine(t.env));
  modules = (await value('tokens.list', {})).modules;
});

afterAll(() => {
  engine?.dispose();
  if (t) removeTemp(t.dir);
});

/** A folder of `count` decisions; `broken` names files that are not PDFs. */
function folderOf(name: string, count: number, broken: readonly string[] = []): string {
  const dir = path.join(t.dir, name);
  mkdirSync(dir, { recursive: true });
  const first = makeDecision(path.join(dir, 'qd-001.pdf'));
  for (let i = 2; i <= count; i++)
    copyFileSync(first, path.join(dir, `qd-${String(i).padStart(3, '0')}.pdf`));
  for (const b of broken) writeFileSync(path.join(dir, b), 'Đây không phải là tệp PDF.\n');
  return dir;
}

const request = (inputs: string[], outDir: string, extra: Record<string, unknown> = {}) => ({
  inputs,
  recursive: false,
  outDir,
  suffix: '-da-ky',
  template: 'personal',
  anchor: 'CHỦ TỊCH',
  reason: '',
  certificate: certificateRef(modules, CHAIRMAN_TOKEN, '01'),
  pin: testToken(CHAIRMAN_TOKEN).pin,
  allowFinalTry: false,
  resume: false,
  retryFailed: false,
  ...extra,
});

/** Each output has exactly one signature, valid for our verifier. */
async function expectSignedOnce(outDir: string): Promise<string[]> {
  const outputs = readdirSync(outDir).filter((n) => n.endsWith('.pdf'));
  const trust = await loadTrustStore({
    files: [pkiFile('root-ca.pem'), pkiFile('intermediate-ca.pem')],
    builtin: false,
    managed: false,
  });
  for (const name of outputs) {
    const report = await verifyPdf({ input: path.join(outDir, name), trust });
    expect(report.signatures, name).toHaveLength(1);
    expect(report.status, name).toBe('valid');
  }
  return outputs;
}

describe('batch.run', () => {
  it('signs a folder with a broken file: the others valid, the broken one explained, progress coalesced, reports exported', async () => {
    const input = folderOf('in-broken', 7, ['qd-004-hong.pdf']);
    const outDir = path.join(t.dir, 'out-broken');
    const events: BatchRunProgress[] = [];
    const r = await call('batch.run', request([input], outDir), (p) => events.push(p as BatchRunProgress));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({
      total: 8,
      signed: 7,
      failed: 1,
      pending: 0,
      cancelled: false,
      stopped: null,
    });
    const failed = r.value.documents.filter((d) => d.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ name: 'qd-004-hong.pdf', code: 'PDF_NOT_PDF' });
    expect(failed[0]!.message).toMatch(/không phải/i);
    // Every finished document reached the window, in fewer events than documents.
    const finished = events.flatMap((e) => e.finished);
    expect(finished.map((d) => d.name).sort()).toEqual(r.value.documents.map((d) => d.name).sort());
    expect(events.at(-1)?.progress?.done).toBe(8);

    const outputs = await expectSignedOnce(outDir);
    expect(outputs).toHaveLength(7);
    for (const name of outputs.slice(0, 2)) {
      await expectPdfsigValid(path.join(outDir, name), 1);
      await qpdfCheck(path.join(outDir, name));
    }
    // A finished batch is not offered for a resume.
    expect((await value('batch.unfinished', {})).batch).toBeNull();

    const csv = path.join(t.dir, 'bao-cao.csv');
    const json = path.join(t.dir, 'bao-cao.json');
    await value('batch.exportReport', { outDir, format: 'csv', output: csv });
    await value('batch.exportReport', { outDir, format: 'json', output: json });
    expect(
      readFileSync(csv, 'utf8')
        .split('\n')
        .filter((l) => l.includes('qd-')).length,
    ).toBe(8);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { documents: { status: string }[] };
    expect(report.documents.filter((d) => d.status === 'failed')).toHaveLength(1);
  });

  it('a wrong PIN signs nothing and says so with the PIN error', async () => {
    const input = folderOf('in-pin', 3);
    const outDir = path.join(t.dir, 'out-pin');
    const r = await call('batch.run', request([input], outDir, { pin: '000000' }));
    expect(r.ok ? 'ok' : r.error.code).toBe('PKCS11_PIN_INCORRECT');
    expect(readdirSync(t.dir)).toContain('out-pin'); // the journal's folder, with no signed copy in it
    expect(readdirSync(outDir).filter((n) => n.endsWith('.pdf'))).toEqual([]);
  });

  it('the engine killed in the middle of a batch: offered after the restart, resumed, nothing signed twice', async () => {
    // As for the pause below: enough documents that the kill lands while the batch runs.
    const input = folderOf('in-crash', 120);
    const outDir = path.join(t.dir, 'out-crash');
    const pid = engine.pid;
    let killed = false;
    const first = await call('batch.run', request([input], outDir), (p) => {
      const done = (p as BatchRunProgress).progress?.done ?? 0;
      if (!killed && done >= 3 && pid !== undefined) {
        killed = true;
        process.kill(pid, 'SIGKILL');
      }
    });
    expect(first.ok ? 'ok' : first.error.code).toBe('ENGINE_CRASHED');
    const offered = (await value('batch.unfinished', {})).batch;
    expect(offered).toMatchObject({ outDir, total: 120, template: 'personal' });
    expect(offered!.signed).toBeGreaterThanOrEqual(3);
    expect(offered!.pending).toBe(120 - offered!.signed - offered!.failed);

    const resumed = await value('batch.run', request([input], outDir, { resume: true }));
    expect(resumed).toMatchObject({ total: 120, signed: 120, failed: 0, pending: 0 });
    expect(resumed.signedNow).toBe(120 - offered!.signed);
    expect(resumed.documents.filter((d) => d.earlier)).toHaveLength(offered!.signed);
    expect(await expectSignedOnce(outDir)).toHaveLength(120);
    expect((await value('batch.unfinished', {})).batch).toBeNull();
  });

  it('a pause stops cleanly and leaves the rest to do; forgetting it withdraws the offer', async () => {
    // Enough documents that the batch is still running when the pause arrives: progress reaches the
    // window at most every 250 ms, and 20 small documents can all be signed by then.
    const input = folderOf('in-pause', 200);
    const outDir = path.join(t.dir, 'out-pause');
    const controller = new AbortController();
    const callId = 'pause-call';
    const pending = engine.call(callId, 'batch.run', request([input], outDir), 'vi', (p) => {
      if (((p as BatchRunProgress).progress?.done ?? 0) >= 2 && !controller.signal.aborted) {
        controller.abort();
        engine.cancel(callId);
      }
    });
    const r = (await pending) as Result<ResultOf<'batch.run'>>;
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.cancelled).toBe(true);
    expect(r.value.pending).toBeGreaterThan(0);
    expect(r.value.signed + r.value.pending).toBe(200);
    expect((await value('batch.unfinished', {})).batch).toMatchObject({ outDir, pending: r.value.pending });
    await value('batch.forget', { outDir });
    expect((await value('batch.unfinished', {})).batch).toBeNull();
  });
});
