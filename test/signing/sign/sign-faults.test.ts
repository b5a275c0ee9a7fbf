// Bad input and faults while signing: each gives its own error code, no output file, no temporary
// file left behind, and the input untouched.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/shared/secret.js';
import { openP12 } from '../../../src/signing/identity/index.js';
import { TokenManager } from '../../../src/signing/pkcs11/token-manager.js';
import { signPdf, type PdfSignOptions } from '../../../src/signing/sign/sign-pdf.js';
import type { Signer } from '../../../src/signing/cms/signer.js';
import { CHAIRMAN_TOKEN, freshTokens, pkiFile, SOFTHSM_MODULE, testToken } from '../../support/fixtures.js';
import { faultyModule, newFaultState } from '../../support/faulty-module.js';
import { runKyso } from '../../support/run-cli.js';
import { checkSignedOutput } from '../../support/signed-output.js';
import { makeCorpus } from '../pdf/corpus.js';

let corpus: string;
let work: string;
let chairman: Signer;
let tokenConf: string;

const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

beforeAll(async () => {
  tokenConf = freshTokens().conf;
  corpus = makeCorpus();
  work = mkdtempSync(path.join(os.tmpdir(), 'kyso-faults-'));
  chairman = await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12');
}, 120_000);

/** Runs a signing that must fail with `code`, and checks nothing was written and the input kept. */
async function expectRefused(
  input: string,
  code: string,
  options: PdfSignOptions = {},
  signer: Signer = chairman,
  output = path.join(work, 'out', `${code}-${path.basename(input)}`),
): Promise<void> {
  execFileSync('mkdir', ['-p', path.dirname(output)]);
  const before = sha(input);
  const listing = readdirSync(path.dirname(output));
  await expect(signPdf({ input, output, signer, options })).rejects.toMatchObject({ code });
  expect(sha(input)).toBe(before);
  expect(readdirSync(path.dirname(output))).toEqual(listing); // no output, no temporary file
}

function make(name: string, bytes: Buffer | string): string {
  const p = path.join(work, name);
  writeFileSync(p, bytes);
  return p;
}

describe('input that is not a signable PDF', () => {
  it('empty, not a PDF, truncated', async () => {
    await expectRefused(make('empty.pdf', ''), 'PDF_EMPTY');
    await expectRefused(make('word.pdf', 'PK\u0003\u0004 this is a .docx renamed'), 'PDF_NOT_PDF');
    const whole = readFileSync(path.join(corpus, 'simple-table.pdf'));
    await expectRefused(make('half.pdf', whole.subarray(0, Math.floor(whole.length / 2))), 'PDF_TRUNCATED');
  });

  it('a missing input file', async () => {
    await expect(
      signPdf({ input: path.join(work, 'nope.pdf'), output: path.join(work, 'x.pdf'), signer: chairman }),
    ).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
    });
  });

  it('broken cross-reference offsets: refused with advice, repaired only on request and only when unsigned', async () => {
    const text = readFileSync(path.join(corpus, 'simple-table.pdf'), 'latin1');
    // Shift every offset in the table by 7 bytes: the offsets no longer point at their objects.
    const broken = text.replace(
      /^(\d{10}) (\d{5}) n/gm,
      (_m, off: string, gen: string) => `${String(Number(off) + 7).padStart(10, '0')} ${gen} n`,
    );
    const input = make('broken-xref.pdf', Buffer.from(broken, 'latin1'));
    await expectRefused(input, 'PDF_XREF_BROKEN');
    const output = path.join(work, 'repaired-signed.pdf');
    const result = await signPdf({ input, output, signer: chairman, options: { repair: true } });
    expect(result.fieldName).toBe('Signature1');
    await checkSignedOutput(input, output, result, 1);
    // A signed document with a broken table: repairing would break the signature.
    const signedText = readFileSync(output, 'latin1');
    const lastXref = signedText.lastIndexOf('\nxref\n');
    const brokenSigned =
      signedText.slice(0, lastXref) +
      signedText
        .slice(lastXref)
        .replace(
          /^(\d{10}) (\d{5}) n/gm,
          (_m, off: string, gen: string) => `${String(Number(off) + 3).padStart(10, '0')} ${gen} n`,
        );
    await expectRefused(make('broken-signed.pdf', Buffer.from(brokenSigned, 'latin1')), 'PDF_REPAIR_SIGNED', {
      repair: true,
    });
  });

  it('encrypted with a user password, and with an owner password only', async () => {
    await expectRefused(path.join(corpus, 'encrypted.pdf'), 'PDF_ENCRYPTED');
    const ownerOnly = path.join(work, 'owner-only.pdf');
    execFileSync('qpdf', [
      '--encrypt',
      '',
      'owner-secret',
      '256',
      '--',
      path.join(corpus, 'simple-table.pdf'),
      ownerOnly,
    ]);
    await expectRefused(ownerOnly, 'PDF_ENCRYPTED');
  });

  it('a page that does not exist', async () => {
    await expectRefused(path.join(corpus, 'simple-table.pdf'), 'PDF_PAGE_OUT_OF_RANGE', { page: 3 });
    await expectRefused(path.join(corpus, 'simple-table.pdf'), 'PDF_PAGE_OUT_OF_RANGE', { page: -3 });
  });
});

describe('where the output goes', () => {
  it('never over the input, never over an existing file unless asked, never into a folder that is not there', async () => {
    const input = path.join(work, 'same.pdf');
    copyFileSync(path.join(corpus, 'simple-table.pdf'), input);
    await expectRefused(input, 'OUTPUT_SAME_AS_INPUT', {}, chairman, input);
    await expectRefused(input, 'OUTPUT_SAME_AS_INPUT', {}, chairman, path.join(work, '.', 'same.pdf'));
    const existing = path.join(work, 'out', 'exists.pdf');
    execFileSync('mkdir', ['-p', path.dirname(existing)]);
    writeFileSync(existing, 'keep me');
    await expect(signPdf({ input, output: existing, signer: chairman })).rejects.toMatchObject({
      code: 'OUTPUT_EXISTS',
    });
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    const r = await signPdf({ input, output: existing, signer: chairman, options: { overwrite: true } });
    await checkSignedOutput(input, existing, r, 1);
    await expect(
      signPdf({ input, output: path.join(work, 'no-such-dir', 'x.pdf'), signer: chairman }),
    ).rejects.toMatchObject({
      code: 'OUTPUT_NOT_WRITABLE',
    });
  });

  it('a full disk (file size limit): DISK_FULL, and no temporary file remains', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-full-'));
    const input = path.join(corpus, 'pages-500.pdf');
    const before = sha(input);
    // ulimit -f counts 512-byte blocks in bash: 64 blocks is far below the 500-page document.
    const r = execFileSync(
      'bash',
      [
        '-c',
        `ulimit -f 64; node "$0" sign "$1" -o "$2" --p12 "$3" --pin-env P12PASS; echo "exit=$?"`,
        path.resolve(import.meta.dirname, '../../../bin/kyso.js'),
        input,
        path.join(dir, 'out.pdf'),
        pkiFile('chairman-rsa2048.p12'),
      ],
      {
        env: { ...process.env, P12PASS: 'kyso-p12', KYSO_LANG: 'en' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(r).toContain('exit=1');
    expect(readdirSync(dir)).toEqual([]);
    expect(sha(input)).toBe(before);
  });
});

describe('certificates and certification', () => {
  it('expired, not yet valid, and non-signing certificates are refused with the date', async () => {
    const input = path.join(corpus, 'simple-table.pdf');
    const expired = await openP12(pkiFile('expired-rsa2048.p12'), 'kyso-p12');
    await expectRefused(input, 'CERT_EXPIRED', {}, expired);
    const err = await signPdf({ input, output: path.join(work, 'e.pdf'), signer: expired }).catch(
      (e: unknown) => e,
    );
    expect((err as { details: Record<string, string> }).details['notAfter']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expectRefused(
      input,
      'CERT_NOT_YET_VALID',
      {},
      await openP12(pkiFile('notyet-rsa2048.p12'), 'kyso-p12'),
    );
    await expectRefused(
      input,
      'CERT_NO_SIGNING_USAGE',
      {},
      await openP12(pkiFile('nosign-rsa2048.p12'), 'kyso-p12'),
    );
  });

  it('certified "no changes" refuses further signatures; form-fill allows them; a second certification is refused', async () => {
    const input = path.join(corpus, 'simple-table.pdf');
    const noChanges = path.join(work, 'certified-p1.pdf');
    const r1 = await signPdf({
      input,
      output: noChanges,
      signer: chairman,
      options: { certify: 'no-changes' },
    });
    await checkSignedOutput(input, noChanges, r1, 1);
    await expectRefused(noChanges, 'PDF_CERTIFIED_NO_CHANGES');
    const formFill = path.join(work, 'certified-p2.pdf');
    const r2 = await signPdf({
      input,
      output: formFill,
      signer: chairman,
      options: { certify: 'form-fill' },
    });
    await checkSignedOutput(input, formFill, r2, 1);
    const second = path.join(work, 'certified-p2-signed.pdf');
    const agency = await openP12(pkiFile('agency-rsa3072.p12'), 'kyso-p12');
    const r3 = await signPdf({ input: formFill, output: second, signer: agency });
    await checkSignedOutput(formFill, second, r3, 2);
    await expectRefused(formFill, 'PDF_CERTIFIED_NO_CHANGES', { certify: 'annotations' });
  });
});

describe('the token during signing', () => {
  let manager: TokenManager;
  const state = newFaultState();
  afterAll(() => manager?.close());

  it('pulled out while signing: PKCS11_DEVICE_REMOVED, nothing written', async () => {
    manager = await TokenManager.open([{ path: SOFTHSM_MODULE, origin: 'option' }], {
      wrap: faultyModule(state),
      skipProbe: true,
    });
    const signer = await manager.openSigner(
      { token: CHAIRMAN_TOKEN, keyId: '01' },
      { getPin: async () => new Secret(testToken(CHAIRMAN_TOKEN).pin) },
    );
    state.signLatencyMs = 200;
    setTimeout(() => (state.removed = true), 50);
    await expectRefused(path.join(corpus, 'simple-table.pdf'), 'PKCS11_DEVICE_REMOVED', {}, signer);
    signer.session.close();
  });

  it('a wrong PIN on the command line: one line, exit 1, no output, and the PIN is nowhere', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-wrongpin-'));
    const r = await runKyso(
      [
        'sign',
        path.join(corpus, 'simple-table.pdf'),
        '-o',
        path.join(dir, 'o.pdf'),
        '--module',
        SOFTHSM_MODULE,
        '--token',
        CHAIRMAN_TOKEN,
        '--key',
        '01',
        '--pin-stdin',
      ],
      { env: { SOFTHSM2_CONF: tokenConf, KYSO_HOME: dir, KYSO_LANG: 'en' }, input: 'wrong-pin-4711\n' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('[PKCS11_PIN_INCORRECT]');
    expect(r.stderr + r.stdout).not.toContain('wrong-pin-4711');
    expect(readdirSync(dir).filter((f) => f.endsWith('.pdf') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('cancelling before the signature leaves nothing behind', async () => {
    const controller = new AbortController();
    controller.abort();
    const output = path.join(work, 'out', 'cancelled.pdf');
    await expect(
      signPdf({
        input: path.join(corpus, 'simple-table.pdf'),
        output,
        signer: chairman,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(readdirSync(path.dirname(output)).filter((f) => f.includes('cancelled'))).toEqual([]);
  });
});
