// The upload credential never leaves memory: after deliveries, a refusal whose answer echoes the
// Authorization header, an OAuth2 exchange and a flush, the token (and the OAuth2 client secret)
// appears in no file of KYSO_HOME (the SQLite database and its WAL included), in no output or JSON
// report, and not in the running process's command line (`ps`); its environment holds it only as
// the KYSO_UPLOAD_TOKEN variable it was given.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnestopServer, type OnestopServer } from '../../src/onestop/onestop-server.js';
import { readBody, sendJson } from '../../src/onestop/router.js';
import { KYSO_BIN, runKyso, type CliResult } from '../support/run-cli.js';
import {
  DOSSIER,
  makeSignedResults,
  testTrust,
  trustTestRoot,
  writeSettings,
} from '../upload/upload-documents.js';
import { filesUnder } from '../support/files-under.js';

const TOKEN = `kyso-secret-${randomBytes(12).toString('hex')}`;
const CLIENT_SECRET = `client-secret-${randomBytes(12).toString('hex')}`;
let root: string;
let server: OnestopServer;
let docs: string[];
const outputs: CliResult[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-upload-secrecy-'));
  docs = await makeSignedResults(path.join(root, 'docs'), 5);
  server = await startOnestopServer({
    dataDir: path.join(root, 'onestop'),
    tokens: [TOKEN],
    oauthClients: { 'ubnd-doan-ket': CLIENT_SECRET },
    trust: testTrust(),
    modules: [
      // A careless system that repeats the request's Authorization header in its error message.
      (router) =>
        router.add('POST', '/echo/:code', async (req, res) => {
          await readBody(req, 10_000_000);
          sendJson(res, 400, {
            message: `bad request with Authorization: ${req.headers.authorization ?? ''}`,
          });
        }),
    ],
  });
});
afterAll(async () => server?.close());

async function kyso(home: string, args: string[], token = TOKEN): Promise<CliResult> {
  const result = await runKyso(args, { env: { KYSO_HOME: home, KYSO_UPLOAD_TOKEN: token } });
  outputs.push(result);
  return result;
}

describe('the upload credential', () => {
  it('is nowhere in KYSO_HOME, the outputs, the reports or the process arguments', async () => {
    const home = path.join(root, 'home');
    writeSettings(home, { server: server.url, retry: { baseMs: 10, maxMs: 50, maxAttempts: 2 } });
    trustTestRoot(home);

    expect((await kyso(home, ['upload', docs[0] as string, '--dossier', DOSSIER])).code).toBe(0);
    expect((await kyso(home, ['upload', docs[1] as string, '--dossier', DOSSIER, '--json'])).code).toBe(0);

    // The echoing system: its message is kept in the outbox, with the token blotted out.
    const echoHome = path.join(root, 'home-echo');
    writeSettings(echoHome, { server: server.url, rest: { path: '/echo/{dossierCode}' } });
    trustTestRoot(echoHome);
    const echoed = await kyso(echoHome, ['upload', docs[2] as string, '--dossier', DOSSIER, '--lang', 'en']);
    expect(echoed.code).toBe(1);
    expect(echoed.stdout).toContain('bad request with Authorization: Bearer [secret]');

    // OAuth2: the client secret travels only to the token endpoint.
    const oauthHome = path.join(root, 'home-oauth');
    writeSettings(oauthHome, {
      server: server.url,
      rest: { auth: 'oauth2', oauth2: { tokenUrl: `${server.url}/oauth/token`, clientId: 'ubnd-doan-ket' } },
    });
    trustTestRoot(oauthHome);
    expect(
      (await kyso(oauthHome, ['upload', docs[3] as string, '--dossier', DOSSIER], CLIENT_SECRET)).code,
    ).toBe(0);

    // A running upload, held by a slow server: its command line and environment as ps sees them.
    server.faults.settings = {
      rates: { error500: 0, timeout: 0, drop: 0, duplicate: 0, slow: 1 },
      slowMs: 3000,
    };
    const child = spawn(process.execPath, [KYSO_BIN, 'upload', docs[4] as string, '--dossier', DOSSIER], {
      env: { ...process.env, KYSO_HOME: home, KYSO_UPLOAD_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const requestsBefore = server.faults.requests;
    // Wait until the request is at the server (the process is past start-up, mid-delivery).
    for (let i = 0; i < 200 && server.faults.requests === requestsBefore; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(server.faults.requests).toBe(requestsBefore + 1);
    const pid = child.pid as number;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`);
    const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    const ps = execFileSync('ps', ['-eo', 'pid,args', '-ww'], { encoding: 'utf8' });
    expect(cmdline.includes(TOKEN)).toBe(false);
    expect(cmdline.toString('utf8')).toContain('upload');
    expect(ps).toContain(`${pid} `);
    expect(ps).not.toContain(TOKEN);
    expect(environ.filter((v) => v.includes(TOKEN))).toEqual([`KYSO_UPLOAD_TOKEN=${TOKEN}`]);
    // Mid-delivery the database has its write-ahead log open: that is searched too.
    const live = filesUnder(home);
    expect(live.some((f) => f.endsWith('outbox.sqlite-wal'))).toBe(true);
    for (const file of live) expect(readFileSync(file).includes(TOKEN), file).toBe(false);
    expect(await closed).toBe(0);
    outputs.push({ code: 0, stdout, stderr });
    server.faults.settings = {
      rates: { error500: 0, timeout: 0, drop: 0, duplicate: 0, slow: 0 },
      slowMs: 0,
    };

    // Reports and lists.
    for (const h of [home, echoHome, oauthHome]) {
      expect((await kyso(h, ['outbox', 'list', '--json'])).code).toBe(0);
      expect((await kyso(h, ['outbox', 'list'])).code).toBe(0);
      await kyso(h, ['outbox', 'flush', '--json']);
    }
    // The credentials did their work: four documents stored (the echoing system stored none).
    expect(server.stats().stored).toBe(4);

    const secrets = [TOKEN, CLIENT_SECRET].flatMap((s) => [s, Buffer.from(s).toString('base64')]);
    const files = [home, echoHome, oauthHome].flatMap(filesUnder);
    expect(files.some((f) => f.endsWith('outbox.sqlite'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of secrets) expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
    }
    for (const out of outputs) {
      for (const secret of secrets) {
        expect(out.stdout).not.toContain(secret);
        expect(out.stderr).not.toContain(secret);
      }
    }
    expect(outputs.length).toBeGreaterThan(10);
  });
});
