// The services through the real engine process (child_process.fork of the compiled engine), with the
// SoftHSM test tokens: the chairman's signature placed in a box, re-verified by our verifier, pdfsig
// and qpdf; the clerk's seal after it ("Ký tiếp"); a wrong PIN that writes nothing; a cancel; and a
// crash of the engine process in the middle of a signature.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDocument, TokenModuleView } from '../../src/shared/contract/index.js';
import type { EngineSupervisor } from '../../src/main/engine/engine-supervisor.js';
import { writeBigPdf } from '../support/big-pdf.js';
import { makeAssets, removeTemp } from '../signing/appearance/appearance-support.js';
import { importSignatureImage } from '../../src/signing/appearance-api.js';
import { CHAIRMAN_TOKEN, CLERK_TOKEN, FAULTY_TOKEN, testToken } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, expectPrefix, qpdfCheck } from '../support/signed-output.js';
import {
  appTestEnv,
  certificateRef,
  engineCalls,
  makeDecision,
  startEngine,
  temporaryFiles,
  type AppTestEnv,
} from './app-support.js';

let t: AppTestEnv;
let engine: EngineSupervisor;
let engineStderr: () => string;
const restarts: string[] = [];
let modules: readonly TokenModuleView[];
const { call, value } = engineCalls(() => engine);

beforeAll(async () => {
  t = await appTestEnv();
  ({ engine, stderr: engineStderr } = startEngine(t.env, (reason) => restarts.push(reason)));
  modules = (await value('tokens.list', {})).modules;
});

afterAll(() => {
  engine?.dispose();
  // The 150 MiB scan and the signed copies go; KYSO_KEEP_FIXTURES keeps them to look at.
  if (t) removeTemp(t.dir);
});

function chairman() {
  return certificateRef(modules, CHAIRMAN_TOKEN, '01');
}

describe('engine process: documents, tokens, previews', () => {
  it('tokens.list shows the test tokens with PIN state and certificate warnings', () => {
    const tokens = modules.flatMap((m) => m.slots.flatMap((s) => (s.token ? [s.token] : [])));
    const chair = tokens.find((x) => x.label === CHAIRMAN_TOKEN);
    expect(chair?.pinState).toBe('ok');
    expect(chair?.certificates.find((c) => c.id === '01')).toMatchObject({
      subjectCN: 'Nguyễn Thị Hồng Nhung',
      warnings: [],
    });
    const faulty = tokens.find((x) => x.label === FAULTY_TOKEN);
    const warningsOf = (id: string) => faulty?.certificates.find((c) => c.id === id)?.warnings;
    expect(warningsOf('01')).toContain('expired');
    expect(warningsOf('02')).toContain('not-yet-valid');
    expect(warningsOf('03')).toContain('no-signing-usage');
  });

  it('document.open gives the page layout and a free default output name; document.read reads ranges', async () => {
    const input = makeDecision(path.join(t.dir, 'qd.pdf'));
    writeFileSync(path.join(t.dir, 'qd-da-ky.pdf'), 'taken');
    const doc = await value('document.open', { path: input });
    expect(doc).toMatchObject({ name: 'qd.pdf', pageCount: 1, signatureCount: 0 });
    expect(doc.pages[0]).toMatchObject({ rotation: 0 });
    expect(doc.pages[0]?.width).toBeCloseTo(595.28, 1);
    expect(doc.suggestedOutput).toBe(path.join(t.dir, 'qd-da-ky-2.pdf'));
    const bytes = readFileSync(input);
    const part = await value('document.read', { documentId: doc.documentId, offset: 100, length: 50 });
    expect(part.size).toBe(bytes.length);
    expect(Buffer.from(part.bytes).equals(bytes.subarray(100, 150))).toBe(true);
    const tail = await value('document.read', {
      documentId: doc.documentId,
      offset: bytes.length - 10,
      length: 1000,
    });
    expect(tail.bytes.length).toBe(10);
    await value('document.close', { documentId: doc.documentId });
    const closed = await call('document.read', { documentId: doc.documentId, offset: 0, length: 1 });
    expect(closed.ok ? null : closed.error.code).toBe('DOCUMENT_NOT_OPEN');
  });

  it('document.suggestPlacement proposes the box under "CHỦ TỊCH" of the signature block', async () => {
    const doc = await value('document.open', { path: makeDecision(path.join(t.dir, 'anchor.pdf')) });
    const placement = await value('document.suggestPlacement', {
      documentId: doc.documentId,
      template: 'personal',
    });
    expect(placement?.page).toBe(1);
    // make-decision.mjs sets the signature block's "CHỦ TỊCH" at y = 370 (from the bottom), centred at x = 440.
    const rect = placement?.rect;
    expect(rect).toBeDefined();
    expect((rect?.x ?? 0) + (rect?.width ?? 0) / 2).toBeCloseTo(440, -1);
    expect(rect?.y).toBeGreaterThan(841.89 - 370);
    expect(rect?.y).toBeLessThan(841.89 - 370 + 40);
  });

  it('appearance.preview is a one-page PDF exactly the size of the box, drawn by the engine', async () => {
    const preview = await value('appearance.preview', {
      template: 'personal',
      width: 180,
      height: 72,
      certificate: chairman(),
    });
    const file = path.join(t.dir, 'preview.pdf');
    writeFileSync(file, preview.pdf);
    await qpdfCheck(file);
    const text = Buffer.from(preview.pdf).toString('latin1');
    expect(text).toMatch(/\/MediaBox \[0 0 180 72\]/);
    expect(text).toContain('/Subtype /Form');
  });
});

describe('engine process: signing', () => {
  it('signs in the placed box; the output verifies (Kyso, pdfsig, qpdf); the seal follows on the signed file', async () => {
    const input = makeDecision(path.join(t.dir, 'sign-me.pdf'));
    const doc = await value('document.open', { path: input });
    const rect = { x: 330, y: 480, width: 190, height: 80 };
    const stages: string[] = [];
    const signed = await call(
      'sign.run',
      {
        documentId: doc.documentId,
        output: doc.suggestedOutput,
        overwrite: false,
        template: 'personal',
        page: 1,
        rect,
        certificate: chairman(),
        pin: testToken(CHAIRMAN_TOKEN).pin,
        allowFinalTry: false,
      },
      (p) => stages.push((p as { stage: string }).stage),
    );
    if (!signed.ok) throw new Error(signed.error.message);
    expect(signed.value.output).toBe(path.join(t.dir, 'sign-me-da-ky.pdf'));
    expect(signed.value.verification.status).toBe('valid');
    expect(stages).toEqual(
      expect.arrayContaining(['preparing', 'hashing', 'signing', 'writing', 'verifying', 'done']),
    );
    expectPrefix(input, signed.value.output);
    await expectKysoVerifies(signed.value.output);
    await qpdfCheck(signed.value.output);
    await expectPdfsigValid(signed.value.output, 1);
    // The widget is where the box was placed (display coordinates, top-left origin).
    const report = await value('verify.run', { path: signed.value.output });
    const widget = report.signatures[0]?.widget;
    expect(widget?.page).toBe(1);
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(widget?.rect[k]).toBeCloseTo(rect[k], 1);

    // "Ký tiếp": the clerk's agency seal on the signed file, from the seal image stored for the
    // agency's certificate, centred at its real size on the box.
    const next = await value('document.open', { path: signed.value.output });
    const clerk = certificateRef(modules, CLERK_TOKEN, '01');
    const agencyCert = modules
      .flatMap((m) => m.slots)
      .find((s) => s.token?.label === CLERK_TOKEN)
      ?.token?.certificates.find((c) => c.id === '01');
    const assets = makeAssets();
    try {
      await importSignatureImage({
        certificateSha256: agencyCert?.sha256 ?? '',
        kind: 'seal',
        source: assets.image('seal.png'),
        home: t.home,
      });
    } finally {
      removeTemp(assets.dir);
    }
    const sealed = await call('sign.run', {
      documentId: next.documentId,
      output: next.suggestedOutput,
      overwrite: false,
      template: 'seal',
      page: 1,
      rect: { x: 300, y: 470, width: 120, height: 120 },
      certificate: clerk,
      pin: testToken(CLERK_TOKEN).pin,
      allowFinalTry: false,
    });
    if (!sealed.ok) throw new Error(sealed.error.message);
    expect(sealed.value.verification.signatures.map((s) => s.status)).toEqual(['valid', 'valid']);
    await expectKysoVerifies(sealed.value.output);
    await expectPdfsigValid(sealed.value.output, 2);

    // The verification screen: the HTML report, and the document as the first signature signed it.
    const html = path.join(t.dir, 'report.html');
    expect(await value('verify.saveReport', { path: sealed.value.output, output: html })).toEqual({
      output: html,
    });
    expect(readFileSync(html, 'utf8')).toContain('Nguyễn Thị Hồng Nhung');
    const same = await call('verify.saveReport', { path: sealed.value.output, output: sealed.value.output });
    expect(same.ok ? null : same.error.code).toBe('OUTPUT_SAME_AS_INPUT');
    const twice = await value('verify.run', { path: sealed.value.output });
    const first = twice.signatures[0];
    const revision = await value('verify.extractRevision', {
      path: sealed.value.output,
      revision: first?.coverage.revision ?? 0,
    });
    expect(revision.path.startsWith(path.join(t.home, 'app', 'revisions'))).toBe(true);
    expect(readFileSync(revision.path).equals(readFileSync(signed.value.output))).toBe(true);
  });

  it('on a page turned by /Rotate 90 the widget lands where the box was placed on the displayed page', async () => {
    const assets = makeAssets();
    try {
      const doc = await value('document.open', { path: assets.pdf('rotated-90.pdf') });
      // Displayed landscape: 842 wide, 595 high.
      expect(doc.pages[0]).toMatchObject({ width: 842, height: 595, rotation: 90 });
      const rect = { x: 600, y: 400, width: 180, height: 70 };
      const output = path.join(t.dir, 'rotated-signed.pdf');
      const r = await call('sign.run', {
        documentId: doc.documentId,
        output,
        overwrite: false,
        template: 'personal',
        page: 1,
        rect,
        certificate: chairman(),
        pin: testToken(CHAIRMAN_TOKEN).pin,
        allowFinalTry: false,
      });
      if (!r.ok) throw new Error(r.error.message);
      await expectPdfsigValid(output, 1);
      // /Rotate 90 with the CropBox at the origin: a displayed point (dx, dy) is (dy, dx) in user space.
      const rects = [...readFileSync(output, 'latin1').matchAll(/\/Rect \[([-\d. ]+)\]/g)].map((m) =>
        (m[1] ?? '').trim().split(/\s+/).map(Number),
      );
      const widget = rects.at(-1) ?? [];
      const expected = [rect.y, rect.x, rect.y + rect.height, rect.x + rect.width];
      expected.forEach((v, i) => expect(Math.abs((widget[i] ?? NaN) - v)).toBeLessThan(2));
    } finally {
      removeTemp(assets.dir);
    }
  });

  it('a wrong PIN: PKCS11_PIN_INCORRECT in Vietnamese with the tries-left state, nothing written, no PIN echoed', async () => {
    const wrongPin = '918273-wrong';
    const doc = await value('document.open', { path: makeDecision(path.join(t.dir, 'wrong-pin.pdf')) });
    const r = await call('sign.run', {
      documentId: doc.documentId,
      output: doc.suggestedOutput,
      overwrite: false,
      template: 'personal',
      page: 1,
      rect: { x: 330, y: 480, width: 190, height: 80 },
      certificate: chairman(),
      pin: wrongPin,
      allowFinalTry: false,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('PKCS11_PIN_INCORRECT');
    expect(r.error.message).toMatch(/^Mã PIN không đúng/);
    expect(['ok', 'count-low', 'final-try']).toContain(r.error.details?.['pinState']);
    expect(JSON.stringify(r)).not.toContain(wrongPin);
    expect(engineStderr()).not.toContain(wrongPin);
    expect(existsSync(doc.suggestedOutput)).toBe(false);
    expect(temporaryFiles(t.dir)).toEqual([]);
  });
});

describe('engine process: cancel and crash', () => {
  let big: string;
  beforeAll(() => {
    big = path.join(t.dir, 'big-scan.pdf');
    writeBigPdf(big, 150 * 1024 * 1024);
  });

  function bigSign(doc: OpenedDocument, output: string) {
    return {
      documentId: doc.documentId,
      output,
      overwrite: false,
      template: 'invisible',
      page: 1,
      rect: null,
      certificate: chairman(),
      pin: testToken(CHAIRMAN_TOKEN).pin,
      allowFinalTry: false,
    };
  }

  it('cancel during hashing: CANCELLED, no output, no temporary file', async () => {
    const doc = await value('document.open', { path: big });
    const output = path.join(t.dir, 'cancelled.pdf');
    const r = await call('sign.run', bigSign(doc, output), (p, callId) => {
      if ((p as { stage: string }).stage === 'hashing') engine.cancel(callId);
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('CANCELLED');
    expect(existsSync(output)).toBe(false);
    expect(temporaryFiles(t.dir)).toEqual([]);
  });

  it('the engine process killed mid-signature: ENGINE_CRASHED, restarted, nothing half-written, the next call works', async () => {
    const doc = await value('document.open', { path: big });
    const output = path.join(t.dir, 'crashed.pdf');
    const pid = engine.pid;
    let tempAtKill: string[] = [];
    const r = await call('sign.run', bigSign(doc, output), (p) => {
      if ((p as { stage: string }).stage === 'hashing' && pid !== undefined) {
        tempAtKill = temporaryFiles(t.dir);
        process.kill(pid, 'SIGKILL');
      }
    });
    // The kill landed while the output was being written.
    expect(tempAtKill).toHaveLength(1);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('ENGINE_CRASHED');
    expect(r.error.message).toContain('khởi động lại');
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toContain('SIGKILL');
    expect(engine.pid).not.toBe(pid);
    expect(existsSync(output)).toBe(false);
    expect(temporaryFiles(t.dir)).toEqual([]);
    // The new process knows the open document (same id) and signs it.
    const again = await call('sign.run', { ...bigSign(doc, output), template: 'invisible' });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.verification.status).toBe('valid');
    expect(temporaryFiles(t.dir)).toEqual([]);
  });
});
