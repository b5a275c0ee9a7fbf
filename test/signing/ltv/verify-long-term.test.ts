// The verifier's use of long-term evidence: each signature's own DSS update (B-LT for a second
// B-LT signature too), B-LTA over both, a document timestamp as proof of existence for a signature
// whose certificate was revoked later, the evidence the report names, and an archive timestamp whose
// TSA certificate has expired by the validation time.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openP12 } from '../../../src/signing/identity/index.js';
import { extendPdf } from '../../../src/signing/ltv/index.js';
import type { Signer } from '../../../src/signing/cms/signer.js';
import { signPdf } from '../../../src/signing/sign/sign-pdf.js';
import { TrustStore } from '../../../src/signing/verify/trust-store.js';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import type { SignatureReport, VerificationReport } from '../../../src/signing/verify/verification-report.js';
import { privatePki, type PrivatePki } from '../../servers/pki-server.js';
import { startTsaServer, type TsaServer } from '../../servers/tsa-server.js';
import { makeCorpus } from '../pdf/corpus.js';

let pki: PrivatePki;
let tsa: TsaServer;
let corpus: string;
let work: string;
let cacheDir: string;

const signerOf = (id: string): Promise<Signer> => openP12(pki.file(`${id}.p12`), 'kyso-p12');
const der = (name: string): Uint8Array => new Uint8Array(readFileSync(pki.file(name)));
const trust = (): TrustStore => TrustStore.fromCertificates([der('root-ca.der')]);
const revocation = () => ({ client: { cacheDir, timeoutMs: 3000, retries: 0 } });

beforeAll(async () => {
  pki = await privatePki();
  tsa = await startTsaServer({ pkiDir: pki.pkiDir });
  corpus = makeCorpus();
  work = mkdtempSync(path.join(os.tmpdir(), 'kyso-ltv-verify-'));
  cacheDir = mkdtempSync(path.join(work, 'cache-'));
}, 240_000);
afterAll(async () => {
  await tsa?.close();
  await pki?.cleanup();
});

function servers(mode: 'ok' | 'reset'): void {
  pki.server.ocsp = mode;
  pki.server.crl = mode;
  pki.server.ca = mode;
}

async function verifyOffline(file: string, at?: Date): Promise<VerificationReport> {
  servers('reset');
  try {
    return await verifyPdf({ input: file, trust: trust(), lang: 'en', ...(at ? { at } : {}) });
  } finally {
    servers('ok');
  }
}

const check = (s: SignatureReport | undefined, id: string) => s?.checks.find((c) => c.id === id);
const why = (r: VerificationReport): string =>
  JSON.stringify(
    r.signatures.map((s) => s.checks),
    null,
    1,
  );

describe('levels per signature', () => {
  let twice = '';

  it('two B-LT signatures in a row: both B-LT, each with its own DSS update', async () => {
    servers('ok');
    const once = path.join(work, 'lt-1.pdf');
    twice = path.join(work, 'lt-2.pdf');
    await signPdf({
      input: path.join(corpus, 'simple-table.pdf'),
      output: once,
      signer: await signerOf('chairman-rsa2048'),
      options: { level: 'B-LT', tsa: { url: tsa.url }, revocation: revocation() },
    });
    await signPdf({
      input: once,
      output: twice,
      signer: await signerOf('clerk-p384'),
      options: { level: 'B-LT', tsa: { url: tsa.url }, revocation: revocation() },
    });
    const report = await verifyOffline(twice);
    expect(report.status, why(report)).toBe('valid');
    const sigs = report.signatures.filter((s) => s.type === 'signature');
    expect(sigs.map((s) => s.level)).toEqual(['B-LT', 'B-LT']);
    expect(sigs.map((s) => s.ltv)).toEqual(['LT', 'LT']);
    // Revisions: 1 original, 2 signature, 3 DSS, 4 signature, 5 DSS.
    expect(sigs.map((s) => s.coverage.revision)).toEqual([2, 4]);
    expect(sigs.map((s) => s.evidence?.dssRevision)).toEqual([3, 5]);
    for (const s of sigs) {
      expect(s.evidence?.time.source).toBe('signature-timestamp');
      expect(s.evidence?.revocation[0]).toMatchObject({ status: 'good', kind: 'ocsp', from: 'dss' });
      expect(s.evidence?.revocation[0]?.issuedAt).toMatch(/^\d{4}-/);
      expect(check(s, 'revocation')?.detail).toMatch(/OCSP response issued .* from the document's DSS/);
    }
  });

  it('extended to B-LTA: both B-LTA, naming the archive timestamp', async () => {
    servers('ok');
    const lta = path.join(work, 'lt-2-lta.pdf');
    await extendPdf({
      input: twice,
      output: lta,
      level: 'B-LTA',
      tsa: { url: tsa.url },
      revocation: { cacheDir: null, retries: 0 },
      home: null,
    });
    const report = await verifyOffline(lta);
    expect(report.status, why(report)).toBe('valid');
    const sigs = report.signatures.filter((s) => s.type === 'signature');
    expect(sigs.map((s) => s.level)).toEqual(['B-LTA', 'B-LTA']);
    expect(sigs.map((s) => s.ltv)).toEqual(['LTA', 'LTA']);
    const archive = report.signatures.find((s) => s.type === 'document-timestamp');
    expect(archive?.status).toBe('valid');
    for (const s of sigs) expect(s.evidence?.archiveTimestamps).toEqual([archive!.index]);
  });
});

describe('document timestamps as proof of existence', () => {
  it('a signature with only a claimed time, revoked after an archive timestamp: valid by the POE', async () => {
    servers('ok');
    const bb = path.join(work, 'poe-bb.pdf');
    const lta = path.join(work, 'poe-lta.pdf');
    const again = path.join(work, 'poe-lta-2.pdf');
    await signPdf({
      input: path.join(corpus, 'simple-table.pdf'),
      output: bb,
      signer: await signerOf('deputy-p256'),
    });
    await extendPdf({
      input: bb,
      output: lta,
      level: 'B-LTA',
      tsa: { url: tsa.url },
      revocation: { cacheDir: null, retries: 0 },
      home: null,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await pki.revoke('deputy-p256');
    // A renewal after the revocation brings the "revoked" answer into the DSS.
    await extendPdf({
      input: lta,
      output: again,
      level: 'B-LTA',
      tsa: { url: tsa.url },
      revocation: { cacheDir: null, retries: 0 },
      home: null,
    });
    const report = await verifyOffline(again);
    const s = report.signatures.find((x) => x.type === 'signature');
    expect(s?.status, why(report)).toBe('valid');
    expect(check(s, 'revocation')).toMatchObject({
      result: 'passed',
      detail: expect.stringContaining('document timestamp'),
    });
    expect(s?.evidence?.time.source).toBe('document-timestamp');
    const firstArchive = report.signatures.filter((x) => x.type === 'document-timestamp')[0];
    expect(s?.evidence?.time.at).toBe(firstArchive?.timestamp?.time);
    expect(s?.evidence?.revocation[0]).toMatchObject({ status: 'good', from: 'dss' });
  });
});

describe('archive timestamp renewal', () => {
  it('renewed in time with a second TSA whose certificate outlives the first: still B-LTA after the first expires', async () => {
    servers('ok');
    const tsa2 = await startTsaServer({ configPath: pki.file('tsa2.conf') });
    try {
      const lta = path.join(work, 'renew2-lta.pdf');
      await signPdf({
        input: path.join(corpus, 'simple-table.pdf'),
        output: lta,
        signer: await signerOf('chairman-rsa2048'),
        options: { level: 'B-LTA', tsa: { url: tsa.url }, revocation: revocation() },
      });
      const expiry = (name: string): Date =>
        new Date(new X509Certificate(readFileSync(pki.file(name))).validTo);
      const tsa1Expiry = expiry('tsa.cert.der');
      const tsa2Expiry = expiry('tsa2.cert.der');
      expect(tsa2Expiry.getTime()).toBeGreaterThan(tsa1Expiry.getTime());
      const DAY = 24 * 60 * 60 * 1000;

      // Not due yet (the first TSA's certificate has years left): nothing is written.
      const early = await extendPdf({
        input: lta,
        output: path.join(work, 'renew2-early.pdf'),
        level: 'B-LTA',
        tsa: { url: tsa2.url },
        revocation: revocation().client,
        onlyIfDue: true,
        home: null,
      });
      expect(early.written).toBe(false);

      // A month before the first TSA's certificate expires, within the 180-day margin: renewed.
      const renewed = path.join(work, 'renew2-renewed.pdf');
      const result = await extendPdf({
        input: lta,
        output: renewed,
        level: 'B-LTA',
        tsa: { url: tsa2.url },
        revocation: revocation().client,
        onlyIfDue: true,
        home: null,
        now: () => new Date(tsa1Expiry.getTime() - 30 * DAY),
      });
      expect(result.written).toBe(true);
      // The next renewal is due 180 days before the second TSA's certificate expires.
      expect(result.renewBy).not.toBeNull();
      expect(Math.abs(new Date(result.renewBy!).getTime() - (tsa2Expiry.getTime() - 180 * DAY))).toBeLessThan(
        DAY,
      );

      // A day after the first TSA's certificate expired: the second archive timestamp proves the first.
      const afterFirst = await verifyOffline(renewed, new Date(tsa1Expiry.getTime() + DAY));
      const archives = afterFirst.signatures.filter((x) => x.type === 'document-timestamp');
      expect(archives).toHaveLength(2);
      expect(archives.map((a) => a.timestamp?.tsa ?? '')).toEqual([
        expect.stringContaining('Kyso Test TSA'),
        expect.stringContaining('Kyso Test TSA 2'),
      ]);
      expect(
        archives.map((a) => a.status),
        why(afterFirst),
      ).toEqual(['valid', 'valid']);
      const signature = afterFirst.signatures.find((x) => x.type === 'signature');
      expect(signature?.status, why(afterFirst)).toBe('valid');
      expect(signature?.level).toBe('B-LTA');
      expect(signature?.evidence?.archiveTimestamps).toHaveLength(2);

      // Without the renewal the same day proves nothing (see the next test); after the second
      // TSA's certificate expires too, the chain ends unless renewed again.
      const afterSecond = await verifyOffline(renewed, new Date(tsa2Expiry.getTime() + DAY));
      const last = afterSecond.signatures.filter((x) => x.type === 'document-timestamp').at(-1);
      expect(last?.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
      expect(afterSecond.signatures.find((x) => x.type === 'signature')?.level).not.toBe('B-LTA');
    } finally {
      await tsa2.close();
    }
  });

  it('after the TSA certificate expires, an archive timestamp without a later one proves nothing', async () => {
    servers('ok');
    const lta = path.join(work, 'renew-lta.pdf');
    await signPdf({
      input: path.join(corpus, 'simple-table.pdf'),
      output: lta,
      signer: await signerOf('chairman-rsa2048'),
      options: { level: 'B-LTA', tsa: { url: tsa.url }, revocation: revocation() },
    });
    const now = await verifyOffline(lta);
    expect(now.status, why(now)).toBe('valid');
    const tsaExpiry = new Date(new X509Certificate(readFileSync(pki.file('tsa.cert.der'))).validTo);
    const later = new Date(tsaExpiry.getTime() + 24 * 60 * 60 * 1000);
    const report = await verifyOffline(lta, later);
    const archive = report.signatures.find((x) => x.type === 'document-timestamp');
    expect(archive?.status).toBe('indeterminate');
    expect(archive?.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    const s = report.signatures.find((x) => x.type === 'signature');
    // Neither the archive timestamp nor the signature timestamp proves anything any more.
    expect(s?.level).not.toBe('B-LTA');
    expect(check(s, 'timestamp')?.result).toBe('warning');
  });
});
