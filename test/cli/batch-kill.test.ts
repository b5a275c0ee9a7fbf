// The second "done when": `kyso batch` killed with SIGKILL at 20 random moments and resumed
// each time. After every kill each document has either no output or a complete one; at the end every
// input has exactly one valid output, the journal agrees, and no temporary file remains. The
// documents are timestamped by a local TSA so that kills also land while documents wait for it. The random moments come from a printed seed (KYSO_KILL_SEED replays a run).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayJournal } from '../../src/signing/batch/batch-journal.js';
import { pkiDir, pkiFile } from '../support/fixtures.js';
import { KYSO_BIN } from '../support/run-cli.js';
import { startTsaServer, type TsaServer } from '../servers/tsa-server.js';
import { expectAllValid, filesUnder, makeDocuments, sha256 } from '../signing/batch/batch-documents.js';

const DOCUMENTS = 160;
const KILLS = 20;

let tsa: TsaServer;
let root: string;

beforeAll(async () => {
  // A TSA answering in 50 ms, one request at a time: a steady pace, whatever the machine.
  tsa = await startTsaServer({ pkiDir: pkiDir(), delayMs: 50 });
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-batch-kill-'));
});
afterAll(async () => tsa?.close());

/** A small seeded generator (mulberry32): the kill moments of a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly killed: boolean;
}

/** Runs the batch; kills it `afterMs` after start, or after its first document when `afterStart`. */
function runAndKill(
  args: string[],
  plan: { afterMs: number; afterStart: boolean } | undefined,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KYSO_BIN, ...args], {
      env: { ...process.env, KYSO_P12_PASSWORD: 'kyso-p12' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const arm = (): void => {
      if (plan && timer === undefined) timer = setTimeout(kill, plan.afterMs);
    };
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (plan?.afterStart && /^\[\d+\/\d+\] /m.test(stderr)) arm();
    });
    if (plan && !plan.afterStart) arm();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr, killed });
    });
  });
}

describe('kyso batch killed with SIGKILL at random moments', () => {
  it(`${KILLS} kills and resumes: one complete valid output per input, the journal agrees, nothing stray`, async () => {
    const docs = await makeDocuments(path.join(root, 'in'), DOCUMENTS);
    const out = path.join(root, 'out');
    const args = [
      'batch',
      '--in',
      docs.dir,
      '--out',
      out,
      '--resume',
      '--p12',
      pkiFile('chairman-rsa2048.p12'),
      '--pin-env',
      'KYSO_P12_PASSWORD',
      '--tsa',
      tsa.url,
      '--tsa-concurrency',
      '1',
      '--reason',
      'SIGKILL test',
    ];
    const seed = Number(process.env['KYSO_KILL_SEED'] ?? Date.now() % 1_000_000);
    console.info(`kill moments from seed ${seed} (KYSO_KILL_SEED=${seed} replays them)`);
    const next = random(seed);
    const inputs = new Map(docs.good.map((f) => [path.basename(f), readFileSync(f)]));
    let killedRuns = 0;
    const progress: number[] = [];
    // Until KILLS runs were killed (a run that was not ends on its own and does not count).
    for (let runs = 0; killedRuns < KILLS && runs < 2 * KILLS; runs++) {
      // A third of the kills at any moment from the start (loading, planning, the journal, the
      // first documents), the others while documents are being signed, timestamped and written.
      const afterStart = next() >= 1 / 3;
      // Short windows: the bundled CLI signs quickly, and every one of the KILLS runs must be cut
      // short before the batch is through.
      const afterMs = Math.floor(next() * (afterStart ? 500 : 1000));
      const run = await runAndKill(args, { afterMs, afterStart });
      if (run.killed) killedRuns++;
      else expect(run.code, run.stderr).toBe(0);
      // Whatever the moment: an output is either absent or complete (the input, then a signature).
      const present = existsSync(out) ? filesUnder(out) : [];
      progress.push(present.filter((f) => !f.startsWith('.kyso-batch/')).length);
      for (const name of present.filter((f) => !f.startsWith('.kyso-batch/'))) {
        const output = readFileSync(path.join(out, name));
        const input = inputs.get(name);
        expect(input, `unexpected file ${name}`).toBeDefined();
        expect(output.length).toBeGreaterThan(input!.length);
        expect(
          output.subarray(0, input!.length).equals(input!),
          `${name} does not start with its input`,
        ).toBe(true);
        expect(output.subarray(-7).toString('latin1'), `${name} is incomplete`).toMatch(/%%EOF\r?\n?$/);
      }
    }
    console.info(`${killedRuns} runs killed; outputs after each run: ${progress.join(',')}`);
    expect(killedRuns).toBe(KILLS);

    const last = await runAndKill(args, undefined);
    expect(last.code, last.stderr).toBe(0);

    const files = filesUnder(out);
    const outputs = files.filter((f) => !f.startsWith('.kyso-batch/'));
    expect(outputs).toEqual([...inputs.keys()].sort());
    expect(files.filter((f) => f.startsWith('.kyso-batch/')).sort()).toEqual([
      '.kyso-batch/journal.jsonl',
      '.kyso-batch/report.csv',
      '.kyso-batch/report.json',
    ]);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(path.join(out, '.kyso-batch', 'lock'))).toBe(false);
    const { state } = replayJournal(
      readFileSync(path.join(out, '.kyso-batch', 'journal.jsonl'), 'utf8'),
      'journal',
    );
    expect(state.documents.size).toBe(DOCUMENTS);
    for (const doc of state.documents.values()) {
      expect(doc.status, doc.input).toBe('signed');
      expect(doc.signed?.sha256, doc.output).toBe(sha256(doc.output));
      expect(doc.signed?.level).toBe('B-T');
    }
    await expectAllValid(outputs.map((f) => path.join(out, f)));
  }, 240_000);
});
