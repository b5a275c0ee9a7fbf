// "Văn bản chờ ký" through the app's engine handlers (inbox.*), with SoftHSM tokens and the
// reference one-stop server on 127.0.0.1: nothing is listed before the PIN opens a session; a wrong
// PIN is the token's error; the chairman's three requests, one previewed, two signed with one PIN and
// one declined with its reason; the clerk's two, the number shown before sealing, issued 0001 and
// 0002 and sealed; both results valid for Kyso, pdfsig and qpdf with the number in their text; and
// the server gone: the list from what was downloaded, a signature kept and delivered once when the
// server is back.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnestopServer } from '../../src/onestop/onestop-server.js';
import type {
  CertificateRef,
  Channel,
  InboxSignProgress,
  RequestOf,
  Result,
  ResultOf,
} from '../../src/shared/contract/index.js';
import { dispatch } from '../../src/main/services/dispatcher.js';
import { DocumentTable } from '../../src/main/services/document-table.js';
import { engineHandlers } from '../../src/main/services/engine-handlers.js';
import { pdftotext } from '../signing/appearance/appearance-support.js';
import { DOSSIER, officer, officerView, startServer, submit } from '../signing/inbox/inbox-support.js';
import { CHAIRMAN_TOKEN, CLERK_TOKEN, freshTokens, SOFTHSM_MODULE, testToken } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { certificateRef } from './app-support.js';

const previous = { home: process.env['KYSO_HOME'], module: process.env['KYSO_PKCS11_MODULE'] };
let dir = '';
let dataDir = '';
let server: OnestopServer;
let tokensDir = '';
let chairman: CertificateRef;
let clerk: CertificateRef;
const handlers = engineHandlers(new DocumentTable());
const progress: InboxSignProgress[] = [];

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResultOf<C>>> {
  return (await dispatch(handlers, channel, request, {
    signal: new AbortController().signal,
    progress: (p) => progress.push(p as InboxSignProgress),
    language: 'vi',
  })) as Result<ResultOf<C>>;
}

async function ok<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResultOf<C>> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function code<C extends Channel>(channel: C, request: RequestOf<C>): Promise<string> {
  const r = await call(channel, request);
  return r.ok ? 'ok' : r.error.code;
}

const pinOf = (label: string): string => testToken(label).pin;

async function finalDocument(id: string, name: string): Promise<string> {
  const res = await fetch(`${server.url}/signing-requests/${id}/document`, { headers: officer });
  expect(res.status).toBe(200);
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-app-inbox-'));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  dataDir = path.join(dir, 'server');
  tokensDir = freshTokens().dir;
  server = await startServer(dataDir);
  writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ upload: { server: server.url } }));
  process.env['KYSO_HOME'] = home;
  process.env['KYSO_PKCS11_MODULE'] = SOFTHSM_MODULE;
  const listed = await ok('tokens.list', {});
  chairman = certificateRef(listed.modules, CHAIRMAN_TOKEN, '01');
  clerk = certificateRef(listed.modules, CLERK_TOKEN, '02');
});

afterAll(async () => {
  await server?.close();
  for (const [key, value] of [
    ['KYSO_HOME', previous.home],
    ['KYSO_PKCS11_MODULE', previous.module],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  if (tokensDir !== '') rmSync(tokensDir, { recursive: true, force: true });
});

describe('inbox.* (Văn bản chờ ký)', () => {
  it('chairman signs two with one PIN and declines one; the clerk issues 0001 and 0002 and seals', async () => {
    const a = await submit(server, 'Quyết định cấp giấy phép A');
    const b = await submit(server, 'Quyết định cấp giấy phép B');
    const c = await submit(server, 'Quyết định cấp giấy phép C');

    expect(await code('inbox.list', { certificate: chairman })).toBe('INBOX_LOGIN_NEEDED');
    expect(await code('inbox.open', { certificate: chairman, pin: '000000-sai', allowFinalTry: false })).toBe(
      'PKCS11_PIN_INCORRECT',
    );

    const opened = await ok('inbox.open', {
      certificate: chairman,
      pin: pinOf(CHAIRMAN_TOKEN),
      allowFinalTry: false,
    });
    expect(opened.offline).toBe(false);
    expect(opened.items.map((i) => i.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(opened.items.every((i) => i.stepKind === 'approve' && i.dossierCode === DOSSIER)).toBe(true);
    expect(opened.items.find((i) => i.id === a.id)).toMatchObject({
      documentType: 'Quyết định',
      title: 'Quyết định cấp giấy phép A',
    });
    // The session lasts: the list again without the PIN.
    expect((await ok('inbox.list', { certificate: chairman })).items).toHaveLength(3);

    const preview = await ok('inbox.document', { certificate: chairman, id: a.id });
    expect(createHash('sha256').update(readFileSync(preview.path)).digest('hex')).toBe(a.sha256);

    progress.length = 0;
    const signed = await ok('inbox.sign', {
      certificate: chairman,
      ids: [a.id, b.id],
      pin: pinOf(CHAIRMAN_TOKEN),
      allowFinalTry: false,
    });
    expect(signed.outcomes.map((o) => [o.id, o.status, o.code])).toEqual([
      [a.id, 'delivered', null],
      [b.id, 'delivered', null],
    ]);
    expect(progress.filter((p) => p.stage === 'delivered').map((p) => p.id)).toEqual([a.id, b.id]);
    expect(signed.list.items.map((i) => i.id)).toEqual([c.id]);

    expect(await code('inbox.decline', { certificate: chairman, id: c.id, reason: ' ' })).not.toBe('ok');
    const after = await ok('inbox.decline', {
      certificate: chairman,
      id: c.id,
      reason: 'Thiếu bản sao giấy chứng nhận',
    });
    expect(after.items).toEqual([]);
    expect(await officerView(server, c.id)).toMatchObject({
      state: 'declined',
      declineReason: 'Thiếu bản sao giấy chứng nhận',
    });

    // The clerk: both at the issue step; the number shown before sealing is the one issued.
    const clerkList = await ok('inbox.open', {
      certificate: clerk,
      pin: pinOf(CLERK_TOKEN),
      allowFinalTry: false,
    });
    expect(clerkList.items.map((i) => [i.id, i.stepKind]).sort()).toEqual(
      [
        [a.id, 'issue'],
        [b.id, 'issue'],
      ].sort(),
    );
    const reserved = await ok('inbox.reserve', { certificate: clerk, id: a.id });
    expect(reserved.number).toBe('0001/QĐ-UBND');
    expect(reserved.issuedDate).toMatch(/^\d\d\/\d\d\/\d{4}$/);
    const sealed = await ok('inbox.sign', {
      certificate: clerk,
      ids: [a.id, b.id],
      pin: pinOf(CLERK_TOKEN),
      allowFinalTry: false,
    });
    expect(sealed.outcomes.map((o) => [o.status, o.documentNumber])).toEqual([
      ['delivered', '0001/QĐ-UBND'],
      ['delivered', '0002/QĐ-UBND'],
    ]);
    for (const [id, number] of [
      [a.id, '0001/QĐ-UBND'],
      [b.id, '0002/QĐ-UBND'],
    ] as const) {
      expect(await officerView(server, id)).toMatchObject({ state: 'done', issue: { number } });
      const file = await finalDocument(id, `${id}.pdf`);
      await expectKysoVerifies(file);
      await expectPdfsigValid(file, 2);
      await qpdfCheck(file);
      expect(pdftotext(file, 1).replace(/\s+/g, ' ')).toContain(number);
    }
  });

  it('the server gone: the list from what was downloaded, a signature kept, delivered once when it is back', async () => {
    const d = await submit(server, 'Quyết định D', { clerks: [] });
    expect((await ok('inbox.list', { certificate: chairman })).items.map((i) => i.id)).toEqual([d.id]);
    const port = Number(new URL(server.url).port);
    await server.close();

    const offline = await ok('inbox.list', { certificate: chairman });
    expect(offline).toMatchObject({ offline: true, waitingDelivery: 0 });
    expect(offline.items.map((i) => i.id)).toEqual([d.id]);
    const kept = await ok('inbox.sign', {
      certificate: chairman,
      ids: [d.id],
      pin: pinOf(CHAIRMAN_TOKEN),
      allowFinalTry: false,
    });
    expect(kept.outcomes.map((o) => [o.status, o.code])).toEqual([['queued', 'INBOX_UNREACHABLE']]);
    expect(kept.outcomes[0]?.message).toMatch(/một cửa/);
    expect(kept.list).toMatchObject({ offline: true, waitingDelivery: 1 });

    server = await startServer(dataDir, port);
    // The restarted server forgot the session: the PIN opens a new one, and what waited goes.
    const back = await ok('inbox.open', {
      certificate: chairman,
      pin: pinOf(CHAIRMAN_TOKEN),
      allowFinalTry: false,
    });
    expect(back).toMatchObject({ offline: false, waitingDelivery: 0, items: [] });
    expect(await officerView(server, d.id)).toMatchObject({ state: 'done' });
    const again = await ok('inbox.list', { certificate: chairman });
    expect(again.waitingDelivery).toBe(0);
    const file = await finalDocument(d.id, 'd.pdf');
    await expectKysoVerifies(file);
    await expectPdfsigValid(file, 1);
  });
});
