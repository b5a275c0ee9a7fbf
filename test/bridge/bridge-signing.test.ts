// The bridge end to end, with the web system played by real parts (test/bridge/web-system.ts): a
// WebSocket client sends the plugin protocol's requests, an HTTP server on 127.0.0.1 serves the
// documents and takes the signed ones. Signatures come from the test PKI's .p12 identities; every
// delivered file is checked by Kyso's verifier, pdfsig and qpdf. Each refusal signs and sends nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  heldSignerIdentity,
  startBridge,
  type BridgeEvent,
  type ConfirmationRequest,
  type RunningBridge,
} from '../../src/signing/bridge-api.js';
import { openP12 } from '../../src/signing/identities-api.js';
import { TrustStore } from '../../src/signing/verify-api.js';
import { pkiFile } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, expectPrefix, qpdfCheck } from '../support/signed-output.js';
import WebSocket from 'ws';
import { ask, replyOf, startWebSystem, type WebSystem } from './web-system.js';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
let web: WebSystem;
let decision: string;
let decisionUrl: string;
const trust = (): Promise<TrustStore> =>
  Promise.resolve(
    TrustStore.fromCertificates(
      [readFileSync(pkiFile('root-ca.der')), readFileSync(pkiFile('intermediate-ca.der'))],
      'test-pki',
    ),
  );

interface Harness {
  bridge: RunningBridge;
  home: string;
  asked: ConfirmationRequest[];
  events: BridgeEvent[];
  answer: (r: ConfirmationRequest) => Promise<boolean>;
  url(endpoint: string): string;
}

async function harness(
  p12: string,
  extra: {
    maxFileBytes?: number;
    issuedTemplate?: 'text' | 'seal';
    sealImage?: string;
    confirmTimeoutMs?: number;
  } = {},
): Promise<Harness> {
  const home = mkdtempSync(path.join(dir, 'home-'));
  const signer = await openP12(pkiFile(`${p12}.p12`), 'kyso-p12');
  const h: Harness = {
    home,
    asked: [],
    events: [],
    answer: () => Promise.resolve(true),
    url: (endpoint) => `ws://127.0.0.1:${h.bridge.port}/${endpoint}`,
    bridge: undefined as unknown as RunningBridge,
  };
  h.bridge = await startBridge({
    mode: 'plain',
    port: 0,
    home,
    allowedOrigins: [web.origin],
    identity: heldSignerIdentity(signer),
    confirm: (request) => {
      h.asked.push(request);
      return h.answer(request);
    },
    lang: 'en',
    trustStore: trust,
    maxFileBytes: extra.maxFileBytes ?? 1024 * 1024,
    ...(extra.confirmTimeoutMs !== undefined ? { confirmTimeoutMs: extra.confirmTimeoutMs } : {}),
    rate: { burst: 100, perMinute: 100 },
    profile: {
      organization: 'UBND phường Đoàn Kết',
      ...(extra.issuedTemplate ? { issuedTemplate: extra.issuedTemplate } : {}),
      ...(extra.sealImage ? { sealImage: extra.sealImage } : {}),
    },
    onEvent: (e) => h.events.push(e),
  });
  return h;
}

let chairman: Harness;
let clerk: Harness;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-bridge-'));
  decision = path.join(dir, 'decision.pdf');
  execFileSync(process.execPath, [path.join(root, 'fixtures/documents/make-decision.mjs'), decision]);
  web = await startWebSystem();
  decisionUrl = web.serve('quyet-dinh-123.pdf', readFileSync(decision));
  chairman = await harness('chairman-rsa2048');
  clerk = await harness('agency-rsa3072');
}, 120_000);

afterAll(async () => {
  await chairman?.bridge.close();
  await clerk?.bridge.close();
  await web?.close();
  if (!process.env['KYSO_KEEP_FIXTURES']) rmSync(dir, { recursive: true, force: true });
});

let approvedOnce: Promise<Buffer> | undefined;
/** The decision signed by the chairman through the bridge (once), as the web system stored it. */
function approvedDecision(): Promise<Buffer> {
  approvedOnce ??= (async () => {
    const answer = replyOf(
      await ask(chairman.url('SignApproved'), request(decisionUrl), { origin: web.origin }),
    );
    expect(answer['Status']).toBe(0);
    return web.uploads.find((u) => u.fileName === 'quyet-dinh-123_signed.pdf')!.bytes;
  })();
  return approvedOnce;
}

function request(fileUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    FileUploadHandler: `${web.origin}/upload`,
    SessionId: 'session-42',
    JWTToken: 'jwt-secret-value',
    FileName: fileUrl,
    DocNumber: '',
    IssuedDate: '',
    MetaData: [{ Key: 'DossierCode', Value: '000.00.01.H22-221126-0001' }],
    ...extra,
  };
}

function saved(bytes: Buffer, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

function undelivered(home: string): string[] {
  const folder = path.join(home, 'bridge', 'undelivered');
  return existsSync(folder) ? readdirSync(folder) : [];
}

describe('SignApproved, confirmed', () => {
  it('delivers a signed file that verifies, and replies Status 0 with the server file name', async () => {
    const before = web.uploads.length;
    const answer = replyOf(
      await ask(chairman.url('SignApproved'), request(decisionUrl), { origin: web.origin }),
    );
    expect(answer).toMatchObject({
      Status: 0,
      FileName: `stored-${before + 1}.pdf`,
      FileServer: 'https://files.example.gov.vn',
    });
    // What the user was shown before anything was signed.
    const shown = chairman.asked.at(-1)!;
    expect(shown).toMatchObject({
      endpoint: 'SignApproved',
      origin: web.origin,
      fileName: 'quyet-dinh-123.pdf',
      pages: 1,
      template: 'personal',
      uploadTo: web.origin,
    });
    expect(shown.certificate.subject).toBe('Nguyễn Thị Hồng Nhung');
    // What the web system received.
    expect(web.uploads.length).toBe(before + 1);
    const upload = web.uploads.at(-1)!;
    expect(upload.authorization).toBe('Bearer jwt-secret-value');
    expect(upload.fileField).toBe('file');
    expect(upload.fileName).toBe('quyet-dinh-123_signed.pdf');
    expect(upload.fields['SessionId']).toBe('session-42');
    const signed = saved(upload.bytes, 'approved.pdf');
    expectPrefix(decision, signed);
    await expectKysoVerifies(signed);
    await expectPdfsigValid(signed, 1);
    await qpdfCheck(signed);
    // Nothing is left behind in the data folder.
    expect(readdirSync(path.join(chairman.home, 'bridge', 'work'))).toEqual([]);
  });
});

describe('SignIssued', () => {
  it('writes the number and the issue date into the document (pdftotext reads them), keeps the first signature valid', async () => {
    const url = web.serve('approved.pdf', await approvedDecision());
    const answer = replyOf(
      await ask(
        clerk.url('SignIssued'),
        request(url, { DocNumber: '123/QĐ-UBND', IssuedDate: '2026-12-03' }),
        {
          origin: web.origin,
        },
      ),
    );
    expect(answer).toMatchObject({ Status: 0, DocumentNumber: '123/QĐ-UBND', DocumentDate: '03/12/2026' });
    expect(clerk.asked.at(-1)).toMatchObject({
      template: 'text',
      docNumber: '123/QĐ-UBND',
      issuedDate: '03/12/2026',
    });
    const upload = web.uploads.at(-1)!;
    expect(upload.fields['DocNumber']).toBe('123/QĐ-UBND');
    const issued = saved(upload.bytes, 'issued.pdf');
    const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', '1', '-l', '1', issued, '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('Số: 123/QĐ-UBND');
    expect(text).toContain('Ngày ban hành: 03/12/2026');
    await expectKysoVerifies(issued);
    await expectPdfsigValid(issued, 2);
    await qpdfCheck(issued);
  });

  it('without DocNumber is refused before anything is downloaded', async () => {
    const downloads = web.downloads.get('/files/quyet-dinh-123.pdf') ?? 0;
    const asked = clerk.asked.length;
    const answer = replyOf(await ask(clerk.url('SignIssued'), request(decisionUrl), { origin: web.origin }));
    expect(answer['Status']).toBe(1);
    expect(web.downloads.get('/files/quyet-dinh-123.pdf') ?? 0).toBe(downloads);
    expect(clerk.asked.length).toBe(asked);
  });
});

describe('SignIssued with the agency seal', () => {
  it('seals a validly signed decision; refuses an unsigned one (Decree 30 art. 32) before asking', async () => {
    const assets = path.join(dir, 'assets');
    execFileSync(process.execPath, [path.join(root, 'fixtures/appearance/make-assets.mjs'), assets]);
    const sealer = await harness('agency-rsa3072', {
      issuedTemplate: 'seal',
      sealImage: path.join(assets, 'images', 'seal.png'),
    });
    try {
      const url = web.serve('approved-for-seal.pdf', await approvedDecision());
      const answer = replyOf(
        await ask(
          sealer.url('SignIssued'),
          request(url, { DocNumber: '124/QĐ-UBND', IssuedDate: '03/12/2026' }),
          {
            origin: web.origin,
          },
        ),
      );
      expect(answer).toMatchObject({ Status: 0, DocumentNumber: '124/QĐ-UBND' });
      expect(sealer.asked).toHaveLength(1);
      expect(sealer.asked[0]).toMatchObject({ template: 'seal' });
      const sealed = saved(web.uploads.at(-1)!.bytes, 'sealed.pdf');
      await expectKysoVerifies(sealed);
      await expectPdfsigValid(sealed, 2);

      const unsigned = replyOf(
        await ask(sealer.url('SignIssued'), request(decisionUrl, { DocNumber: '125/QĐ-UBND' }), {
          origin: web.origin,
        }),
      );
      expect(unsigned['Status']).toBe(7);
      expect(sealer.events).toContainEqual(
        expect.objectContaining({ kind: 'failed', code: 'SEAL_WITHOUT_SIGNATURE' }),
      );
      expect(sealer.asked).toHaveLength(1);
    } finally {
      await sealer.bridge.close();
    }
  });
});

describe('SignAppendix and SignCopy', () => {
  it('an attachment gets the text block with its number; a certified copy the statement with its number and book', async () => {
    const appendix = replyOf(
      await ask(clerk.url('SignAppendix'), request(decisionUrl, { DocNumber: '45/PL-UBND' }), {
        origin: web.origin,
      }),
    );
    expect(appendix['Status']).toBe(0);
    expect(clerk.asked.at(-1)).toMatchObject({ endpoint: 'SignAppendix', template: 'text' });
    const appendixFile = saved(web.uploads.at(-1)!.bytes, 'appendix.pdf');
    expect(
      execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', '1', '-l', '1', appendixFile, '-'], {
        encoding: 'utf8',
      }),
    ).toContain('Số: 45/PL-UBND');
    await expectPdfsigValid(appendixFile, 1);

    const copy = replyOf(
      await ask(
        clerk.url('SignCopy'),
        request(decisionUrl, { DocNumber: '12', MetaData: [{ Key: 'CertBook', Value: '01/2026-SCT/BS' }] }),
        { origin: web.origin },
      ),
    );
    expect(copy['Status']).toBe(0);
    expect(clerk.asked.at(-1)).toMatchObject({ endpoint: 'SignCopy', template: 'certified-copy' });
    const copyFile = saved(web.uploads.at(-1)!.bytes, 'copy.pdf');
    const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', copyFile, '-'], { encoding: 'utf8' });
    expect(text).toContain('Chứng thực bản sao đúng với bản chính.');
    expect(text).toContain('Số chứng thực: 12');
    expect(text).toContain('Quyển số: 01/2026-SCT/BS');
    await expectKysoVerifies(copyFile);
    await expectPdfsigValid(copyFile, 1);
  });
});

describe('requests that sign and send nothing', () => {
  it('a refused confirmation: Status 2', async () => {
    const uploads = web.uploads.length;
    chairman.answer = () => Promise.resolve(false);
    try {
      const answer = replyOf(
        await ask(chairman.url('SignApproved'), request(decisionUrl), { origin: web.origin }),
      );
      expect(answer['Status']).toBe(2);
      expect(answer['Message']).toBe('The user declined to sign this document.');
    } finally {
      chairman.answer = () => Promise.resolve(true);
    }
    expect(web.uploads.length).toBe(uploads);
    expect(undelivered(chairman.home)).toEqual([]);
  });

  it('an origin not on the list: the handshake is refused (403), nothing downloaded or asked', async () => {
    const downloads = web.downloads.get('/files/quyet-dinh-123.pdf') ?? 0;
    const asked = chairman.asked.length;
    const answer = await ask(chairman.url('SignApproved'), request(decisionUrl), {
      origin: 'https://evil.example',
    });
    expect(answer).toEqual({ kind: 'refused', status: 403 });
    // No Origin at all (a program, not a page) is refused the same way.
    expect(await ask(chairman.url('SignApproved'), request(decisionUrl))).toEqual({
      kind: 'refused',
      status: 403,
    });
    expect(web.downloads.get('/files/quyet-dinh-123.pdf') ?? 0).toBe(downloads);
    expect(chairman.asked.length).toBe(asked);
    expect(chairman.events).toContainEqual({
      kind: 'refused',
      reason: 'origin',
      origin: 'https://evil.example',
    });
  });

  it('a Host header that is not this machine (DNS rebinding): refused (403)', async () => {
    const asked = chairman.asked.length;
    const answer = await ask(chairman.url('SignApproved'), request(decisionUrl), {
      origin: web.origin,
      headers: { Host: `rebind.evil.example:${chairman.bridge.port}` },
    });
    expect(answer).toEqual({ kind: 'refused', status: 403 });
    // The right name on another port is not this bridge either.
    const otherPort = await ask(chairman.url('SignApproved'), request(decisionUrl), {
      origin: web.origin,
      headers: { Host: `localhost:${chairman.bridge.port + 1}` },
    });
    expect(otherPort).toEqual({ kind: 'refused', status: 403 });
    expect(chairman.asked.length).toBe(asked);
  });

  it('a file that is not a PDF: Status 6, nobody asked', async () => {
    const url = web.serve('trap.pdf', '<html><body>login page</body></html>'.padEnd(2000, ' '), 'text/html');
    const asked = chairman.asked.length;
    const uploads = web.uploads.length;
    const answer = replyOf(await ask(chairman.url('SignApproved'), request(url), { origin: web.origin }));
    expect(answer['Status']).toBe(6);
    expect(chairman.asked.length).toBe(asked);
    expect(web.uploads.length).toBe(uploads);
  });

  it('a file over the size limit: Status 5, nobody asked', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2 * 1024 * 1024, 0x20)]);
    const url = web.serve('big.pdf', big);
    const asked = chairman.asked.length;
    const answer = replyOf(await ask(chairman.url('SignApproved'), request(url), { origin: web.origin }));
    expect(answer['Status']).toBe(5);
    expect(chairman.asked.length).toBe(asked);
  });

  it('a file on a host that is not allowed: Status 3, nothing downloaded', async () => {
    const asked = chairman.asked.length;
    const downloads = web.downloads.get('/files/quyet-dinh-123.pdf') ?? 0;
    // localhost is the same machine but not the allowed origin's host.
    const elsewhere = decisionUrl.replace('127.0.0.1', 'localhost');
    const answer = replyOf(
      await ask(chairman.url('SignApproved'), request(elsewhere), { origin: web.origin }),
    );
    expect(answer['Status']).toBe(3);
    const uploadElsewhere = replyOf(
      await ask(
        chairman.url('SignApproved'),
        request(decisionUrl, { FileUploadHandler: 'https://collector.evil.example/upload' }),
        { origin: web.origin },
      ),
    );
    expect(uploadElsewhere['Status']).toBe(3);
    expect(web.downloads.get('/files/quyet-dinh-123.pdf') ?? 0).toBe(downloads);
    expect(chairman.asked.length).toBe(asked);
  });

  it('a message that is not a request: Status 1; an oversized one closes the connection', async () => {
    expect(
      replyOf(await ask(chairman.url('SignApproved'), 'not json', { origin: web.origin }))['Status'],
    ).toBe(1);
    const huge = JSON.stringify(
      request(decisionUrl, { MetaData: [{ Key: 'x', Value: 'y'.repeat(100_000) }] }),
    );
    expect(await ask(chairman.url('SignApproved'), huge, { origin: web.origin })).toEqual({
      kind: 'closed',
      code: 1009,
    });
  });
});

describe('an upload endpoint that answers 500', () => {
  it('replies Status 8 and keeps the signed file, which verifies, without the JWT', async () => {
    const failed = web.failedUploads;
    const answer = replyOf(
      await ask(
        chairman.url('SignApproved'),
        request(decisionUrl, { FileUploadHandler: `${web.origin}/upload-500` }),
        {
          origin: web.origin,
        },
      ),
    );
    expect(answer['Status']).toBe(8);
    expect(web.failedUploads).toBe(failed + 1);
    const kept = undelivered(chairman.home);
    const pdf = kept.find((f) => f.endsWith('.pdf'));
    const note = kept.find((f) => f.endsWith('.json'));
    expect(pdf).toBeDefined();
    expect(note).toBeDefined();
    expect(kept.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const keptPdf = path.join(chairman.home, 'bridge', 'undelivered', pdf!);
    // The web page learns the kept file's name, not the folders of this computer.
    expect(String(answer['Message'])).toContain(pdf!);
    expect(String(answer['Message'])).not.toContain(chairman.home);
    await expectKysoVerifies(keptPdf);
    await expectPdfsigValid(keptPdf, 1);
    const noteText = readFileSync(path.join(chairman.home, 'bridge', 'undelivered', note!), 'utf8');
    expect(JSON.parse(noteText)).toMatchObject({
      uploadUrl: `${web.origin}/upload-500`,
      sessionId: 'session-42',
    });
    expect(noteText).not.toContain('jwt-secret-value');
  });
});

describe('one signing at a time', () => {
  it('a second request waits until the first is answered', async () => {
    let release!: (yes: boolean) => void;
    const first = new Promise<boolean>((resolve) => (release = resolve));
    const asked = chairman.asked.length;
    chairman.answer = () => first;
    const one = ask(chairman.url('SignApproved'), request(decisionUrl), { origin: web.origin });
    await expect.poll(() => chairman.asked.length).toBe(asked + 1);
    chairman.answer = () => Promise.resolve(false);
    const two = ask(chairman.url('SignApproved'), request(decisionUrl), { origin: web.origin });
    await expect.poll(() => chairman.events.some((e) => e.kind === 'queued' && e.ahead === 1)).toBe(true);
    // While the first waits for its answer, the second has not been shown.
    expect(chairman.asked.length).toBe(asked + 1);
    release(false);
    expect(replyOf(await one)['Status']).toBe(2);
    expect(replyOf(await two)['Status']).toBe(2);
    expect(chairman.asked.length).toBe(asked + 2);
    chairman.answer = () => Promise.resolve(true);
  });
});

describe('an unanswered question', () => {
  it('the page leaving before the answer withdraws the question; nothing is signed or sent', async () => {
    const uploads = web.uploads.length;
    const kept = undelivered(chairman.home).length;
    const asked = chairman.asked.length;
    let withdrawn = false;
    chairman.answer = () => new Promise<boolean>(() => undefined);
    try {
      const ws = new WebSocket(chairman.url('SignApproved'), { origin: web.origin });
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(JSON.stringify(request(decisionUrl)));
      await expect.poll(() => chairman.asked.length).toBe(asked + 1);
      ws.close();
      await expect
        .poll(() => chairman.events.some((e) => e.kind === 'failed' && e.code === 'CANCELLED'))
        .toBe(true);
      withdrawn = true;
    } finally {
      chairman.answer = () => Promise.resolve(true);
    }
    expect(withdrawn).toBe(true);
    expect(web.uploads.length).toBe(uploads);
    expect(undelivered(chairman.home).length).toBe(kept);
  });

  it('no answer in time is a no (Status 2)', async () => {
    const slow = await harness('chairman-rsa2048', { confirmTimeoutMs: 200 });
    slow.answer = () => new Promise<boolean>(() => undefined);
    const uploads = web.uploads.length;
    try {
      const answer = replyOf(
        await ask(slow.url('SignApproved'), request(decisionUrl), { origin: web.origin }),
      );
      expect(answer['Status']).toBe(2);
      expect(slow.asked).toHaveLength(1);
      expect(web.uploads.length).toBe(uploads);
    } finally {
      await slow.bridge.close();
    }
  });
});

describe('VerifyPDF and GetCertInfo', () => {
  it('VerifyPDF reports the signatures of a delivered file', async () => {
    const url = web.serve('to-verify.pdf', await approvedDecision());
    const answer = replyOf(await ask(chairman.url('VerifyPDF'), { FileName: url }, { origin: web.origin }));
    expect(answer['Status']).toBe(0);
    expect(answer['Signatures']).toMatchObject([{ Signer: 'Nguyễn Thị Hồng Nhung', Status: 'valid' }]);
    const unsigned = replyOf(
      await ask(chairman.url('VerifyPDF'), { FileName: decisionUrl }, { origin: web.origin }),
    );
    expect(unsigned['Status']).toBe(10);
  });

  it('GetCertInfo returns the signing certificate without asking', async () => {
    const asked = chairman.asked.length;
    const answer = replyOf(await ask(chairman.url('GetCertInfo'), {}, { origin: web.origin }));
    expect(answer['Status']).toBe(0);
    const info = answer['CertInfo'] as Record<string, string>;
    expect(info['Subject']).toContain('CN=Nguyễn Thị Hồng Nhung');
    expect(
      Buffer.from(info['Base64'] ?? '', 'base64').equals(readFileSync(pkiFile('chairman-rsa2048.cert.der'))),
    ).toBe(true);
    expect(chairman.asked.length).toBe(asked);
  });
});
