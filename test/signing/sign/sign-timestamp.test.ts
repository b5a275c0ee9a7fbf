// B-T signatures against a real RFC 3161 server on 127.0.0.1 (openssl ts behind node:http): the
// token is embedded and verifies, slow and failing servers are retried with visible progress, and
// an unreachable or cancelled timestamp leaves nothing behind.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openP12 } from '../../../src/signing/identity/index.js';
import { signPdf, type SignProgress } from '../../../src/signing/sign/sign-pdf.js';
import type { Signer } from '../../../src/signing/cms/signer.js';
import { pkiDir, pkiFile } from '../../support/fixtures.js';
import { checkSignedOutput } from '../../support/signed-output.js';
import { startTsaServer, type TsaServer } from '../../servers/tsa-server.js';
import { makeCorpus } from '../pdf/corpus.js';

const run = promisify(execFile);
let corpus: string;
let work: string;
let chairman: Signer;
let tsa: TsaServer;

beforeAll(async () => {
  corpus = makeCorpus();
  work = mkdtempSync(path.join(os.tmpdir(), 'kyso-bt-'));
  chairman = await openP12(pkiFile('chairman-rsa2048.p12'), 'kyso-p12');
  tsa = await startTsaServer({ pkiDir: pkiDir() });
}, 120_000);
afterAll(async () => tsa?.close());

/** The CMS of the last signature, taken at the gap of its /ByteRange. */
function cmsOf(file: string, byteRange: readonly number[]): pkijs.SignedData {
  const bytes = readFileSync(file);
  const hex = bytes.subarray(byteRange[1]! + 1, byteRange[2]! - 1).toString('latin1');
  const info = pkijs.ContentInfo.fromBER(Buffer.from(hex, 'hex'));
  return new pkijs.SignedData({ schema: info.content });
}

describe('B-T', () => {
  it('embeds a timestamp token over the signature value that openssl verifies', async () => {
    const input = path.join(corpus, 'simple-table.pdf');
    const output = path.join(work, 'bt.pdf');
    const stages: string[] = [];
    const result = await signPdf({
      input,
      output,
      signer: chairman,
      options: { tsa: { url: tsa.url } },
      onProgress: (p) => stages.push(p.stage === 'timestamp' ? `timestamp:${p.event.kind}` : p.stage),
    });
    expect(result.level).toBe('B-T');
    expect(stages).toContain('timestamp:tsa-waiting');
    expect(stages.at(-1)).toBe('done');
    await checkSignedOutput(input, output, result, 1);
    const signerInfo = cmsOf(output, result.byteRange).signerInfos[0]!;
    const attr = signerInfo.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
    expect(attr).toBeDefined();
    const token = Buffer.from(attr!.values[0]!.toBER(false));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-tst-'));
    writeFileSync(path.join(dir, 'token.der'), token);
    writeFileSync(path.join(dir, 'sigvalue.bin'), Buffer.from(signerInfo.signature.valueBlock.valueHexView));
    const { stdout } = await run('openssl', [
      'ts',
      '-verify',
      '-token_in',
      '-in',
      path.join(dir, 'token.der'),
      '-data',
      path.join(dir, 'sigvalue.bin'),
      '-CAfile',
      pkiFile('root-ca.pem'),
      '-untrusted',
      pkiFile('intermediate-ca.pem'),
    ]);
    expect(stdout).toContain('Verification: OK');
  });

  it('retries a slow server with visible waiting and retry states', async () => {
    const slow = await startTsaServer({ pkiDir: pkiDir(), failFirst: 1, failWith: 'hang' });
    try {
      const events: SignProgress[] = [];
      const output = path.join(work, 'bt-retry.pdf');
      const input = path.join(corpus, 'objstm.pdf');
      const result = await signPdf({
        input,
        output,
        signer: chairman,
        // The first request hangs until the timeout; the timeout leaves the second (answered) request
        // room on a loaded machine, where 500 ms once timed it out too and made a second retry.
        options: { tsa: { url: slow.url, timeoutMs: 2500, retries: 2, retryDelayMs: 50 } },
        onProgress: (p) => events.push(p),
      });
      const kinds = events.flatMap((e) => (e.stage === 'timestamp' ? [e.event.kind] : []));
      expect(kinds).toEqual(['tsa-waiting', 'tsa-retry', 'tsa-waiting']);
      await checkSignedOutput(input, output, result, 1);
    } finally {
      await slow.close();
    }
  });

  it('an unreachable server fails with TSA_UNREACHABLE and writes nothing', async () => {
    const dead = await startTsaServer({ pkiDir: pkiDir() });
    const url = dead.url;
    await dead.close();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-bt-dead-'));
    await expect(
      signPdf({
        input: path.join(corpus, 'simple-table.pdf'),
        output: path.join(dir, 'o.pdf'),
        signer: chairman,
        options: { tsa: { url, retries: 1, retryDelayMs: 10 } },
      }),
    ).rejects.toMatchObject({ code: 'TSA_UNREACHABLE' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('cancelling while waiting for the timestamp leaves nothing behind', async () => {
    const hanging = await startTsaServer({ pkiDir: pkiDir(), failFirst: 100, failWith: 'hang' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-bt-cancel-'));
    try {
      const controller = new AbortController();
      const pending = signPdf({
        input: path.join(corpus, 'simple-table.pdf'),
        output: path.join(dir, 'o.pdf'),
        signer: chairman,
        options: { tsa: { url: hanging.url, timeoutMs: 60_000 } },
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage === 'timestamp' && p.event.kind === 'tsa-waiting')
            setTimeout(() => controller.abort(), 100);
        },
      });
      await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await hanging.close();
    }
  });

  it('when the token is larger than reserved, retries once at the exact size', async () => {
    const input = path.join(corpus, 'simple-table.pdf');
    const output = path.join(work, 'bt-exact.pdf');
    const result = await signPdf({
      input,
      output,
      signer: chairman,
      options: { tsa: { url: tsa.url }, timestampSizeHint: 16 },
    });
    expect(result.reservedBytes).toBe(result.cmsBytes);
    await checkSignedOutput(input, output, result, 1);
  });
});
