// Certificates judged at the signing time: expired, not yet valid, not meant for signing, revoked
// before or after. signPdf refuses such certificates, so its pre-signing check is switched off here
// to make the signatures a careless or hostile tool would make.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import type { SignatureReport } from '../../../src/signing/verify/verification-report.js';
import { startTsaServer, type TsaServer } from '../../servers/tsa-server.js';
import { identity, pkiDir, pkiFile } from '../../support/fixtures.js';
import { addDss } from './attack-samples.js';
import { shadowReadyPdf, signAs, testTrust, type IdentityId } from './sample-documents.js';

vi.mock('../../../src/signing/sign/certificate-checks.js', () => ({
  assertCertificateCanSign: () => undefined,
}));

let dir = '';
let base = '';
let tsa: TsaServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-verify-time-'));
  base = path.join(dir, 'base.pdf');
  writeFileSync(base, shadowReadyPdf());
  tsa = await startTsaServer({ pkiDir: pkiDir() });
});

afterAll(async () => {
  await tsa?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

async function verifySigned(
  id: IdentityId,
  name: string,
  options: Parameters<typeof signAs>[3] = {},
): Promise<SignatureReport> {
  const out = path.join(dir, name);
  await signAs(id, base, out, options);
  const report = await verifyPdf({ input: out, trust: testTrust(), lang: 'en' });
  expect(report.signatures).toHaveLength(1);
  return report.signatures[0]!;
}

const result = (s: SignatureReport, id: string): string | undefined =>
  s.checks.find((c) => c.id === id)?.result;

describe('validity at the signing time', () => {
  it('a certificate expired when the signature claims to be made: invalid', async () => {
    const s = await verifySigned('expired-rsa2048', 'expired.pdf');
    expect(s.status).toBe('invalid');
    expect(s.subIndication).toBe('EXPIRED');
    expect(s.signingTimeSource).toBe('claimed');
    expect(result(s, 'certificate-validity')).toBe('failed');
    expect(s.reason).toMatch(/expired on .*\(claimed\)/);
  });

  it('the same certificate, with a claimed time inside its validity: valid as claimed', async () => {
    const notAfter = new Date(identity('expired-rsa2048').notAfter);
    const s = await verifySigned('expired-rsa2048', 'expired-claimed.pdf', {
      signingTime: new Date(notAfter.getTime() - 30 * 86_400_000),
    });
    expect(s.status, s.reason).toBe('valid');
    expect(s.signingTimeSource).toBe('claimed');
  });

  it('a timestamp proving the signature came after expiry wins over the claim: invalid', async () => {
    const notAfter = new Date(identity('expired-rsa2048').notAfter);
    const s = await verifySigned('expired-rsa2048', 'expired-stamped.pdf', {
      signingTime: new Date(notAfter.getTime() - 30 * 86_400_000),
      tsa: { url: tsa.url },
    });
    expect(s.status).toBe('invalid');
    expect(s.subIndication).toBe('EXPIRED');
    expect(s.signingTimeSource).toBe('timestamp');
  });

  it('a certificate not yet valid: invalid', async () => {
    const s = await verifySigned('notyet-rsa2048', 'notyet.pdf');
    expect(s.status).toBe('invalid');
    expect(s.subIndication).toBe('NOT_YET_VALID');
  });

  it('a certificate without a signing key usage: invalid', async () => {
    const s = await verifySigned('nosign-rsa2048', 'nosign.pdf');
    expect(s.status).toBe('invalid');
    expect(s.subIndication).toBe('SIG_CONSTRAINTS_FAILURE');
    expect(result(s, 'key-usage')).toBe('failed');
  });

  it('revoked after a claimed time that nothing proves: indeterminate, not valid', async () => {
    const notBefore = new Date(identity('revoked-rsa2048').notBefore);
    const signed = path.join(dir, 'revoked-claim-src.pdf');
    const out = path.join(dir, 'revoked-claim.pdf');
    await signAs('revoked-rsa2048', base, signed, { signingTime: new Date(notBefore.getTime() + 60_000) });
    await addDss(signed, out, {
      certificates: [],
      crls: [pkiFile('intermediate-ca.crl.der'), pkiFile('root-ca.crl.der')],
    });
    const report = await verifyPdf({ input: out, trust: testTrust(), lang: 'en' });
    const s = report.signatures[0]!;
    expect(s.status).toBe('indeterminate');
    expect(s.subIndication).toBe('REVOKED_NO_POE');
  });
});
