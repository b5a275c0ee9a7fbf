// kyso sign --level B-LT / B-LTA against real servers on 127.0.0.1 (OCSP, CRLs, CA certificates and an
// RFC 3161 TSA) for a PKI of this file's own: the revocation check before signing, the DSS that lets
// our verifier say valid at B-LT with every server down, the archive timestamp of B-LTA, a
// certificate revoked after a signature was made, and /Contents sized right on the first try.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openP12 } from '../../../src/signing/identity/index.js';
import { extendPdf } from '../../../src/signing/ltv/index.js';
import { PdfDict, PdfReader } from '../../../src/signing/pdf/index.js';
import type { Signer } from '../../../src/signing/cms/signer.js';
import { signPdf, type SignPdfResult, type SignProgress } from '../../../src/signing/sign/sign-pdf.js';
import { readDocumentSecurityStore } from '../../../src/signing/verify/document-security-store.js';
import { findSignatureDictionaries } from '../../../src/signing/verify/signature-dictionaries.js';
import { TrustStore } from '../../../src/signing/verify/trust-store.js';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import type { SignatureReport, VerificationReport } from '../../../src/signing/verify/verification-report.js';
import { pdfsigVerify } from '../../support/pdfsig.js';
import { qpdfCheck } from '../../support/signed-output.js';
import { privatePki, type PrivatePki } from '../../servers/pki-server.js';
import { startTsaServer, type TsaServer } from '../../servers/tsa-server.js';
import { makeCorpus } from '../pdf/corpus.js';

let pki: PrivatePki;
let tsa: TsaServer;
let corpus: string;
let work: string;
let cacheDir: string;

const P12 = 'kyso-p12';
const signerOf = (id: string): Promise<Signer> => openP12(pki.file(`${id}.p12`), P12);
const der = (name: string): Uint8Array => new Uint8Array(readFileSync(pki.file(name)));
const trust = (): TrustStore => TrustStore.fromCertificates([der('root-ca.der')]);
const revocation = (extra: Record<string, unknown> = {}) => ({
  client: { cacheDir, timeoutMs: 3000, retries: 0 },
  ...extra,
});

beforeAll(async () => {
  pki = await privatePki();
  tsa = await startTsaServer({ pkiDir: pki.pkiDir });
  corpus = makeCorpus();
  work = mkdtempSync(path.join(os.tmpdir(), 'kyso-ltv-'));
  cacheDir = mkdtempSync(path.join(work, 'cache-'));
}, 240_000);
afterAll(async () => {
  await tsa?.close();
  await pki?.cleanup();
});

function serversUp(): void {
  pki.server.ocsp = 'ok';
  pki.server.crl = 'ok';
  pki.server.ca = 'ok';
}

function serversDown(): void {
  pki.server.ocsp = 'reset';
  pki.server.crl = 'reset';
  pki.server.ca = 'reset';
}

async function verify(file: string, online = false): Promise<VerificationReport> {
  return verifyPdf({ input: file, trust: trust(), online, lang: 'en' });
}

const check = (s: SignatureReport | undefined, id: string): string | undefined =>
  s?.checks.find((c) => c.id === id)?.result;

/**
 * pdfsig: `count` CMS signatures, all valid. Poppler 22.12 cannot check RFC 3161 document
 * timestamps ("Unable to validate this type of signature"): they are counted, not judged; our
 * verifier judges them.
 */
async function expectPdfsigValid(file: string, count: number, documentTimestamps = 0): Promise<void> {
  const report = await pdfsigVerify(file, pki.file('nssdb'));
  const signed = report.signatures.filter((s) => !/form field is not signed/.test(s.signatureValidation));
  const timestamps = signed.filter(
    (s) => s.signatureType === 'unknown' && /not yet been verified/.test(s.signatureValidation),
  );
  const signatures = signed.filter((s) => !timestamps.includes(s));
  expect(signatures.length, report.raw).toBe(count);
  expect(timestamps.length, report.raw).toBe(documentTimestamps);
  for (const s of signatures) expect(s.valid, `${file} #${s.index}: ${s.signatureValidation}`).toBe(true);
}

function expectPrefix(original: string, output: string): void {
  const a = readFileSync(original);
  const b = readFileSync(output);
  expect(b.subarray(0, a.length).equals(a)).toBe(true);
}

describe('B-LT', () => {
  let output = '';
  let result: SignPdfResult;

  it('checks the signer, signs with a timestamp and appends a DSS with the chain and revocation data', async () => {
    serversUp();
    const input = path.join(corpus, 'simple-table.pdf');
    output = path.join(work, 'b-lt.pdf');
    const stages: string[] = [];
    result = await signPdf({
      input,
      output,
      signer: await signerOf('chairman-rsa2048'),
      options: { level: 'B-LT', tsa: { url: tsa.url }, revocation: revocation() },
      onProgress: (p) => stages.push(p.stage),
    });
    expect(result.level).toBe('B-LT');
    expect(result.revocation).toMatchObject({ status: 'good', source: 'ocsp', problems: [] });
    expect(result.longTerm?.problems).toEqual([]);
    expect(result.longTerm?.signatures[0]).toMatchObject({ complete: true, level: 'B-LT' });
    expect(stages.slice(0, 2)).toEqual(['reading', 'revocation']);
    expect(stages).toContain('long-term');
    expectPrefix(input, output);
    await qpdfCheck(output);
    await expectPdfsigValid(output, 1);

    const reader = await PdfReader.open(output);
    try {
      const dss = await readDocumentSecurityStore(reader);
      const names = dss.certificates.map((c) => createHash('sha256').update(c).digest('hex'));
      for (const f of [
        'chairman-rsa2048.cert.der',
        'intermediate-ca.der',
        'root-ca.der',
        'tsa.cert.der',
        'ocsp.cert.der',
      ]) {
        expect(names, f).toContain(createHash('sha256').update(der(f)).digest('hex'));
      }
      // (the reader lists the VRI's items too: count distinct objects)
      const distinct = (items: readonly Uint8Array[]): number =>
        new Set(items.map((i) => Buffer.from(i).toString('base64'))).size;
      expect(distinct(dss.ocsps)).toBe(2); // the signer's and the TSA's
      expect(distinct(dss.crls)).toBe(1); // the root's CRL, for the intermediate
      const [sig] = await findSignatureDictionaries(reader);
      const key = createHash('sha1').update(sig!.contents!).digest('hex').toUpperCase();
      const dssDict = await reader.resolve((await reader.catalog()).get('DSS') ?? null);
      expect(dssDict).toBeInstanceOf(PdfDict);
      const vri = await reader.resolve((dssDict as PdfDict).get('VRI') ?? null);
      expect(vri instanceof PdfDict && vri.has(key)).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('validates offline with every server down: valid, at B-LT, from the embedded evidence', async () => {
    serversDown();
    const before = { ...pki.server.requests };
    for (const online of [false, true]) {
      const report = await verify(output, online);
      const s = report.signatures[0];
      expect(report.status, JSON.stringify(s?.checks)).toBe('valid');
      expect(s?.level).toBe('B-LT');
      expect(check(s, 'revocation')).toBe('passed');
      expect(check(s, 'timestamp')).toBe('passed');
    }
    // Nothing had to be fetched.
    expect(pki.server.requests).toEqual(before);
    serversUp();
  });

  it('keeps an earlier signature valid and adds its validation data too', async () => {
    serversUp();
    const first = path.join(work, 'first-bb.pdf');
    await signPdf({
      input: path.join(corpus, 'objstm.pdf'),
      output: first,
      signer: await signerOf('agency-rsa3072'),
    });
    const second = path.join(work, 'second-blt.pdf');
    const r = await signPdf({
      input: first,
      output: second,
      signer: await signerOf('clerk-p384'),
      options: { level: 'B-LT', tsa: { url: tsa.url }, revocation: revocation() },
    });
    expect(r.level).toBe('B-LT');
    expect(r.longTerm?.signatures.map((s) => s.level)).toEqual(['B-B', 'B-LT']);
    expect(r.longTerm?.timestamps).toEqual([]);
    expectPrefix(first, second);
    await expectPdfsigValid(second, 2);
    serversDown();
    const report = await verify(second);
    serversUp();
    expect(report.signatures.map((s) => s.status)).toEqual(['valid', 'valid']);
    expect(report.signatures.map((s) => s.level)).toEqual(['B-B', 'B-LT']);
    // The first signature has no timestamp, but its revocation evidence is in the DSS.
    expect(check(report.signatures[0], 'revocation')).toBe('passed');
  });
});

describe('B-LTA', () => {
  it('adds a document timestamp over the DSS', async () => {
    serversUp();
    const input = path.join(corpus, 'linearized.pdf');
    const output = path.join(work, 'b-lta.pdf');
    const r = await signPdf({
      input,
      output,
      signer: await signerOf('chairman-rsa2048'),
      options: { level: 'B-LTA', tsa: { url: tsa.url }, revocation: revocation() },
    });
    expect(r.level).toBe('B-LTA');
    expect(r.longTerm?.timestamps.map((t) => t.role)).toEqual(['archive']);
    expect(r.longTerm?.dss).toHaveLength(1); // the TSA's evidence was known before the archive timestamp
    expect(r.longTerm?.renewBy).not.toBeNull();
    await qpdfCheck(output);
    await expectPdfsigValid(output, 1, 1);
    const reader = await PdfReader.open(output);
    try {
      const sigs = await findSignatureDictionaries(reader);
      const ts = sigs.find((s) => s.type === 'document-timestamp');
      expect(ts?.dict.getName('Type')).toBe('DocTimeStamp');
      expect(ts?.subFilter).toBe('ETSI.RFC3161');
      // It covers the whole file, DSS included.
      expect(ts!.byteRange![2]! + ts!.byteRange![3]!).toBe(reader.size);
    } finally {
      await reader.close();
    }
    serversDown();
    const report = await verify(output);
    serversUp();
    expect(report.status, JSON.stringify(report.signatures.map((s) => s.checks))).toBe('valid');
    expect(report.signatures.map((s) => `${s.type}:${s.level}`)).toEqual([
      'signature:B-LTA',
      'document-timestamp:none',
    ]);
  });
});

describe('revocation before and after signing', () => {
  it('refuses a revoked signer certificate, naming the date, and writes nothing', async () => {
    serversUp();
    const dir = mkdtempSync(path.join(work, 'refused-'));
    for (const options of [
      { level: 'B-LT' as const, tsa: { url: tsa.url }, revocation: revocation() },
      { revocation: revocation({ checkBeforeSigning: 'always' }) },
    ]) {
      const error = await signPdf({
        input: path.join(corpus, 'simple-table.pdf'),
        output: path.join(dir, 'o.pdf'),
        signer: await signerOf('revoked-rsa2048'),
        options,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CERT_REVOKED', details: { reason: 'keyCompromise' } });
      expect(String((error as { details: Record<string, unknown> }).details['revokedAt'])).toMatch(
        /\+07:00$/,
      );
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unreachable OCSP/CRL: signs at B-B with a warning, or refuses when the policy says so; the verifier warns', async () => {
    serversDown();
    const output = path.join(work, 'unchecked.pdf');
    const r = await signPdf({
      input: path.join(corpus, 'simple-table.pdf'),
      output,
      signer: await signerOf('chairman-rsa2048'),
      options: {
        revocation: { client: { cacheDir: null, timeoutMs: 2000, retries: 0 }, checkBeforeSigning: 'always' },
      },
    });
    expect(r.level).toBe('B-B');
    expect(r.revocation?.status).toBe('unknown');
    expect(r.revocation?.problems.map((p) => `${p.source}:${p.reason}`)).toEqual([
      'ocsp:unreachable',
      'crl:unreachable',
    ]);
    await expect(
      signPdf({
        input: path.join(corpus, 'simple-table.pdf'),
        output: path.join(work, 'refused-unchecked.pdf'),
        signer: await signerOf('chairman-rsa2048'),
        options: {
          revocation: {
            client: { cacheDir: null, timeoutMs: 2000, retries: 0 },
            checkBeforeSigning: 'always',
            whenUnavailable: 'refuse',
          },
        },
      }),
    ).rejects.toMatchObject({ code: 'REVOCATION_UNAVAILABLE' });
    const report = await verify(output, true);
    serversUp();
    const s = report.signatures[0];
    expect(check(s, 'revocation')).toBe('warning');
    expect(s?.level).toBe('B-B');
  });

  it('a signature made before a later revocation stays valid with its evidence; one made after it is invalid', async () => {
    serversUp();
    const before = path.join(work, 'before-revocation.pdf');
    await signPdf({
      input: path.join(corpus, 'simple-table.pdf'),
      output: before,
      signer: await signerOf('deputy-p256'),
      options: { level: 'B-LT', tsa: { url: tsa.url }, revocation: revocation() },
    });
    // Revocation times have one-second precision: make "after" unambiguous.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await pki.revoke('deputy-p256');

    for (const online of [false, true]) {
      const report = await verify(before, online);
      const s = report.signatures[0];
      expect(report.status, JSON.stringify(s?.checks)).toBe('valid');
      expect(s?.level).toBe('B-LT');
    }

    // Kyso refuses to sign with it now.
    await expect(
      signPdf({
        input: path.join(corpus, 'simple-table.pdf'),
        output: path.join(work, 'after-refused.pdf'),
        signer: await signerOf('deputy-p256'),
        options: { level: 'B-LT', tsa: { url: tsa.url }, revocation: revocation() },
      }),
    ).rejects.toMatchObject({ code: 'CERT_REVOKED' });

    // Another tool signs anyway (no check): the timestamp proves it was after the revocation.
    const after = path.join(work, 'after-revocation.pdf');
    await signPdf({
      input: path.join(corpus, 'simple-table.pdf'),
      output: after,
      signer: await signerOf('deputy-p256'),
      options: { tsa: { url: tsa.url }, revocation: revocation({ checkBeforeSigning: 'never' }) },
    });
    const online = await verify(after, true);
    expect(online.signatures[0]?.status).toBe('invalid');
    expect(online.signatures[0]?.subIndication).toBe('REVOKED');
    // Extended to B-LT, the DSS carries the "revoked" answer: invalid offline too.
    const extended = path.join(work, 'after-revocation-lt.pdf');
    const ext = await extendPdf({
      input: after,
      output: extended,
      level: 'B-LT',
      revocation: { cacheDir: null, retries: 0 },
    });
    expect(ext.signatures[0]?.certificates[0]).toMatchObject({
      role: 'signer',
      status: 'revoked',
      source: 'ocsp',
    });
    serversDown();
    const offline = await verify(extended);
    serversUp();
    expect(offline.signatures[0]?.status).toBe('invalid');
    expect(offline.signatures[0]?.subIndication).toBe('REVOKED');
  });
});

describe('/Contents sizing', () => {
  it('fits a long chain and a large timestamp token on the first try', async () => {
    serversUp();
    // A TSA whose tokens carry every certificate of the PKI (about 15 KB), and a signer whose
    // chain carries them too.
    const bundle = path.join(work, 'many-certs.pem');
    const pems = readdirSync(pki.pkiDir)
      .filter((f) => f.endsWith('.cert.pem') || f === 'intermediate-ca.pem' || f === 'root-ca.pem')
      .map((f) => readFileSync(path.join(pki.pkiDir, f), 'latin1'));
    writeFileSync(bundle, pems.join(''));
    const conf = path.join(work, 'big-tsa.conf');
    writeFileSync(
      conf,
      readFileSync(pki.file('tsa.conf'), 'latin1').replace(/^certs\s*=.*$/m, `certs = ${bundle}`),
    );
    const bigTsa = await startTsaServer({ configPath: conf });
    try {
      const base = await signerOf('chairman-rsa2048');
      const extra = readdirSync(pki.pkiDir)
        .filter((f) => f.endsWith('.cert.der'))
        .map((f) => der(f));
      const longChain: Signer = {
        certificate: base.certificate,
        chain: [...base.chain, ...extra],
        keyAlgorithm: base.keyAlgorithm,
        schemes: base.schemes,
        sign: (data, params, options) => base.sign(data, params, options),
      };
      const input = path.join(corpus, 'simple-table.pdf');
      const output = path.join(work, 'big.pdf');
      const stages: SignProgress[] = [];
      const r = await signPdf({
        input,
        output,
        signer: longChain,
        options: { level: 'B-LTA', tsa: { url: bigTsa.url }, revocation: revocation() },
        onProgress: (p) => stages.push(p),
      });
      expect(r.cmsBytes).toBeGreaterThan(20_000);
      expect(stages.filter((s) => s.stage === 'hashing')).toHaveLength(1); // no second attempt
      expect(r.reservedBytes).toBeGreaterThan(r.cmsBytes);
      const archive = r.longTerm?.timestamps[0];
      expect(archive?.tokenBytes).toBeGreaterThan(12_000);
      expect(archive!.reservedBytes).toBeGreaterThan(archive!.tokenBytes);
      await expectPdfsigValid(output, 1, 1);
      const report = await verify(output);
      expect(report.status).toBe('valid');
    } finally {
      await bigTsa.close();
    }
  });
});

describe('extendPdf on a document signed elsewhere', () => {
  it('B-B → B-LT adds a document timestamp first, then the DSS; earlier signature stays valid', async () => {
    serversUp();
    const signed = path.join(work, 'kyso-bb.pdf');
    await signPdf({
      input: path.join(corpus, 'acroform.pdf'),
      output: signed,
      signer: await signerOf('agency-rsa3072'),
    });
    const copy = path.join(work, 'kyso-bb-copy.pdf');
    copyFileSync(signed, copy);
    const out = path.join(work, 'kyso-bb-lt.pdf');
    const r = await extendPdf({
      input: copy,
      output: out,
      level: 'B-LT',
      tsa: { url: tsa.url },
      revocation: { cacheDir, retries: 0 },
    });
    expect(r.written).toBe(true);
    expect(r.timestamps.map((t) => t.role)).toEqual(['coverage']);
    expect(r.level).toBe('B-LT');
    expectPrefix(signed, out);
    await expectPdfsigValid(out, 1, 1);
    serversDown();
    const report = await verify(out);
    serversUp();
    expect(report.status).toBe('valid');
    expect(report.signatures[0]?.level).toBe('B-LT');
  });
});
