// The inbox engine (src/signing/inbox) against the real reference server on 127.0.0.1, signing with
// the test PKI's .p12 identities: the chain through the client (approve, then issue with the
// reserved number written in the signature), a static credential, and the faults — withdrawn while
// signing, the document replaced while signing, not the assignee, the server gone during delivery
// (kept, then delivered once after a restart on the same data) and the offline list from the cache.
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnestopServer } from '../../../src/onestop/onestop-server.js';
import { keySignerSource, type SignerSource } from '../../../src/signing/batch-api.js';
import type { Signer } from '../../../src/signing/cms/index.js';
import { openP12 } from '../../../src/signing/identity/index.js';
import {
  InboxCache,
  InboxClient,
  InboxOutbox,
  declineInbox,
  flushInboxOutbox,
  inboxDir,
  listInbox,
  signInbox,
  type InboxSignEvent,
} from '../../../src/signing/inbox-api.js';
import { Secret } from '../../../src/shared/secret.js';
import { KysoError } from '../../../src/shared/errors.js';
import { identity, pkiFile } from '../../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../../support/signed-output.js';
import { pdftotext } from '../appearance/appearance-support.js';
import { testTrust } from '../../upload/upload-documents.js';
import {
  OFFICER,
  der,
  officerView,
  replaceDocument,
  startServer,
  submit,
  withdraw,
} from './inbox-support.js';

let root: string;
let dataDir: string;
let server: OnestopServer;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-inbox-engine-'));
  dataDir = path.join(root, 'data');
  server = await startServer(dataDir);
});
afterAll(async () => server?.close());

const p12 = (id: string): Promise<Signer> => openP12(pkiFile(identity(id).p12), identity(id).p12Password);

interface Desk {
  client: InboxClient;
  cache: InboxCache;
  outbox: InboxOutbox;
  signer: Signer;
  /** Sign calls that were not the session's challenge (the documents' signatures). */
  hooks: { beforeSign?: (() => Promise<void>) | undefined };
}

/** One certificate holder's desk: its client, cache and outbox under a home of its own. */
async function desk(id: string, home: string): Promise<Desk> {
  const signer = await p12(id);
  const hooks: Desk['hooks'] = {};
  const wrapped: Signer = {
    certificate: signer.certificate,
    chain: signer.chain,
    keyAlgorithm: signer.keyAlgorithm,
    schemes: signer.schemes,
    sign: async (data, params, options) => {
      if (!options?.dryRun && hooks.beforeSign) {
        const hook = hooks.beforeSign;
        hooks.beforeSign = undefined;
        await hook();
      }
      return await signer.sign(data, params, options);
    },
  };
  const client = new InboxClient({
    server: server.url,
    certificate: signer.certificate,
    credentials: { kind: 'key', signer: () => Promise.resolve(signer) },
  });
  const dir = inboxDir(client.server, client.assignee, home);
  return { client, cache: new InboxCache(dir), outbox: new InboxOutbox(dir), signer: wrapped, hooks };
}

const source = (d: Desk): SignerSource => keySignerSource(d.signer);

async function run(d: Desk, ids: string[], events: InboxSignEvent[] = []) {
  return await signInbox({
    client: d.client,
    cache: d.cache,
    outbox: d.outbox,
    ids,
    signer: source(d),
    trust: testTrust(),
    options: { reason: 'Kyso inbox test' },
    onEvent: (e) => events.push(e),
  });
}

describe('the inbox engine on the reference server', () => {
  it('approves, then issues with the reserved number and date in the signature; the result reaches its dossier', async () => {
    const home = path.join(root, 'home-chain');
    const request = await submit(server, 'Quyet dinh inbox engine');
    const chairman = await desk('chairman-rsa2048', home);
    const listed = await listInbox({ client: chairman.client, cache: chairman.cache });
    expect(listed.offline).toBe(false);
    expect(listed.items.map((i) => i.id)).toContain(request.id);

    const events: InboxSignEvent[] = [];
    const approved = await run(chairman, [request.id], events);
    expect(approved.items).toMatchObject([{ id: request.id, status: 'delivered', stepKind: 'approve' }]);
    const stages = events.filter((e) => e.kind === 'item').map((e) => (e as { stage: string }).stage);
    expect(stages).toEqual(['checking', 'downloading', 'signing', 'signed']);
    expect(events.some((e) => e.kind === 'batch')).toBe(true);
    expect((await officerView(server, request.id)).step?.kind).toBe('issue');

    const clerk = await desk('clerk-p384', home);
    const clerkList = await listInbox({ client: clerk.client, cache: clerk.cache });
    expect(clerkList.items.map((i) => i.id)).toContain(request.id);
    const issued = await run(clerk, [request.id]);
    const outcome = issued.items[0];
    expect(outcome).toMatchObject({ status: 'delivered', stepKind: 'issue', serverState: 'done' });
    expect(outcome?.documentNumber).toMatch(/^\d{4}\/QĐ-UBND$/);
    expect(outcome?.issuedDate).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);

    const receipt = server.store.byKey(`signing-request-${request.id}`);
    const metadata = receipt?.metadata as Record<string, unknown>;
    expect(metadata['documentNumber']).toBe(outcome?.documentNumber);
    expect(metadata['issuedDate']).toBe(outcome?.issuedDate);
    const file = path.join(root, 'engine-result.pdf');
    copyFileSync(server.store.filePath(receipt?.id as string), file);
    await expectKysoVerifies(file);
    await expectPdfsigValid(file, 2);
    await qpdfCheck(file);
    const text = pdftotext(file, 1);
    expect(text).toContain(`Số: ${outcome?.documentNumber}`);
    expect(text).toContain(`Ngày ban hành: ${outcome?.issuedDate}`);

    // Asked again: the step was delivered earlier; nothing is signed or sent twice.
    const again = await run(clerk, [request.id]);
    expect(again.items).toMatchObject([{ status: 'delivered', earlier: true }]);
  }, 180_000);

  it('a static credential acts for the certificate: list and decline', async () => {
    const request = await submit(server, 'Quyet dinh static');
    const client = new InboxClient({
      server: server.url,
      certificate: der('chairman-rsa2048'),
      credentials: { kind: 'static', credential: () => Promise.resolve(new Secret(OFFICER)) },
    });
    const cache = new InboxCache(inboxDir(client.server, client.assignee, path.join(root, 'home-static')));
    const listed = await listInbox({ client, cache });
    expect(listed.items.map((i) => i.id)).toContain(request.id);
    const declined = await declineInbox({ client, cache, id: request.id, reason: 'Sai thẩm quyền' });
    expect(declined).toMatchObject({ state: 'declined', declineReason: 'Sai thẩm quyền' });
    expect(cache.readList('pending')?.items.map((i) => i.id)).not.toContain(request.id);
  });

  it('withdrawn while signing: INBOX_WITHDRAWN, nothing delivered', async () => {
    const request = await submit(server, 'Quyet dinh thu hoi');
    const chairman = await desk('chairman-rsa2048', path.join(root, 'home-withdrawn'));
    chairman.hooks.beforeSign = () => withdraw(server, request.id);
    const result = await run(chairman, [request.id]);
    expect(result.items).toMatchObject([{ id: request.id, status: 'failed', code: 'INBOX_WITHDRAWN' }]);
    const view = await officerView(server, request.id);
    expect(view.state).toBe('withdrawn');
    expect(view.step).toBeNull();
    expect(server.store.byKey(`signing-request-${request.id}`)).toBeUndefined();
    expect(chairman.outbox.list()).toMatchObject([{ state: 'failed', error: { code: 'INBOX_WITHDRAWN' } }]);
  }, 120_000);

  it('the document changed on the server while signing: INBOX_DOCUMENT_CHANGED; signed again after', async () => {
    const request = await submit(server, 'Quyet dinh thay doi');
    const chairman = await desk('chairman-rsa2048', path.join(root, 'home-changed'));
    chairman.hooks.beforeSign = () => replaceDocument(server, request.id, 'Quyet dinh thay doi v2');
    const result = await run(chairman, [request.id]);
    expect(result.items).toMatchObject([{ status: 'failed', code: 'INBOX_DOCUMENT_CHANGED' }]);
    expect((await officerView(server, request.id)).step?.kind).toBe('approve');
    // Signed again: the new version is downloaded and this time accepted.
    const second = await run(chairman, [request.id]);
    expect(second.items).toMatchObject([{ status: 'delivered' }]);
    expect((await officerView(server, request.id)).step?.kind).toBe('issue');
  }, 120_000);

  it('not the assignee: refused before signing, and by the server', async () => {
    const request = await submit(server, 'Quyet dinh nguoi khac', { clerks: ['agency-rsa3072'] });
    const clerk = await desk('clerk-p384', path.join(root, 'home-not-assignee'));
    const result = await run(clerk, [request.id]);
    expect(result.items).toMatchObject([{ status: 'failed', code: 'INBOX_NOT_ASSIGNEE' }]);
    const declined = await declineInbox({
      client: clerk.client,
      cache: clerk.cache,
      id: request.id,
      reason: 'không phải của tôi',
    }).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(KysoError);
    expect((declined as KysoError).code).toBe('INBOX_NOT_ASSIGNEE');
    expect((await officerView(server, request.id)).state).toBe('pending');
    expect(clerk.outbox.list()).toEqual([]);
  }, 120_000);

  it('the server gone during delivery: kept in the outbox, listed offline, delivered once after a restart', async () => {
    const request = await submit(server, 'Quyet dinh mat mang');
    const chairman = await desk('chairman-rsa2048', path.join(root, 'home-offline'));
    await listInbox({ client: chairman.client, cache: chairman.cache, download: true });
    const port = Number(new URL(server.url).port);
    chairman.hooks.beforeSign = () => server.close();
    const result = await run(chairman, [request.id]);
    expect(result.items).toMatchObject([{ status: 'queued', code: 'INBOX_UNREACHABLE' }]);
    const kept = chairman.outbox.list();
    expect(kept).toHaveLength(1);
    expect(readdirSync(chairman.outbox.dir)).toContain(`${kept[0]?.key}.pdf`);

    // Offline: the list comes from the cache.
    const offline = await listInbox({ client: chairman.client, cache: chairman.cache });
    expect(offline.offline).toBe(true);
    expect(offline.items.map((i) => i.id)).toContain(request.id);
    const flushDown = await flushInboxOutbox(chairman.client, chairman.outbox, { force: true });
    expect(flushDown.kept).toHaveLength(1);

    server = await startServer(dataDir, port);
    const flushed = await flushInboxOutbox(chairman.client, chairman.outbox, { force: true });
    expect(flushed.delivered.map((e) => e.id)).toEqual([request.id]);
    const view = await officerView(server, request.id);
    expect(view.step?.kind).toBe('issue');
    const version = server.signing.store.get(request.id)?.version;
    expect(version).toBe(2);

    // Nothing left to send; and the same delivery sent again (a lost answer) is recognised.
    expect((await flushInboxOutbox(chairman.client, chairman.outbox, { force: true })).delivered).toEqual([]);
    await chairman.outbox.update(kept[0]?.key as string, { state: 'queued' });
    const repeat = await flushInboxOutbox(chairman.client, chairman.outbox, { force: true });
    expect(repeat.delivered).toHaveLength(1);
    expect(server.signing.store.get(request.id)?.version).toBe(2);
    const again = await run(chairman, [request.id]);
    expect(again.items).toMatchObject([{ status: 'delivered', earlier: true }]);
    expect(server.signing.store.get(request.id)?.version).toBe(2);
  }, 180_000);

  it('a document whose bytes do not match X-Document-SHA256 is refused (INBOX_HASH_MISMATCH) and not kept', async () => {
    // A server that announces one SHA-256 and sends other bytes (a proxy that altered the file).
    const liar = http.createServer((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/pdf',
        'X-Document-SHA256': 'a'.repeat(64),
        'X-Document-Version': '1',
      });
      res.end(Buffer.from('%PDF-1.7 not what was announced'));
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      const client = new InboxClient({
        server: `http://127.0.0.1:${(liar.address() as AddressInfo).port}`,
        certificate: der('chairman-rsa2048'),
        credentials: { kind: 'static', credential: () => Promise.resolve(new Secret(OFFICER)) },
      });
      const err = await client.document('sr-x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KysoError);
      expect(err).toMatchObject({ code: 'INBOX_HASH_MISMATCH', details: { id: 'sr-x' } });
    } finally {
      liar.closeAllConnections();
      await new Promise((resolve) => liar.close(resolve));
    }
  });
});
