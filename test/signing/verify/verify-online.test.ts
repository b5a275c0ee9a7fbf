// Revocation fetched over the network when the user allows it (--online): OCSP from the responder
// the certificate names, CRL when OCSP fails, and "could not be checked" as a warning when neither
// answers. Against a PKI of this file's own whose AIA/CRL-DP URLs name a live local server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openP12 } from '../../../src/signing/identity/index.js';
import { signPdf } from '../../../src/signing/sign/sign-pdf.js';
import { TrustStore } from '../../../src/signing/verify/trust-store.js';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import type { SignatureReport } from '../../../src/signing/verify/verification-report.js';
import { privatePki, type PrivatePki } from '../../servers/pki-server.js';
import { shadowReadyPdf } from './sample-documents.js';

let pki: PrivatePki;
let dir = '';
const signed: Record<string, string> = {};

beforeAll(async () => {
  pki = await privatePki();
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-verify-online-'));
  const base = path.join(dir, 'base.pdf');
  writeFileSync(base, shadowReadyPdf());
  for (const id of ['chairman-rsa2048', 'deputy-p256']) {
    const output = path.join(dir, `${id}.pdf`);
    await signPdf({ input: base, output, signer: await openP12(pki.file(`${id}.p12`), 'kyso-p12') });
    signed[id] = output;
  }
  // Revoked after signing: an OCSP answer "revoked" at a time after the claimed signing time
  // (both have one-second precision, hence the pause).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await pki.revoke('deputy-p256');
}, 240_000);

afterAll(async () => {
  await pki?.cleanup();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  pki.server.ocsp = 'ok';
  pki.server.crl = 'ok';
});

const trust = (): TrustStore =>
  TrustStore.fromCertificates([new Uint8Array(readFileSync(pki.file('root-ca.der')))]);

// No disk cache: each test sees what the servers answer now (the default, from the settings, caches).
async function verifyOne(file: string, online: boolean): Promise<SignatureReport> {
  const report = await verifyPdf({
    input: file,
    trust: trust(),
    online,
    lang: 'en',
    revocation: { cacheDir: null, retries: 0, timeoutMs: 3000 },
  });
  expect(report.signatures).toHaveLength(1);
  return report.signatures[0]!;
}

const revocation = (s: SignatureReport): { result: string; detail: string } | undefined =>
  s.checks.find((c) => c.id === 'revocation');

describe('online revocation', () => {
  it('offline: no request is made and the status is a warning', async () => {
    const before = pki.server.requests.ocsp + pki.server.requests.crl;
    const s = await verifyOne(signed['chairman-rsa2048']!, false);
    expect(s.status).toBe('valid');
    expect(revocation(s)?.result).toBe('warning');
    expect(pki.server.requests.ocsp + pki.server.requests.crl).toBe(before);
  });

  it('--online: a good OCSP answer passes the check', async () => {
    const before = pki.server.requests.ocsp;
    const s = await verifyOne(signed['chairman-rsa2048']!, true);
    expect(s.status, s.reason).toBe('valid');
    expect(revocation(s)).toMatchObject({ result: 'passed', detail: expect.stringContaining('online') });
    expect(pki.server.requests.ocsp).toBeGreaterThan(before);
  });

  it('--online: the CRL answers when the OCSP responder fails', async () => {
    pki.server.ocsp = 'http-500';
    const before = pki.server.requests.crl;
    const s = await verifyOne(signed['chairman-rsa2048']!, true);
    expect(revocation(s)?.result).toBe('passed');
    expect(pki.server.requests.crl).toBeGreaterThan(before);
  });

  it('--online: nobody answers → a warning, never a pass', async () => {
    pki.server.ocsp = 'http-500';
    pki.server.crl = 'http-500';
    const s = await verifyOne(signed['chairman-rsa2048']!, true);
    expect(s.status).toBe('valid');
    expect(revocation(s)?.result).toBe('warning');
    expect(revocation(s)?.detail).toContain('could not be checked');
  });

  it('--online: revoked after a claimed (unproven) signing time → indeterminate', async () => {
    const s = await verifyOne(signed['deputy-p256']!, true);
    expect(s.status).toBe('indeterminate');
    expect(s.subIndication).toBe('REVOKED_NO_POE');
  });

  it('--online with the settings: the revocation cache answers when the servers are down', async () => {
    const verify = () =>
      verifyPdf({ input: signed['chairman-rsa2048']!, trust: trust(), online: true, lang: 'en' });
    // OCSP answers here carry no nextUpdate (not kept): the CRLs, good for 30 days, are.
    pki.server.ocsp = 'http-500';
    const first = (await verify()).signatures[0]!;
    expect(revocation(first)?.result).toBe('passed');
    pki.server.crl = 'http-500';
    const before = pki.server.requests.crl;
    const s = (await verify()).signatures[0]!;
    expect(revocation(s)).toMatchObject({ result: 'passed', detail: expect.stringContaining('online') });
    expect(s.evidence?.revocation[0]).toMatchObject({ status: 'good', kind: 'crl', from: 'online' });
    expect(pki.server.requests.crl).toBe(before); // (the OCSP responder is still asked first)
  });
});
