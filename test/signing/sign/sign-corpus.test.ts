// Signing every shape of document the field sends us, with RSA and ECDSA keys on SoftHSM tokens:
// each output is checked by byte prefix, qpdf, pdfsig and openssl, and keeps the file's kind of
// cross-reference section. Three signatures in a row stay valid.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { PdfReader } from '../../../src/signing/pdf/index.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import type { TokenSigner } from '../../../src/signing/pkcs11/token-signer.js';
import { signPdf } from '../../../src/signing/sign/sign-pdf.js';
import {
  CHAIRMAN_TOKEN,
  CLERK_TOKEN,
  fixturesDir,
  freshTokens,
  pkiFile,
  SOFTHSM_MODULE,
  testToken,
} from '../../support/fixtures.js';
import { checkSignedOutput } from '../../support/signed-output.js';
import { pdfsigSign } from '../../support/pdfsig.js';
import { makeCorpus, corpusPdfDir } from '../pdf/corpus.js';

let manager: TokenManager;
let corpus: string;
let out: string;
const signers: Record<string, TokenSigner> = {};

async function signer(token: string, keyId: string): Promise<TokenSigner> {
  const key = `${token}/${keyId}`;
  // The clerk's token holds no CA certificates: the intermediate comes from settings, as in offices.
  signers[key] ??= await manager.openSigner(
    { token, keyId },
    {
      getPin: async () => new Secret(testToken(token).pin),
      intermediates: [readFileSync(pkiFile('intermediate-ca.der'))],
    },
  );
  return signers[key];
}

beforeAll(async () => {
  freshTokens();
  manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }]);
  corpus = makeCorpus();
  out = mkdtempSync(path.join(os.tmpdir(), 'kyso-signed-'));
}, 120_000);

afterAll(() => {
  for (const s of Object.values(signers)) s.session.close();
  manager?.close();
});

const CASES = [
  'simple-table.pdf',
  'objstm.pdf',
  'linearized.pdf',
  'updated.pdf',
  'acroform.pdf',
  'empty-sigfield.pdf',
  'pages-500.pdf',
  'rotated.pdf',
  'offset-box.pdf',
  'pdf20.pdf',
  'hybrid.pdf',
];

describe('signing the corpus', () => {
  for (const name of CASES) {
    for (const [label, token, keyId] of [
      ['RSA-2048', CHAIRMAN_TOKEN, '01'],
      ['ECDSA P-384', CLERK_TOKEN, '02'],
    ] as const) {
      it(`${name} with ${label}`, async () => {
        const input = path.join(corpus, name);
        const output = path.join(out, `${label}-${name}`);
        const before = await PdfReader.open(input);
        const kind = before.lastXrefKind;
        const revisions = before.revisions.length;
        await before.close();
        const result = await signPdf({
          input,
          output,
          signer: await signer(token, keyId),
          options: { reason: 'Phê duyệt kết quả', location: 'UBND phường Đoàn Kết', page: -1 },
        });
        await checkSignedOutput(input, output, result, 1);
        const after = await PdfReader.open(output);
        try {
          expect(after.revisions.length).toBe(revisions + 1);
          // A hybrid file gets a classic table (see incremental-writer.ts); every other keeps its kind.
          expect(after.lastXrefKind).toBe(name === 'hybrid.pdf' ? 'table' : kind);
          const field = await after.findField(result.fieldName);
          expect(field.fieldType).toBe('Sig');
          const acro = await after.acroForm();
          expect(acro?.getNumber('SigFlags')).toBe(3);
          if (name === 'acroform.pdf') {
            const names = await after.allFieldNames();
            expect(names.length).toBeGreaterThanOrEqual(3); // the form's own fields survive
          }
        } finally {
          await after.close();
        }
      });
    }
  }

  it('signs into an existing empty signature field with --field', async () => {
    const input = path.join(corpus, 'empty-sigfield.pdf');
    const reader = await PdfReader.open(input);
    const names = (await reader.fields()).filter((f) => f.fieldType === 'Sig').map((f) => f.fullName);
    await reader.close();
    expect(names.length).toBeGreaterThan(0);
    const output = path.join(out, 'field.pdf');
    const result = await signPdf({
      input,
      output,
      signer: await signer(CHAIRMAN_TOKEN, '01'),
      options: { fieldName: names[0]! },
    });
    expect(result.fieldName).toBe(names[0]);
    await checkSignedOutput(input, output, result, 1);
    await expect(
      signPdf({
        input: output,
        output: path.join(out, 'field2.pdf'),
        signer: await signer(CHAIRMAN_TOKEN, '01'),
        options: { fieldName: names[0]! },
      }),
    ).rejects.toMatchObject({ code: 'PDF_FIELD_ALREADY_SIGNED' });
    await expect(
      signPdf({
        input,
        output: path.join(out, 'field3.pdf'),
        signer: await signer(CHAIRMAN_TOKEN, '01'),
        options: { fieldName: 'Không có' },
      }),
    ).rejects.toMatchObject({ code: 'PDF_FIELD_NOT_FOUND' });
  });

  it('adds a signature to a document signed by another tool (adbe.pkcs7.detached) without breaking it', async () => {
    const input = path.join(
      corpusPdfDir,
      'signed/itext-java/sign/signatures/LtvVerifierIntegrationTest/signingCertHasChainWithoutRevocationData.pdf',
    );
    const output = path.join(out, 'itext-then-kyso.pdf');
    const result = await signPdf({ input, output, signer: await signer(CHAIRMAN_TOKEN, '01') });
    await checkSignedOutput(input, output, result, 2);
  });
});

describe('documents signed by poppler', () => {
  it('a Kyso signature after a pdfsig signature keeps both valid', async () => {
    const popplerSigned = path.join(out, 'poppler-signed.pdf');
    await pdfsigSign(fixturesDir(), path.join(corpus, 'simple-table.pdf'), popplerSigned);
    const output = path.join(out, 'poppler-then-kyso.pdf');
    const result = await signPdf({ input: popplerSigned, output, signer: await signer(CLERK_TOKEN, '01') });
    await checkSignedOutput(popplerSigned, output, result, 2);
  });
});

describe('three signatures in a row', () => {
  for (const name of ['simple-table.pdf', 'objstm.pdf']) {
    it(`chairman, agency and deputy all stay valid on ${name}`, async () => {
      let input = path.join(corpus, name);
      const steps: Array<[string, string]> = [
        [CHAIRMAN_TOKEN, '01'],
        [CLERK_TOKEN, '01'],
        [CHAIRMAN_TOKEN, '02'],
      ];
      for (const [i, [token, keyId]] of steps.entries()) {
        const output = path.join(out, `chain-${i}-${name}`);
        const result = await signPdf({ input, output, signer: await signer(token, keyId) });
        await checkSignedOutput(input, output, result, i + 1);
        input = output;
      }
    });
  }
});
