// `kyso extend` and `kyso sign --level B-LT|B-LTA` as a user runs them (the built CLI), against real
// OCSP/CRL/CA and TSA servers on 127.0.0.1 for a PKI of this file's own: a poppler-signed and a
// Kyso-signed B-B document become B-LT and B-LTA with their signatures still valid in pdfsig and in
// our verifier (with every server down), B-LTA is renewed only when due, and what cannot be fetched
// is said.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore } from '../../src/signing/verify/trust-store.js';
import { verifyPdf } from '../../src/signing/verify/verify-pdf.js';
import type { VerificationReport } from '../../src/signing/verify/verification-report.js';
import { pdfsigSign, pdfsigVerify } from '../support/pdfsig.js';
import { runKyso, type CliResult } from '../support/run-cli.js';
import { privatePki, type PrivatePki } from '../servers/pki-server.js';
import { startTsaServer, type TsaServer } from '../servers/tsa-server.js';
import { makeCorpus } from '../signing/pdf/corpus.js';

let pki: PrivatePki;
let tsa: TsaServer;
let corpus: string;
let work: string;
let home: string;

beforeAll(async () => {
  pki = await privatePki({ tokens: true });
  tsa = await startTsaServer({ pkiDir: pki.pkiDir });
  corpus = makeCorpus();
  work = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-extend-'));
  home = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-extend-home-'));
}, 300_000);
afterAll(async () => {
  await tsa?.close();
  await pki?.cleanup();
});

function kyso(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runKyso(args, {
    env: { KYSO_HOME: home, KYSO_LANG: 'en', KYSO_TEST_P12_PASSWORD: 'kyso-p12', ...env },
  });
}

const trust = (): TrustStore =>
  TrustStore.fromCertificates([new Uint8Array(readFileSync(pki.file('root-ca.der')))]);

function setServers(mode: 'ok' | 'reset'): void {
  pki.server.ocsp = mode;
  pki.server.crl = mode;
  pki.server.ca = mode;
}

/** Our verifier with every server down: only what the document carries counts. */
async function verifyOffline(file: string): Promise<VerificationReport> {
  setServers('reset');
  try {
    return await verifyPdf({ input: file, trust: trust(), online: true, lang: 'en' });
  } finally {
    setServers('ok');
  }
}

/** pdfsig: the CMS signatures valid; RFC 3161 document timestamps counted (poppler 22.12 cannot check them). */
async function expectPdfsig(file: string, signatures: number, documentTimestamps: number): Promise<void> {
  const report = await pdfsigVerify(file, pki.file('nssdb'));
  const signed = report.signatures.filter((s) => !/form field is not signed/.test(s.signatureValidation));
  const stamps = signed.filter(
    (s) => s.signatureType === 'unknown' && /not yet been verified/.test(s.signatureValidation),
  );
  const sigs = signed.filter((s) => !stamps.includes(s));
  expect(sigs.length, report.raw).toBe(signatures);
  expect(stamps.length, report.raw).toBe(documentTimestamps);
  for (const s of sigs) expect(s.valid, `${file} #${s.index}: ${s.signatureValidation}`).toBe(true);
}

function expectPrefix(original: string, output: string): void {
  const a = readFileSync(original);
  expect(readFileSync(output).subarray(0, a.length).equals(a)).toBe(true);
}

const revocationCheck = (r: VerificationReport, i: number): string | undefined =>
  r.signatures[i]?.checks.find((c) => c.id === 'revocation')?.result;

describe('kyso extend', () => {
  it('makes a poppler-signed document B-LTA; its signature stays valid in pdfsig and in our verifier', async () => {
    const input = path.join(work, 'poppler.pdf');
    await pdfsigSign(pki.fixtures, path.join(corpus, 'simple-table.pdf'), input);
    const output = path.join(work, 'poppler-lta.pdf');
    const r = await kyso(['extend', input, '-o', output, '--level', 'B-LTA', '--tsa', tsa.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('level B-LTA');
    expect(r.stdout).toMatch(/Renew \(kyso extend --level B-LTA\) before \d\d\/\d\d\/\d{4}/);
    expectPrefix(input, output);
    // the signature, the document timestamp it needed (B-T), and the archive timestamp
    await expectPdfsig(output, 1, 2);
    const report = await verifyOffline(output);
    expect(report.status, JSON.stringify(report.signatures.map((s) => s.checks))).toBe('valid');
    expect(report.signatures.map((s) => s.type)).toEqual([
      'signature',
      'document-timestamp',
      'document-timestamp',
    ]);
    expect(revocationCheck(report, 0)).toBe('passed');
  });

  it('makes a Kyso-signed B-B document B-LT, then B-LTA; renews B-LTA only when due', async () => {
    const signed = path.join(work, 'kyso-bb.pdf');
    const s = await kyso([
      'sign',
      path.join(corpus, 'objstm.pdf'),
      '-o',
      signed,
      '--p12',
      pki.file('agency-rsa3072.p12'),
      '--pin-env',
      'KYSO_TEST_P12_PASSWORD',
    ]);
    expect(s.code, s.stderr).toBe(0);

    const lt = path.join(work, 'kyso-lt.pdf');
    const a = await kyso(['extend', signed, '-o', lt, '--level', 'B-LT', '--tsa', tsa.url, '--json']);
    expect(a.code, a.stderr).toBe(0);
    const ltResult = JSON.parse(a.stdout) as {
      level: string;
      timestamps: Array<{ role: string }>;
      written: boolean;
    };
    expect(ltResult).toMatchObject({ level: 'B-LT', written: true });
    expect(ltResult.timestamps.map((t) => t.role)).toEqual(['coverage']);
    expectPrefix(signed, lt);
    await expectPdfsig(lt, 1, 1);
    const ltReport = await verifyOffline(lt);
    expect(ltReport.status).toBe('valid');
    expect(ltReport.signatures[0]?.level).toBe('B-LT');

    const lta = path.join(work, 'kyso-lta.pdf');
    const b = await kyso(['extend', lt, '-o', lta, '--level', 'B-LTA', '--tsa', tsa.url]);
    expect(b.code, b.stderr).toBe(0);
    expectPrefix(lt, lta);
    await expectPdfsig(lta, 1, 2);
    const ltaReport = await verifyOffline(lta);
    expect(ltaReport.status).toBe('valid');
    expect(ltaReport.signatures[0]?.level).toBe('B-LTA');

    // Not due: nothing is written.
    const again = path.join(work, 'kyso-lta-again.pdf');
    const c = await kyso(['extend', lta, '-o', again, '--level', 'B-LTA', '--tsa', tsa.url, '--if-due']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain('Nothing to do yet');
    expect(existsSync(again)).toBe(false);

    // Due (the policy renews ten years ahead, beyond the TSA certificate's life): renewed.
    const policyHome = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-extend-policy-'));
    writeFileSync(
      path.join(policyHome, 'settings.json'),
      JSON.stringify({ ltv: { renewBeforeDays: 3650 }, tsa: { url: tsa.url } }),
    );
    const renewed = path.join(work, 'kyso-lta-renewed.pdf');
    const d = await kyso(['extend', lta, '-o', renewed, '--if-due'], { KYSO_HOME: policyHome });
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toContain('level B-LTA');
    expectPrefix(lta, renewed);
    await expectPdfsig(renewed, 1, 3);
    const renewedReport = await verifyOffline(renewed);
    expect(renewedReport.status).toBe('valid');
    expect(renewedReport.signatures.filter((x) => x.type === 'document-timestamp')).toHaveLength(3);
  });

  it('offline without cached data: says what it could not fetch and exits 1', async () => {
    const signed = path.join(work, 'offline-bb.pdf');
    const s = await kyso([
      'sign',
      path.join(corpus, 'simple-table.pdf'),
      '-o',
      signed,
      '--p12',
      pki.file('deputy-p256.p12'),
      '--pin-env',
      'KYSO_TEST_P12_PASSWORD',
    ]);
    expect(s.code, s.stderr).toBe(0);
    const emptyHome = mkdtempSync(path.join(os.tmpdir(), 'kyso-cli-extend-empty-'));
    const out = path.join(work, 'offline-lt.pdf');
    const r = await kyso(['extend', signed, '-o', out, '--level', 'B-LT', '--tsa', tsa.url, '--offline'], {
      KYSO_HOME: emptyHome,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('only B-T was reached');
    expect(r.stderr).toContain(`OCSP ${pki.server.baseUrl}/ocsp: offline`);
    expect(r.stdout).toContain('revocation data missing');
  });

  it('refuses a document without signatures, and usage errors', async () => {
    const r = await kyso([
      'extend',
      path.join(corpus, 'simple-table.pdf'),
      '-o',
      path.join(work, 'x.pdf'),
      '--level',
      'B-LT',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[PDF_NOT_SIGNED]');
    const u = await kyso([
      'extend',
      path.join(corpus, 'simple-table.pdf'),
      '-o',
      path.join(work, 'y.pdf'),
      '--level',
      'B-LTA',
    ]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('[USAGE]');
  });
});

describe('kyso sign --level', () => {
  it('B-LT in one go, with the revocation cache in the data folder', async () => {
    const out = path.join(work, 'sign-lt.pdf');
    const r = await kyso([
      'sign',
      path.join(corpus, 'simple-table.pdf'),
      '-o',
      out,
      '--p12',
      pki.file('clerk-p384.p12'),
      '--pin-env',
      'KYSO_TEST_P12_PASSWORD',
      '--level',
      'B-LT',
      '--tsa',
      tsa.url,
    ]);
    expect(r.stderr).not.toContain('Warning'); // progress lines only
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('B-LT');
    expect(existsSync(path.join(home, 'cache', 'revocation'))).toBe(true);
    const report = await verifyOffline(out);
    expect(report.status).toBe('valid');
    expect(report.signatures[0]?.level).toBe('B-LT');
  });

  it('refuses a revoked certificate with the revocation date', async () => {
    const r = await kyso([
      'sign',
      path.join(corpus, 'simple-table.pdf'),
      '-o',
      path.join(work, 'revoked.pdf'),
      '--p12',
      pki.file('revoked-rsa2048.p12'),
      '--pin-env',
      'KYSO_TEST_P12_PASSWORD',
      '--level',
      'B-LT',
      '--tsa',
      tsa.url,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /The certificate was revoked on \d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d \+07:00\. \[CERT_REVOKED\]/,
    );
    expect(existsSync(path.join(work, 'revoked.pdf'))).toBe(false);
  });

  it('--level takes B-LT and B-LTA only with --tsa', async () => {
    const r = await kyso([
      'sign',
      path.join(corpus, 'simple-table.pdf'),
      '-o',
      path.join(work, 'z.pdf'),
      '--demo',
      '--level',
      'B-LTA',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--level B-LTA needs --tsa URL');
  });
});
