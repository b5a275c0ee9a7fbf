// The local bridge in the app, through the real web host (compiled: run `npm run build` first), its
// engine process and the SoftHSM tokens. The web system is played by real parts (a ws client sends
// the plugin protocol, an HTTP server on 127.0.0.1 serves the document and takes the signed one);
// the window by a client of the host's wire protocol, which gets the bridge-request event and answers
// with bridge.answer. An accepted request signs and delivers a file valid for Kyso and pdfsig; a
// refused one signs and sends nothing; the PIN never reaches the host's output or its data folder.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  WIRE_PATH,
  decodeWireFrame,
  encodeWire,
  type BridgeEvent,
  type BridgePreview,
  type BridgeRequestView,
  type BridgeStatusView,
  type Result,
  type ServerMessage,
  type TokenModuleView,
} from '../../src/shared/contract/index.js';
import { CHAIRMAN_TOKEN, pkiFile, testToken } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { startWebHost, type StartedWebHost } from '../support/web-host.js';
import { removeTemp } from '../signing/appearance/appearance-support.js';
import { ask, replyOf, startWebSystem, type WebSystem } from '../bridge/web-system.js';
import { appTestEnv, certificateRef, makeDecision, type AppTestEnv } from './app-support.js';

let t: AppTestEnv;
let host: StartedWebHost;
let web: WebSystem;
let decisionUrl: string;
let window: Window;
let bridgePort: number;

/** The renderer's side of the wire: calls, and the events the host sends to every page. */
class Window {
  readonly #pending = new Map<string, (m: ServerMessage) => void>();
  readonly #waiters: { match: (e: BridgeEvent) => boolean; resolve: (e: BridgeEvent) => void }[] = [];
  readonly events: BridgeEvent[] = [];
  #n = 0;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const m = decodeWireFrame(isBinary ? new Uint8Array(data as Buffer) : String(data)) as ServerMessage;
      if (m.type === 'event') {
        this.events.push(m.event);
        for (const w of [...this.#waiters])
          if (w.match(m.event)) {
            this.#waiters.splice(this.#waiters.indexOf(w), 1);
            w.resolve(m.event);
          }
      } else this.#pending.get(m.callId)?.(m);
    });
  }
  call<T>(channel: string, request: unknown): Promise<Result<T>> {
    const callId = `b${++this.#n}`;
    return new Promise((resolve) => {
      this.#pending.set(callId, (m) => resolve((m as { result: Result<T> }).result));
      this.ws.send(encodeWire({ type: 'call', callId, channel, request }));
    });
  }
  async value<T>(channel: string, request: unknown): Promise<T> {
    const r = await this.call<T>(channel, request);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  }
  next<K extends BridgeEvent['kind']>(
    kind: K,
    match: (e: Extract<BridgeEvent, { kind: K }>) => boolean = () => true,
  ): Promise<Extract<BridgeEvent, { kind: K }>> {
    return new Promise((resolve) =>
      this.#waiters.push({
        match: (e) => e.kind === kind && match(e as Extract<BridgeEvent, { kind: K }>),
        resolve: (e) => resolve(e as Extract<BridgeEvent, { kind: K }>),
      }),
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function request(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    FileUploadHandler: `${web.origin}/upload`,
    SessionId: 'session-7',
    JWTToken: 'jwt-of-the-page',
    FileName: decisionUrl,
    DocNumber: '',
    IssuedDate: '',
    MetaData: [],
    ...extra,
  };
}

beforeAll(async () => {
  t = await appTestEnv();
  // ws:// for the test client; the test root completes the chain, revocation is not fetched.
  writeFileSync(
    path.join(t.home, 'settings.json'),
    JSON.stringify({
      intermediates: [pkiFile('intermediate-ca.der')],
      revocation: { mode: 'offline' },
      bridge: { mode: 'plain' },
    }),
  );
  web = await startWebSystem();
  decisionUrl = web.serve('quyet-dinh-88.pdf', readFileSync(makeDecision(path.join(t.dir, 'decision.pdf'))));
  host = await startWebHost({ home: t.home, env: t.env });
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${WIRE_PATH}?token=${host.token}`, {
    origin: host.origin,
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  window = new Window(ws);
  bridgePort = await freePort();
}, 120_000);

afterAll(async () => {
  window?.ws.close();
  await host?.close();
  await web?.close();
  if (t) removeTemp(t.dir);
});

describe('the bridge in the app', () => {
  it('is off until enabled; enabled, it listens with the chosen certificate and allowed site', async () => {
    const off = await window.value<BridgeStatusView>('bridge.status', {});
    expect(off).toMatchObject({ enabled: false, running: false, url: null, queueLength: 0 });

    const { modules } = await window.value<{ modules: TokenModuleView[] }>('tokens.list', {});
    const certificate = certificateRef(modules, CHAIRMAN_TOKEN, '01');
    const refused = await window.call('bridge.settings.set', {
      enabled: true,
      port: bridgePort,
      allowedOrigins: ['not a site'],
      certificate,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_REQUEST' } });

    const on = await window.value<BridgeStatusView>('bridge.settings.set', {
      enabled: true,
      port: bridgePort,
      allowedOrigins: [`${web.origin}/`],
      certificate,
    });
    expect(on).toMatchObject({
      enabled: true,
      running: true,
      port: bridgePort,
      mode: 'plain',
      url: `ws://127.0.0.1:${bridgePort}`,
      allowedOrigins: [web.origin],
      certificateRef: certificate,
      error: null,
    });
    // Saved in app.json's bridge section, beside the language.
    const saved = JSON.parse(readFileSync(path.join(t.home, 'app.json'), 'utf8')) as Record<string, unknown>;
    expect(saved['bridge']).toMatchObject({ enabled: true, port: bridgePort, allowedOrigins: [web.origin] });
  });

  it('asks the window; Đồng ý with the PIN signs and delivers a file valid for Kyso and pdfsig', async () => {
    const asked = window.next('bridge-request');
    const answer = ask(`ws://127.0.0.1:${bridgePort}/SignApproved`, request(), { origin: web.origin });
    const { request: shown } = await asked;
    expect(shown).toMatchObject<Partial<BridgeRequestView>>({
      site: web.origin,
      endpoint: 'SignApproved',
      fileName: 'quyet-dinh-88.pdf',
      pages: 1,
      destination: web.origin,
      docNumber: null,
    });
    expect(shown.certificate.subject).toContain('Nguyễn Thị Hồng Nhung');
    const status = await window.value<BridgeStatusView>('bridge.status', {});
    expect(status.pending.map((p) => p.requestId)).toEqual([shown.requestId]);
    expect(status.queueLength).toBe(1);

    // The preview: the downloaded document, read as the viewer reads it.
    const preview = await window.value<BridgePreview>('bridge.preview', { requestId: shown.requestId });
    expect(preview).toMatchObject({ name: 'quyet-dinh-88.pdf', pageCount: 1 });
    const head = await window.value<{ bytes: Uint8Array; size: number }>('document.read', {
      documentId: preview.documentId,
      offset: 0,
      length: 5,
    });
    expect(Buffer.from(head.bytes).toString('latin1')).toBe('%PDF-');
    expect(head.size).toBe(preview.size);

    const closed = window.next('bridge-request-closed', (e) => e.requestId === shown.requestId);
    const pin = testToken(CHAIRMAN_TOKEN).pin;
    await expect(
      window.value('bridge.answer', { requestId: shown.requestId, accept: true, pin }),
    ).resolves.toEqual({ accepted: true });
    const reply = replyOf(await answer);
    expect(reply).toMatchObject({ Status: 0, FileName: 'stored-1.pdf' });
    await expect(closed).resolves.toMatchObject({ outcome: 'delivered', message: null });

    expect(web.uploads).toHaveLength(1);
    const upload = web.uploads[0]!;
    expect(upload.fileName).toBe('quyet-dinh-88_signed.pdf');
    expect(upload.authorization).toBe('Bearer jwt-of-the-page');
    const signed = path.join(t.dir, 'delivered.pdf');
    writeFileSync(signed, upload.bytes);
    await expectKysoVerifies(signed);
    await expectPdfsigValid(signed, 1);
    await qpdfCheck(signed);

    // The preview went with the request; a second answer finds nothing waiting.
    const gone = await window.call('document.read', { documentId: preview.documentId, offset: 0, length: 5 });
    expect(gone).toMatchObject({ ok: false, error: { code: 'DOCUMENT_NOT_OPEN' } });
    const late = await window.call('bridge.answer', { requestId: shown.requestId, accept: true, pin });
    expect(late).toMatchObject({ ok: false, error: { code: 'BRIDGE_REQUEST_CLOSED' } });
  });

  it('Từ chối: Status 2, nothing signed, nothing sent', async () => {
    const before = web.uploads.length;
    const asked = window.next('bridge-request');
    const answer = ask(`ws://127.0.0.1:${bridgePort}/SignApproved`, request(), { origin: web.origin });
    const { request: shown } = await asked;
    const closed = window.next('bridge-request-closed', (e) => e.requestId === shown.requestId);
    await expect(
      window.value('bridge.answer', { requestId: shown.requestId, accept: false }),
    ).resolves.toEqual({ accepted: false });
    expect(replyOf(await answer)).toMatchObject({ Status: 2, FileName: '' });
    await expect(closed).resolves.toMatchObject({ outcome: 'declined' });
    expect(web.uploads.length).toBe(before);
    // Nothing signed stays behind in the bridge's folders either.
    const bridgeDir = path.join(t.home, 'bridge');
    const files = readdirSync(bridgeDir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      statSync(path.join(bridgeDir, f)).isFile(),
    );
    expect(files.filter((f) => f.endsWith('.pdf'))).toEqual([]);
  });

  it('a page that leaves withdraws its question; a wrong PIN signs nothing and says why', async () => {
    // The page closes before anyone answers: the window is told, nothing is sent.
    const asked = window.next('bridge-request');
    const ws = new WebSocket(`ws://127.0.0.1:${bridgePort}/SignApproved`, { origin: web.origin });
    ws.on('open', () => ws.send(JSON.stringify(request())));
    const { request: shown } = await asked;
    const withdrawn = window.next('bridge-request-closed', (e) => e.requestId === shown.requestId);
    ws.close();
    await expect(withdrawn).resolves.toMatchObject({ outcome: 'withdrawn' });

    const before = web.uploads.length;
    const asked2 = window.next('bridge-request');
    const answer = ask(`ws://127.0.0.1:${bridgePort}/SignApproved`, request(), { origin: web.origin });
    const { request: second } = await asked2;
    const failed = window.next('bridge-request-closed', (e) => e.requestId === second.requestId);
    await window.value('bridge.answer', { requestId: second.requestId, accept: true, pin: '0000-wrong-9' });
    const reply = replyOf(await answer);
    expect(reply['Status']).not.toBe(0);
    const end = await failed;
    expect(end.outcome).toBe('failed');
    expect(end.message).toMatch(/PIN/);
    expect(web.uploads.length).toBe(before);
  });

  it('never shows the PIN: not in the host output, not in its data folder', () => {
    const pin = testToken(CHAIRMAN_TOKEN).pin;
    const { stdout, stderr } = host.output();
    for (const secret of [pin, '0000-wrong-9']) {
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
