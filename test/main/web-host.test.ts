// The web host as `npm run app:web` starts it (the compiled host, a child process): loopback only,
// the per-run token on every request, a loopback Host, the page's Origin on the WebSocket, the CSP,
// scripted dialogs, and no PIN in anything it prints.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  WIRE_PATH,
  decodeWireFrame,
  encodeWire,
  type Result,
  type ServerMessage,
  type TokenModuleView,
} from '../../src/shared/contract/index.js';
import { CHAIRMAN_TOKEN, testToken } from '../support/fixtures.js';
import { startWebHost, WEB_HOST_ENTRY, type StartedWebHost } from '../support/web-host.js';
import { removeTemp } from '../signing/appearance/appearance-support.js';
import { cacheControlFor } from '../../src/main/web-host/static-files.js';
import { appTestEnv, certificateRef, makeDecision, temporaryFiles, type AppTestEnv } from './app-support.js';

let t: AppTestEnv;
let host: StartedWebHost;
let files: string;

beforeAll(async () => {
  t = await appTestEnv();
  files = path.join(t.dir, 'files');
  makeDecision(path.join(t.dir, 'decision.pdf'));
  spawnSync('mkdir', ['-p', files]);
  makeDecision(path.join(files, 'quyet-dinh.pdf'));
  host = await startWebHost({ home: t.home, files, env: t.env });
});

afterAll(async () => {
  await host?.close();
  if (t) removeTemp(t.dir);
});

/** A raw HTTP GET with chosen headers (fetch cannot set Host). */
function get(
  pathAndQuery: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: pathAndQuery,
        method: 'GET',
        headers: { host: `127.0.0.1:${host.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Opens the contract's WebSocket; resolves with the socket or the HTTP status that refused it. */
function connect(query: string, origin: string | undefined): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${WIRE_PATH}${query}`, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

class Page {
  readonly #pending = new Map<string, (m: ServerMessage) => void>();
  readonly events: ServerMessage[] = [];
  #n = 0;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const m = decodeWireFrame(isBinary ? new Uint8Array(data as Buffer) : String(data)) as ServerMessage;
      if (m.type === 'event') this.events.push(m);
      else this.#pending.get(m.callId)?.(m);
    });
  }
  call(channel: string, request: unknown): Promise<Result<unknown>> {
    const callId = `p${++this.#n}`;
    return new Promise((resolve) => {
      this.#pending.set(callId, (m) => resolve((m as { result: Result<unknown> }).result));
      this.ws.send(encodeWire({ type: 'call', callId, channel, request }));
    });
  }
  pathForFile(name: string, size: number): Promise<string | null> {
    const callId = `f${++this.#n}`;
    return new Promise((resolve) => {
      this.#pending.set(callId, (m) => resolve((m as { path: string | null }).path));
      this.ws.send(encodeWire({ type: 'path-for-file', callId, name, size }));
    });
  }
}

async function page(): Promise<Page> {
  const ws = await connect(`?token=${host.token}`, host.origin);
  if (typeof ws === 'number') throw new Error(`WebSocket refused: ${ws}`);
  return new Page(ws);
}

describe('web host: who may talk to it', () => {
  it('prints the URL with the token first, and listens on 127.0.0.1 only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(host.output().stdout.split('\n')[0]).toBe(host.url);
    // /proc/net/tcp: the listening socket's local address is 0100007F (127.0.0.1), not 00000000.
    const port = host.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(`:${port}`) && f[3] === '0A');
    expect(listening.map((f) => f[1])).toEqual([`0100007F:${port}`]);
  });

  it('refuses to listen on anything but loopback', () => {
    const r = spawnSync(process.execPath, [WEB_HOST_ENTRY, '--port', '0', '--host', '0.0.0.0'], {
      env: { ...t.env, KYSO_HOME: t.home },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('127.0.0.1 only');
  });

  it('refuses HTTP requests without the token, with a wrong one, or with a foreign Host', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { 'x-kyso-token': `${host.token.slice(0, -1)}x` })).status).toBe(401);
    expect((await get(`/?token=${host.token}`, { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await get(`/?token=${host.token}`, { host: `192.168.1.5:${host.port}` })).status).toBe(403);
    const ok = await get(`/?token=${host.token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-security-policy']).toContain("script-src 'self'");
    expect(ok.headers['content-security-policy']).toContain("default-src 'none'");
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    // The page itself is never kept (it is the one file whose name does not change with its bytes).
    expect(ok.headers['cache-control']).toBe('no-store');
    // The page's assets come with the cookie the first answer set.
    const cookie = String(ok.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^kyso_token_\d+=/);
    expect(ok.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await get('/', { cookie })).status).toBe(200);
    expect((await get('/', { cookie: `kyso_token_${host.port}=nope` })).status).toBe(401);
  });

  it('lets the browser keep only the content-named assets (the page, the rest and the unbuilt names never)', () => {
    expect(cacheControlFor('/assets/index-C3KW_eVl.js')).toBe('private, max-age=31536000, immutable');
    expect(cacheControlFor('/assets/VerifyScreen-C2tj7FUY.js')).toBe('private, max-age=31536000, immutable');
    expect(cacheControlFor('/assets/index-Dt9Yi0sP.css')).toBe('private, max-age=31536000, immutable');
    for (const other of [
      '/',
      '/index.html',
      '/favicon.svg',
      '/assets/index.js',
      '/assets/index-C3KW_eVl.js.map',
      '/pdfjs/cmaps/UniGB-UCS2-H.bcmap',
      '/assets/../index-C3KW_eVl.js',
    ]) {
      expect(cacheControlFor(other), other).toBe('no-store');
    }
  });

  it('refuses the WebSocket without the token, with a wrong one, or from a foreign Origin', async () => {
    expect(await connect('', host.origin)).toBe(401);
    expect(await connect('?token=wrong', host.origin)).toBe(401);
    expect(await connect(`?token=${host.token}`, 'http://evil.example')).toBe(403);
    expect(await connect(`?token=${host.token}`, `http://127.0.0.1:${host.port + 1}`)).toBe(403);
    expect(await connect(`?token=${host.token}`, undefined)).toBe(403);
    const ws = await connect(`?token=${host.token}`, host.origin);
    expect(ws).toBeInstanceOf(WebSocket);
    (ws as WebSocket).close();
  });

  it('POST /__dialog needs the token too', async () => {
    const res = await fetch(`${host.origin}/__dialog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dialog: 'openPdf', path: '/etc/passwd' }),
    });
    expect(res.status).toBe(401);
  });
});

describe('web host: the contract over the WebSocket', () => {
  it('answers app.info and rejects malformed requests with the envelope', async () => {
    const p = await page();
    const info = await p.call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { webHost: true, language: 'vi', home: t.home } });
    const bad = await p.call('document.open', { path: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_REQUEST' } });
    const unknown = await p.call('fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_REQUEST' } });
    p.ws.close();
  });

  it('dialogs: scripted answers first, then the --files folder; dropped files found there by name and size', async () => {
    const p = await page();
    const scripted = path.join(t.dir, 'decision.pdf');
    await host.answerDialog('openPdf', scripted);
    expect(await p.call('dialog.openPdf', {})).toEqual({ ok: true, value: { path: scripted } });
    expect(await p.call('dialog.openPdf', {})).toEqual({
      ok: true,
      value: { path: path.join(files, 'quyet-dinh.pdf') },
    });
    await host.answerDialog('saveAs', null);
    expect(await p.call('dialog.saveAs', { defaultPath: '/x/y.pdf' })).toEqual({
      ok: true,
      value: { path: null },
    });
    const size = readFileSync(path.join(files, 'quyet-dinh.pdf')).length;
    expect(await p.pathForFile('quyet-dinh.pdf', size)).toBe(path.join(files, 'quyet-dinh.pdf'));
    expect(await p.pathForFile('quyet-dinh.pdf', size + 1)).toBeNull();
    expect(await p.pathForFile('../decision.pdf', 1)).toBeNull();
    p.ws.close();
  });

  it('signs through the host; a wrong PIN writes nothing; no PIN appears in its output or data folder', async () => {
    const p = await page();
    const pin = testToken(CHAIRMAN_TOKEN).pin;
    const wrong = '55aa-wrong-pin-77';
    const tokens = (await p.call('tokens.list', {})) as Result<{ modules: TokenModuleView[] }>;
    if (!tokens.ok) throw new Error(tokens.error.message);
    const certificate = certificateRef(tokens.value.modules, CHAIRMAN_TOKEN, '01');
    const opened = (await p.call('document.open', { path: path.join(files, 'quyet-dinh.pdf') })) as Result<{
      documentId: string;
      suggestedOutput: string;
    }>;
    if (!opened.ok) throw new Error(opened.error.message);
    const request = {
      documentId: opened.value.documentId,
      output: opened.value.suggestedOutput,
      overwrite: false,
      template: 'personal',
      page: 1,
      rect: { x: 330, y: 480, width: 190, height: 80 },
      certificate,
      allowFinalTry: false,
    };
    const refused = await p.call('sign.run', { ...request, pin: wrong });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PKCS11_PIN_INCORRECT' } });
    expect(readdirSync(files)).toEqual(['quyet-dinh.pdf']);
    const signed = await p.call('sign.run', { ...request, pin });
    expect(signed).toMatchObject({ ok: true, value: { output: opened.value.suggestedOutput } });
    expect(p.events.some((e) => e.type === 'event' && e.event.kind === 'progress')).toBe(true);
    expect(temporaryFiles(files)).toEqual([]);
    p.ws.close();
    const { stdout, stderr } = host.output();
    for (const secret of [pin, wrong]) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
      for (const f of readdirSync(t.home, { recursive: true, withFileTypes: true }).filter((e) =>
        e.isFile(),
      )) {
        expect(readFileSync(path.join(f.parentPath, f.name), 'latin1')).not.toContain(secret);
      }
    }
  });
});
