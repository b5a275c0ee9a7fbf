// `kyso inbox` as the chairman and the clerk run it (the built CLI in child processes, SoftHSM tokens,
// the reference server on 127.0.0.1): the issue's "Done when" — an officer submits three documents;
// the chairman lists them, signs two with one PIN and declines one with a reason; the clerk's inbox
// lists the two, the clerk issues them (0001 and 0002 of the year's book, number and date in the
// signature); both results reach their dossiers valid for our verifier and pdfsig; the declined one
// is back with the officer with its reason. Then the offline path (list from the cache, signed and
// kept, delivered by `sync` after the server is back) and the PIN's secrecy (output, files, argv).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnestopServer } from '../../src/onestop/onestop-server.js';
import { CHAIRMAN_TOKEN, CLERK_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../support/fixtures.js';
import { filesUnder } from '../support/files-under.js';
import { KYSO_BIN, runKyso, type CliResult } from '../support/run-cli.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { pdftotext } from '../signing/appearance/appearance-support.js';
import { DOSSIER, officerView, startServer, submit } from '../signing/inbox/inbox-support.js';

// Distinctive PINs (set on the fresh token copies below): searched for in every output and file.
const CHAIRMAN_PIN = 'Qx-58213-chu-tich';
const CLERK_PIN = 'Vt-90417-van-thu';

let root: string;
let conf: string;
let server: OnestopServer;
const runs: CliResult[] = [];
const argvs: string[][] = [];

const chairmanHome = (): string => path.join(root, 'home-chairman');
const clerkHome = (): string => path.join(root, 'home-clerk');

const chairmanId = ['--module', SOFTHSM_MODULE, '--token', CHAIRMAN_TOKEN, '--key', '01'];
const clerkId = ['--module', SOFTHSM_MODULE, '--token', CLERK_TOKEN, '--key', '02'];

async function kyso(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  argvs.push(args);
  const r = await runKyso(args, { env: { SOFTHSM2_CONF: conf, ...env }, ...(input ? { input } : {}) });
  runs.push(r);
  return r;
}

/** The chairman: the server from the settings, the PIN on standard input (read once). */
const chairman = (args: string[]): Promise<CliResult> =>
  kyso(
    ['inbox', ...args, ...chairmanId, '--pin-stdin', '--lang', 'vi'],
    { KYSO_HOME: chairmanHome() },
    `${CHAIRMAN_PIN}\n`,
  );

/** The clerk: --server, the PIN from a named environment variable. */
const clerk = (args: string[]): Promise<CliResult> =>
  kyso(['inbox', ...args, ...clerkId, '--server', server.url, '--pin-env', 'CLERK_PIN', '--lang', 'en'], {
    KYSO_HOME: clerkHome(),
    CLERK_PIN,
  });

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-inbox-'));
  conf = freshTokens().conf;
  for (const [label, pin] of [
    [CHAIRMAN_TOKEN, CHAIRMAN_PIN],
    [CLERK_TOKEN, CLERK_PIN],
  ] as const) {
    const r = await runKyso(
      [
        'tokens',
        'change-pin',
        '--module',
        SOFTHSM_MODULE,
        '--token',
        label,
        '--pin-env',
        'OLD',
        '--new-pin-env',
        'NEW',
      ],
      {
        env: {
          SOFTHSM2_CONF: conf,
          OLD: testToken(label).pin,
          NEW: pin,
          KYSO_HOME: path.join(root, 'home-pin'),
        },
      },
    );
    expect(r.code, r.stderr).toBe(0);
  }
  server = await startServer(path.join(root, 'data'));
  const set = await kyso(['settings', 'set', 'upload.server', server.url], { KYSO_HOME: chairmanHome() });
  expect(set.code, set.stderr).toBe(0);
});
afterAll(async () => server?.close());

interface ListJson {
  items: { id: string; state: string; declineReason: string | null; step: { kind: string } | null }[];
  offline: boolean;
}

describe('kyso inbox', () => {
  it('usage: a decline needs a reason, there is no --pin option, the server must be known', async () => {
    const noReason = await kyso(['inbox', 'decline', 'x', '--server', server.url, ...clerkId], {
      KYSO_HOME: clerkHome(),
    });
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('[USAGE]');
    const pinArg = await kyso(['inbox', 'list', '--pin', '1234', ...clerkId], { KYSO_HOME: clerkHome() });
    expect(pinArg.code).toBe(2);
    expect(pinArg.stderr).toContain('[USAGE]');
    const noServer = await kyso(['inbox', 'list', ...clerkId, '--pin-env', 'CLERK_PIN'], {
      KYSO_HOME: path.join(root, 'home-empty'),
      CLERK_PIN,
    });
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('[INBOX_NO_SERVER]');
  });

  it('three submitted: the chairman signs two with one PIN and declines one; the clerk issues 0001 and 0002', async () => {
    const a = await submit(server, 'Quyet dinh A');
    const b = await submit(server, 'Quyet dinh B');
    const c = await submit(server, 'Quyet dinh C');

    const listed = await chairman(['list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const list = JSON.parse(listed.stdout) as ListJson;
    expect(list.offline).toBe(false);
    expect(list.items.map((i) => i.id).sort()).toEqual([a.id, b.id, c.id].sort());
    const text = await chairman(['list']);
    expect(text.stdout).toContain('3 văn bản');
    expect(text.stdout).toContain('Quyet dinh A');

    // One PIN on standard input, read once: the session's challenge and both signatures use it.
    const signed = await chairman(['sign', a.id, b.id]);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toContain(`${a.id}: đã ký và gửi`);
    expect(signed.stdout).toContain(`${b.id}: đã ký và gửi`);
    expect(signed.stderr).toContain('đang ký');

    const declined = await chairman(['decline', c.id, '--reason', 'Thiếu căn cứ pháp lý']);
    expect(declined.code, declined.stderr).toBe(0);
    expect(declined.stdout).toContain('Thiếu căn cứ pháp lý');

    const clerkList = JSON.parse((await clerk(['list', '--json'])).stdout) as ListJson;
    expect(clerkList.items.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    expect(clerkList.items.every((i) => i.step?.kind === 'issue')).toBe(true);

    const issued = await clerk(['sign', '--all', '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    const result = JSON.parse(issued.stdout) as {
      items: { id: string; status: string; documentNumber: string; issuedDate: string }[];
    };
    expect(result.items.map((i) => i.status)).toEqual(['delivered', 'delivered']);
    expect(result.items.map((i) => i.documentNumber).sort()).toEqual(['0001/QĐ-UBND', '0002/QĐ-UBND']);

    for (const item of result.items) {
      const view = await officerView(server, item.id);
      expect(view.state).toBe('done');
      expect(view.issue).toEqual({ number: item.documentNumber, issuedDate: item.issuedDate });
      const receipt = server.store.byKey(`signing-request-${item.id}`);
      expect(receipt?.dossierCode).toBe(DOSSIER);
      expect((receipt?.metadata as Record<string, unknown>)['documentNumber']).toBe(item.documentNumber);
      const file = path.join(root, `result-${item.id}.pdf`);
      copyFileSync(server.store.filePath(receipt?.id as string), file);
      await expectKysoVerifies(file);
      await expectPdfsigValid(file, 2);
      await qpdfCheck(file);
      const page = pdftotext(file, 1);
      expect(page).toContain(`Số: ${item.documentNumber}`);
      expect(page).toContain(`Ngày ban hành: ${item.issuedDate}`);
    }

    // The officer sees the declined one with its reason; the chairman's "all" list shows it too.
    expect(await officerView(server, c.id)).toMatchObject({
      state: 'declined',
      declineReason: 'Thiếu căn cứ pháp lý',
    });
    const all = JSON.parse((await chairman(['list', '--state', 'all', '--json'])).stdout) as ListJson;
    expect(all.items.find((i) => i.id === c.id)).toMatchObject({
      state: 'declined',
      declineReason: 'Thiếu căn cứ pháp lý',
    });
    const done = JSON.parse((await chairman(['list', '--state', 'done', '--json'])).stdout) as ListJson;
    expect(done.items.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
  }, 240_000);

  it('offline: the list from the cache, signed and kept, delivered once by sync when the server is back', async () => {
    const d = await submit(server, 'Quyet dinh D');
    const synced = await chairman(['sync']);
    expect(synced.code, synced.stderr).toBe(0);

    const port = Number(new URL(server.url).port);
    await server.close();
    const offline = await chairman(['list', '--json']);
    expect(offline.code, offline.stderr).toBe(0);
    const cached = JSON.parse(offline.stdout) as ListJson;
    expect(cached.offline).toBe(true);
    expect(cached.items.map((i) => i.id)).toEqual([d.id]);

    const kept = await chairman(['sign', d.id]);
    expect(kept.code).toBe(1);
    expect(kept.stdout).toContain(`${d.id}: đã ký, bản ký được giữ lại chờ gửi`);
    expect(kept.stdout).toContain('[INBOX_UNREACHABLE]');

    server = await startServer(path.join(root, 'data'), port);
    const delivered = await chairman(['sync']);
    expect(delivered.code, delivered.stderr).toBe(0);
    expect(delivered.stdout).toContain('đã gửi 1');
    expect((await officerView(server, d.id)).step?.kind).toBe('issue');
    expect(server.signing.store.get(d.id)?.version).toBe(2);
    // Nothing is sent twice.
    const again = await chairman(['sync']);
    expect(again.stdout).toContain('đã gửi 0');
    expect(server.signing.store.get(d.id)?.version).toBe(2);
  }, 240_000);

  it('sync --watch polls until interrupted, then exits 0', async () => {
    const args = [
      'inbox',
      'sync',
      '--watch',
      '--interval',
      '1',
      ...clerkId,
      '--server',
      server.url,
      '--pin-env',
      'CLERK_PIN',
      '--lang',
      'en',
    ];
    argvs.push(args);
    const child = spawn(process.execPath, [KYSO_BIN, ...args], {
      env: { ...process.env, SOFTHSM2_CONF: conf, KYSO_HOME: clerkHome(), CLERK_PIN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    for (let i = 0; i < 200 && stdout.split('\n').filter((l) => l.includes('delivered')).length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGINT');
    const code = await closed;
    runs.push({ code, stdout, stderr });
    expect(code, stderr).toBe(0);
    // Two rounds at least: the clerk's pending list (the chairman's D, now at the issue step).
    expect(stdout.match(/request\(s\); delivered 0, waiting 0, refused 0/g)?.length).toBeGreaterThanOrEqual(
      2,
    );
  }, 60_000);

  it('the PINs appear in no output, no file under KYSO_HOME and no argv', () => {
    expect(runs.length).toBeGreaterThan(5);
    for (const r of runs) {
      for (const pin of [CHAIRMAN_PIN, CLERK_PIN]) {
        expect(r.stdout + r.stderr).not.toContain(pin);
      }
    }
    for (const args of argvs)
      for (const pin of [CHAIRMAN_PIN, CLERK_PIN]) expect(args.join(' ')).not.toContain(pin);
    const files = [...filesUnder(chairmanHome()), ...filesUnder(clerkHome())];
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const bytes = readFileSync(f, 'latin1');
      expect(bytes, f).not.toContain(CHAIRMAN_PIN);
      expect(bytes, f).not.toContain(CLERK_PIN);
    }
  });
});
