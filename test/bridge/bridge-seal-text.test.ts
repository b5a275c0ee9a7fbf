// SignIssued with the agency seal (issuedTemplate: seal) writes the number and the issue date on the
// page, under the seal, in the same signature as the seal: pdftotext reads them, both signatures
// stay valid (Kyso, pdfsig, qpdf). The web system is played by real parts (test/bridge/web-system.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  heldSignerIdentity,
  startBridge,
  type ConfirmationRequest,
  type RunningBridge,
} from '../../src/signing/bridge-api.js';
import { openP12 } from '../../src/signing/identities-api.js';
import { signPdf } from '../../src/signing/sign-api.js';
import { TrustStore } from '../../src/signing/verify-api.js';
import { pkiFile } from '../support/fixtures.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { ask, replyOf, startWebSystem, type WebSystem } from './web-system.js';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
let web: WebSystem;
let bridge: RunningBridge;
const asked: ConfirmationRequest[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-bridge-seal-'));
  const decision = path.join(dir, 'decision.pdf');
  execFileSync(process.execPath, [path.join(root, 'fixtures/documents/make-decision.mjs'), decision]);
  const assets = path.join(dir, 'assets');
  execFileSync(process.execPath, [path.join(root, 'fixtures/appearance/make-assets.mjs'), assets]);
  // The chairman approved it first: the seal goes only on a validly signed document.
  const approved = path.join(dir, 'approved.pdf');
  await signPdf({
    input: decision,
    output: approved,
    signer: await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12'),
  });
  web = await startWebSystem();
  web.serve('approved.pdf', readFileSync(approved));
  bridge = await startBridge({
    mode: 'plain',
    port: 0,
    home: mkdtempSync(path.join(dir, 'home-')),
    allowedOrigins: [web.origin],
    identity: heldSignerIdentity(await openP12(pkiFile('agency-rsa3072.p12'), 'kyso-p12')),
    confirm: (request) => {
      asked.push(request);
      return Promise.resolve(true);
    },
    lang: 'en',
    trustStore: () =>
      Promise.resolve(
        TrustStore.fromCertificates(
          [readFileSync(pkiFile('root-ca.der')), readFileSync(pkiFile('intermediate-ca.der'))],
          'test-pki',
        ),
      ),
    profile: { issuedTemplate: 'seal', sealImage: path.join(assets, 'images', 'seal.png') },
  });
}, 120_000);

afterAll(async () => {
  await bridge?.close();
  await web?.close();
  if (!process.env['KYSO_KEEP_FIXTURES']) rmSync(dir, { recursive: true, force: true });
});

describe('SignIssued with the agency seal', () => {
  it('writes the number and the issue date under the seal (pdftotext reads them); both signatures valid', async () => {
    const answer = replyOf(
      await ask(
        `ws://127.0.0.1:${bridge.port}/SignIssued`,
        {
          FileUploadHandler: `${web.origin}/upload`,
          SessionId: 's-1',
          JWTToken: 'jwt',
          FileName: `${web.origin}/files/approved.pdf`,
          DocNumber: '126/QĐ-UBND',
          IssuedDate: '2026-12-03',
          MetaData: [],
        },
        { origin: web.origin },
      ),
    );
    expect(answer).toMatchObject({ Status: 0, DocumentNumber: '126/QĐ-UBND', DocumentDate: '03/12/2026' });
    expect(asked.at(-1)).toMatchObject({ template: 'seal', docNumber: '126/QĐ-UBND' });
    const sealed = path.join(dir, 'sealed.pdf');
    writeFileSync(sealed, web.uploads.at(-1)!.bytes);
    const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', sealed, '-'], { encoding: 'utf8' });
    expect(text).toContain('Số: 126/QĐ-UBND');
    expect(text).toContain('Ngày ban hành: 03/12/2026');
    // The approved document's text had neither: they come from the seal's signature.
    const before = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path.join(dir, 'approved.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(before).not.toContain('126/QĐ-UBND');
    await expectKysoVerifies(sealed);
    await expectPdfsigValid(sealed, 2);
    await qpdfCheck(sealed);
  });
});
