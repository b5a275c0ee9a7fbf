// The "done when": 500 documents go through the outbox to the reference one-stop server
// with every fault kind on at least 20% of the upload requests (HTTP 500, timeouts, dropped
// connections, duplicate deliveries whose answer is lost, slow answers), while the uploading CLI
// process is killed with SIGKILL 10 times at random moments and restarted each time (some runs two
// flushing processes at once). Then: the server has stored every document exactly once (its own
// count per document), none is lost, and `kyso outbox list --json` agrees. The kill moments and
// faults come from a printed seed (KYSO_KILL_SEED replays a run).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/onestop/fault-plan.js';
import { startOnestopServer, type OnestopServer } from '../../src/onestop/onestop-server.js';
import { sha256File } from '../../src/signing/upload/queue-document.js';
import { KYSO_BIN, runKyso } from '../support/run-cli.js';
import { makeSignedResults, testTrust, trustTestRoot, writeSettings } from './upload-documents.js';

const DOCUMENTS = 500;
const DOSSIERS = 5;
const KILLS = 10;
const TOKEN = 'fault-test-token-5d41402abc4b2a76';

let root: string;
let home: string;
let server: OnestopServer;
let files: string[] = [];
const seed = Number(process.env['KYSO_KILL_SEED'] ?? Date.now() % 1_000_000);

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-outbox-faults-'));
  home = path.join(root, 'home');
  files = await makeSignedResults(path.join(root, 'docs'), DOCUMENTS);
  server = await startOnestopServer({
    dataDir: path.join(root, 'onestop'),
    tokens: [TOKEN],
    trust: testTrust(),
    seed,
    // The four exclusive faults on 21% of the requests each (dealt from shuffled decks of 100, so
    // each is at least 20% of any count past 2,000), slow answers on a quarter besides.
    faults: { rates: { error500: 0.21, timeout: 0.21, drop: 0.21, duplicate: 0.21, slow: 0.25 }, slowMs: 50 },
  });
  writeSettings(home, {
    server: server.url,
    rest: { timeoutMs: 200 },
    retry: { baseMs: 5, maxMs: 60, maxAttempts: 1000 },
    concurrency: 16,
  });
  trustTestRoot(home);
}, 180_000);

afterAll(async () => server?.close());

interface Run {
  readonly code: number | null;
  readonly killed: boolean;
  readonly stderr: string;
}

function flushAndMaybeKill(killAfterMs: number | undefined): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KYSO_BIN, 'outbox', 'flush', '--wait', '600', '--lang', 'en'], {
      env: { ...process.env, KYSO_HOME: home, KYSO_UPLOAD_TOKEN: TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let killed = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            if (child.exitCode === null && child.signalCode === null) {
              killed = true;
              child.kill('SIGKILL');
            }
          }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed, stderr });
    });
  });
}

describe('the outbox under faults and SIGKILL', () => {
  it(`${DOCUMENTS} documents, every fault kind on ≥ 20% of requests, ${KILLS} kills: each stored exactly once`, async () => {
    console.info(`faults and kill moments from seed ${seed} (KYSO_KILL_SEED=${seed} replays them)`);
    const next = seededRandom(seed + 1);
    const startedAt = Date.now();
    const perDossier = DOCUMENTS / DOSSIERS;
    for (let d = 0; d < DOSSIERS; d++) {
      const batch = files.slice(d * perDossier, (d + 1) * perDossier);
      const queued = await runKyso(
        ['upload', ...batch, '--dossier', `000.00.01.H22-261126-000${d + 1}`, '--queue-only', '--lang', 'en'],
        { env: { KYSO_HOME: home } },
      );
      expect(queued.stderr).toBe('');
      expect(queued.code).toBe(0);
    }

    const queuedAt = Date.now();
    let kills = 0;
    let concurrentRounds = 0;
    for (let round = 0; kills < KILLS && round < 3 * KILLS; round++) {
      // Every third round two processes flush at once; each is killed at its own moment.
      const count = round % 3 === 1 ? 2 : 1;
      if (count === 2) concurrentRounds++;
      const runs = await Promise.all(
        Array.from({ length: count }, () => flushAndMaybeKill(150 + Math.floor(next() * 900))),
      );
      for (const run of runs) {
        if (run.killed) kills++;
        // A run that was not killed finished the outbox by itself.
        else expect(run.code, run.stderr).toBe(0);
      }
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    const killedAt = Date.now();

    const last = await flushAndMaybeKill(undefined);
    expect(last.code, last.stderr).toBe(0);
    console.info(
      `fault test timing: queueing ${queuedAt - startedAt} ms, ${kills} killed runs ${killedAt - queuedAt} ms, final flush ${Date.now() - killedAt} ms`,
    );

    // The server's own count: every document stored exactly once.
    const stats = server.stats();
    const shas = await Promise.all(files.map(async (f) => (await sha256File(f)).sha256));
    const expected = Object.fromEntries(shas.map((s) => [s, 1]));
    expect(stats.byDocument).toEqual(expected);
    expect(stats.stored).toBe(DOCUMENTS);
    console.info(
      `fault test: ${stats.requests} upload requests, faults ${JSON.stringify(stats.faults)}, answers ${JSON.stringify(stats.answers)}, ${kills} kills, ${concurrentRounds} rounds with two flushing processes`,
    );
    for (const kind of ['error500', 'timeout', 'drop', 'duplicate', 'slow'] as const) {
      expect(stats.faults[kind], kind).toBeGreaterThanOrEqual(0.2 * stats.requests);
    }
    // The lost answers really happened, and were recognised by their key on a later attempt.
    expect(stats.answers['lost-201'] ?? 0).toBeGreaterThan(0);
    expect(stats.answers['409'] ?? 0).toBeGreaterThan(0);

    // The outbox agrees: every document delivered, the same set of documents.
    const list = await runKyso(['outbox', 'list', '--json'], { env: { KYSO_HOME: home } });
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.stdout) as {
      items: { state: string; sha256: string; idempotencyKey: string }[];
      counts: Record<string, number>;
    };
    expect(parsed.items).toHaveLength(DOCUMENTS);
    expect(parsed.counts).toEqual({ queued: 0, sending: 0, delivered: DOCUMENTS, failed: 0, cancelled: 0 });
    expect(new Set(parsed.items.map((i) => i.sha256))).toEqual(new Set(shas));
    const serverKeys = server.store.receipts().map((r) => r.idempotencyKey);
    expect(new Set(parsed.items.map((i) => i.idempotencyKey))).toEqual(new Set(serverKeys));
  }, 240_000);
});
