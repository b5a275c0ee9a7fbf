// document.read through the host core (the carrier both the Electron shell and the web host use),
// with the real engine process: ranges of a document the engine opened are read by the host from a
// handle it keeps open, byte for byte the file's; after document.close, or for an id the engine never
// answered, the read goes to the engine, which refuses it; and reads go on while the engine process
// is gone (a page can be drawn while the engine is busy or restarting).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, OpenedDocument, Result, ResultOf } from '../../src/shared/contract/index.js';
import { AppCore } from '../../src/main/app-core.js';
import type { EngineSupervisor } from '../../src/main/engine/engine-supervisor.js';
import { removeTemp } from '../signing/appearance/appearance-support.js';
import { appTestEnv, makeDecision, startEngine, type AppTestEnv } from './app-support.js';

let t: AppTestEnv;
let engine: EngineSupervisor;
let core: AppCore;
let calls = 0;
let file: string;
let bytes: Buffer;

async function call<C extends Channel>(channel: C, request: unknown): Promise<Result<ResultOf<C>>> {
  return (await core.invoke(`r${++calls}`, channel, request)) as Result<ResultOf<C>>;
}

async function value<C extends Channel>(channel: C, request: unknown): Promise<ResultOf<C>> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  t = await appTestEnv();
  ({ engine } = startEngine(t.env));
  core = new AppCore({
    engine,
    language: 'vi',
    webHost: true,
    dialogs: {
      openPdf: async () => null,
      openFolder: async () => null,
      openImage: async () => null,
      openCertificate: async () => null,
      openLibrary: async () => null,
      saveAs: async () => null,
      showInFolder: async () => undefined,
    },
  });
  file = makeDecision(path.join(t.dir, 'quyet-dinh.pdf'));
  bytes = readFileSync(file);
}, 60_000);

afterAll(() => {
  engine?.dispose();
  removeTemp(t?.dir);
});

describe('document.read in the host', () => {
  let doc: OpenedDocument;

  it('reads ranges of an open document, byte for byte, shorter at the end of the file', async () => {
    doc = await value('document.open', { path: file });
    expect(doc.size).toBe(bytes.length);
    const head = await value('document.read', { documentId: doc.documentId, offset: 0, length: 1024 });
    expect(head.size).toBe(bytes.length);
    expect(Buffer.from(head.bytes).equals(bytes.subarray(0, 1024))).toBe(true);
    // Many reads at once, as pdf.js asks: each gets its own range.
    const ranges = [100, 700, 1500, 3000].map((offset) => ({ offset, length: 333 }));
    const parts = await Promise.all(
      ranges.map((r) => value('document.read', { documentId: doc.documentId, ...r })),
    );
    parts.forEach((p, i) =>
      expect(Buffer.from(p.bytes).equals(bytes.subarray(ranges[i]!.offset, ranges[i]!.offset + 333))).toBe(
        true,
      ),
    );
    const tail = await value('document.read', {
      documentId: doc.documentId,
      offset: bytes.length - 10,
      length: 1000,
    });
    expect(Buffer.from(tail.bytes).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const past = await value('document.read', {
      documentId: doc.documentId,
      offset: bytes.length,
      length: 5,
    });
    expect(past.bytes.length).toBe(0);
  });

  it('document.readMany answers several ranges in one call, in the order asked', async () => {
    const ranges = [
      { offset: 3000, length: 100 },
      { offset: 0, length: 16 },
      { offset: bytes.length - 4, length: 64 },
    ];
    const many = await value('document.readMany', { documentId: doc.documentId, ranges });
    expect(many.size).toBe(bytes.length);
    expect(many.parts.map((p) => Buffer.from(p).toString('latin1'))).toEqual(
      ranges.map((r) => bytes.subarray(r.offset, r.offset + r.length).toString('latin1')),
    );
    const tooMuch = await call('document.readMany', {
      documentId: doc.documentId,
      ranges: [
        { offset: 0, length: 16 * 1024 * 1024 },
        { offset: 0, length: 1 },
      ],
    });
    expect(tooMuch.ok ? null : tooMuch.error.code).toBe('CONTRACT_INVALID_REQUEST');
  });

  it('refuses a read outside the contract and of a document that is not open', async () => {
    const bad = await call('document.read', { documentId: doc.documentId, offset: -1, length: 5 });
    expect(bad.ok ? null : bad.error.code).toBe('CONTRACT_INVALID_REQUEST');
    const unknown = await call('document.read', { documentId: 'no-such-document', offset: 0, length: 5 });
    expect(unknown.ok ? null : unknown.error.code).toBe('DOCUMENT_NOT_OPEN');
    const other = await value('document.open', { path: file });
    await value('document.close', { documentId: other.documentId });
    const closed = await call('document.read', { documentId: other.documentId, offset: 0, length: 5 });
    expect(closed.ok ? null : closed.error.code).toBe('DOCUMENT_NOT_OPEN');
    const closedMany = await call('document.readMany', {
      documentId: other.documentId,
      ranges: [{ offset: 0, length: 5 }],
    });
    expect(closedMany.ok ? null : closedMany.error.code).toBe('DOCUMENT_NOT_OPEN');
  });

  it('goes on reading while the engine process is gone', async () => {
    engine.dispose();
    // The engine answers nothing any more...
    const layout = await call('document.suggestPlacement', {
      documentId: doc.documentId,
      template: 'personal',
    });
    expect(layout.ok ? null : layout.error.code).toBe('CANCELLED');
    // ...but the page's bytes still come.
    const part = await value('document.read', { documentId: doc.documentId, offset: 50, length: 100 });
    expect(Buffer.from(part.bytes).equals(bytes.subarray(50, 150))).toBe(true);
  });
});
