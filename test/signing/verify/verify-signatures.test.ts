// verifyPdf on what Kyso and poppler sign: valid signatures of every key type, B-T with a real TSA,
// later signatures and a DSS that keep earlier ones valid, revocation from an embedded CRL, unknown
// roots, and tampered copies — each verdict compared with pdfsig's.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore } from '../../../src/signing/verify/trust-store.js';
import { verifyPdf } from '../../../src/signing/verify/verify-pdf.js';
import type { SignatureReport, VerificationReport } from '../../../src/signing/verify/verification-report.js';
import { startTsaServer, type TsaServer } from '../../servers/tsa-server.js';
import { fixturesDir, identity, pkiDir, pkiFile } from '../../support/fixtures.js';
import { pdfsigSign, pdfsigVerify, type PdfsigReport } from '../../support/pdfsig.js';
import { CORPUS_FILES, makeCorpus, corpusPdfDir } from '../pdf/corpus.js';
import { addDss } from './attack-samples.js';
import {
  changeHexDigit,
  flipByte,
  lastByteRange,
  shadowReadyPdf,
  signAs,
  testTrust,
  VISIBLE_TEXT,
  type IdentityId,
} from './sample-documents.js';

let dir = '';
let base = '';
let corpus = '';
let tsa: TsaServer;
const file = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kyso-verify-'));
  base = file('base.pdf');
  writeFileSync(base, shadowReadyPdf());
  corpus = makeCorpus();
  tsa = await startTsaServer({ pkiDir: pkiDir() });
});

afterAll(async () => {
  await tsa?.close();
  for (const d of [dir, corpus]) if (d !== '') rmSync(d, { recursive: true, force: true });
});

const pdfsig = (f: string): Promise<PdfsigReport> => pdfsigVerify(f, path.join(pkiDir(), 'nssdb'));

function only(report: VerificationReport): SignatureReport {
  expect(report.signatures).toHaveLength(1);
  return report.signatures[0]!;
}

const check = (s: SignatureReport, id: string): string | undefined =>
  s.checks.find((c) => c.id === id)?.result;

describe('signatures Kyso makes', () => {
  const cases: Array<{ id: IdentityId; pss?: boolean; algorithm: RegExp }> = [
    { id: 'chairman-rsa2048', algorithm: /RSA PKCS#1 v1\.5 SHA-256/ },
    { id: 'agency-rsa3072', pss: true, algorithm: /RSA-PSS SHA-256/ },
    { id: 'deputy-p256', algorithm: /ECDSA SHA-256/ },
    { id: 'clerk-p384', algorithm: /ECDSA SHA-256/ },
  ];
  for (const c of cases) {
    it(`${c.id}${c.pss ? ' (PSS)' : ''}: valid, with the signer's facts, as pdfsig says`, async () => {
      const out = file(`${c.id}${c.pss ? '-pss' : ''}.pdf`);
      await signAs(c.id, base, out, c.pss ? { pss: true } : {});
      const s = only(await verifyPdf({ input: out, trust: testTrust(), lang: 'en' }));
      const who = identity(c.id);
      expect(s.status, s.reason).toBe('valid');
      expect(s.signer.name).toBe(who.subjectCN);
      expect(s.signer.organization).toBe('UBND phường Đoàn Kết');
      expect(s.serial).toBe(who.serialHex.replace(/^0+/, ''));
      expect(s.issuer).toContain('Kyso Test Intermediate CA');
      expect(s.signatureAlgorithm).toMatch(c.algorithm);
      expect(s).toMatchObject({
        subFilter: 'ETSI.CAdES.detached',
        level: 'B-B',
        signingTimeSource: 'claimed',
      });
      expect(s.coverage).toMatchObject({ wholeDocument: true, revision: 2, revisions: 2 });
      // No OCSP/CRL in the document and no --online: a warning, never a pass.
      expect(check(s, 'revocation')).toBe('warning');
      expect(check(s, 'certificate-chain')).toBe('passed');
      const theirs = await pdfsig(out);
      expect(theirs.signatures.map((x) => x.valid)).toEqual([true]);
    });
  }

  it('every document of the signing corpus, signed: valid for us and for pdfsig', async () => {
    for (const name of CORPUS_FILES) {
      const out = file(`corpus-${name}`);
      await signAs('chairman-rsa2048', path.join(corpus, name), out);
      const report = await verifyPdf({ input: out, trust: testTrust(), lang: 'en' });
      const ours = report.signatures.map((s) => s.status);
      const theirs = (await pdfsig(out)).signatures.filter(
        (s) => s.signatureValidation !== 'The signature form field is not signed.',
      );
      expect(ours, `${name}: ${report.signatures.map((s) => s.reason).join(' / ')}`).toEqual(
        theirs.map(() => 'valid'),
      );
      expect(
        theirs.every((s) => s.valid),
        name,
      ).toBe(true);
    }
  }, 180_000);

  it('B-T: the timestamp fixes the signing time', async () => {
    const out = file('bt.pdf');
    await signAs('chairman-rsa2048', base, out, { tsa: { url: tsa.url } });
    const s = only(await verifyPdf({ input: out, trust: testTrust(), lang: 'en' }));
    expect(s.status, s.reason).toBe('valid');
    expect(s.level).toBe('B-T');
    expect(s.signingTimeSource).toBe('timestamp');
    expect(s.timestamp?.status).toBe('valid');
    expect(s.timestamp?.tsa).toBe('Kyso Test TSA');
    expect(check(s, 'timestamp')).toBe('passed');
    expect(Math.abs(Date.parse(s.signingTime!) - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('a later signature keeps the earlier one valid and is reported as an allowed change', async () => {
    const first = file('first.pdf');
    const second = file('second.pdf');
    await signAs('chairman-rsa2048', base, first);
    await signAs('clerk-p384', first, second);
    const report = await verifyPdf({ input: second, trust: testTrust(), lang: 'en' });
    expect(report.status).toBe('valid');
    expect(report.revisions).toBe(3);
    const [a, b] = report.signatures;
    expect(a?.coverage).toMatchObject({ wholeDocument: false, revision: 2, revisions: 3 });
    expect(a?.changesAfter).toEqual([
      {
        revision: 3,
        kind: 'signature-added',
        allowed: true,
        description: 'Revision 3: signature added in field Signature2.',
      },
    ]);
    expect(b?.coverage).toMatchObject({ wholeDocument: true, revision: 3 });
    expect((await pdfsig(second)).signatures.map((x) => x.valid)).toEqual([true, true]);
  });

  it('a DSS added later keeps the signature valid and answers the revocation question', async () => {
    const signed = file('dss-signed.pdf');
    const withDss = file('dss.pdf');
    await signAs('chairman-rsa2048', base, signed, { tsa: { url: tsa.url } });
    await addDss(signed, withDss, {
      certificates: [pkiFile('intermediate-ca.der'), pkiFile('root-ca.der')],
      crls: [pkiFile('intermediate-ca.crl.der'), pkiFile('root-ca.crl.der')],
    });
    const s = only(await verifyPdf({ input: withDss, trust: testTrust(), lang: 'en' }));
    expect(s.status, s.reason).toBe('valid');
    expect(check(s, 'revocation')).toBe('passed');
    expect(s.changesAfter.map((c) => [c.kind, c.allowed])).toContainEqual(['dss-updated', true]);
    expect(s.level).toBe('B-LT');
  });

  it('a certificate revoked before signing makes the signature invalid (CRL in the DSS)', async () => {
    const signed = file('revoked-signed.pdf');
    const withDss = file('revoked.pdf');
    await signAs('revoked-rsa2048', base, signed);
    await addDss(signed, withDss, {
      certificates: [],
      crls: [pkiFile('intermediate-ca.crl.der'), pkiFile('root-ca.crl.der')],
    });
    const s = only(await verifyPdf({ input: withDss, trust: testTrust(), lang: 'en' }));
    expect(s.status).toBe('invalid');
    expect(s.subIndication).toBe('REVOKED');
    expect(check(s, 'revocation')).toBe('failed');
  });

  it('an unknown root gives indeterminate, never valid', async () => {
    const out = file('unknown-root.pdf');
    await signAs('chairman-rsa2048', base, out);
    const none = only(await verifyPdf({ input: out, trust: TrustStore.empty(), lang: 'en' }));
    expect(none.status).toBe('indeterminate');
    expect(none.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    // Trusting certificates that did not issue this chain is no better: anchors are matched by
    // signature, and an intermediate alone is never an anchor.
    const other = TrustStore.fromCertificates([
      readFileSync(pkiFile('tsa.cert.der')),
      readFileSync(pkiFile('intermediate-ca.der')),
    ]);
    const s = only(await verifyPdf({ input: out, trust: other, lang: 'en' }));
    expect(s.status).toBe('indeterminate');
    expect(s.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('a byte changed in the signed range: invalid, and pdfsig agrees', async () => {
    const out = file('tamper-src.pdf');
    const tampered = file('tampered-range.pdf');
    await signAs('chairman-rsa2048', base, out);
    const at = readFileSync(out).indexOf(VISIBLE_TEXT);
    flipByte(out, tampered, at + 3);
    const s = only(await verifyPdf({ input: tampered, trust: testTrust(), lang: 'en' }));
    expect(s.status).toBe('invalid');
    expect(s.subIndication).toBe('HASH_FAILURE');
    expect((await pdfsig(tampered)).signatures.map((x) => x.valid)).toEqual([false]);
  });

  it('a digit changed in /Contents: invalid, and pdfsig agrees', async () => {
    const out = file('tamper-src2.pdf');
    const tampered = file('tampered-contents.pdf');
    await signAs('chairman-rsa2048', base, out);
    const bytes = readFileSync(out);
    const [, b, c] = lastByteRange(bytes);
    const hex = bytes.toString('latin1', b + 1, c - 1).replace(/0+$/, '');
    // The last bytes of the CMS are the end of the signature value: change one of them.
    changeHexDigit(out, tampered, b + 1 + hex.length - 10);
    const s = only(await verifyPdf({ input: tampered, trust: testTrust(), lang: 'en' }));
    expect(s.status).toBe('invalid');
    expect(['SIG_CRYPTO_FAILURE', 'FORMAT_FAILURE']).toContain(s.subIndication);
    expect((await pdfsig(tampered)).signatures.map((x) => x.valid)).toEqual([false]);
  });
});

describe("poppler's own signatures", () => {
  it('are valid for us as for pdfsig, and a tampered copy is invalid for both', async () => {
    const input = file('for-poppler.pdf');
    copyFileSync(path.join(corpus, 'simple-table.pdf'), input);
    const out = file('poppler.pdf');
    await pdfsigSign(fixturesDir(), input, out);
    // pdfsig embeds only the signer's certificate: the intermediate must come from the trust store
    // (as pdfsig's NSS database holds it), where it helps build the path without being an anchor.
    const rootOnly = only(await verifyPdf({ input: out, trust: testTrust(), lang: 'en' }));
    expect(rootOnly.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const trust = TrustStore.fromCertificates([
      readFileSync(pkiFile('root-ca.der')),
      readFileSync(pkiFile('intermediate-ca.der')),
    ]);
    const s = only(await verifyPdf({ input: out, trust, lang: 'en' }));
    expect(s.status, s.reason).toBe('valid');
    expect(s.subFilter).toBe('adbe.pkcs7.detached');
    expect(s.signer.name).toBe(identity('chairman-rsa2048').subjectCN);
    expect((await pdfsig(out)).signatures.map((x) => x.valid)).toEqual([true]);

    const tampered = file('poppler-tampered.pdf');
    // A byte inside the first page's content stream: the file still parses, the hash changes.
    flipByte(out, tampered, readFileSync(out).indexOf('stream\n') + 30);
    const t = only(await verifyPdf({ input: tampered, trust, lang: 'en' }));
    expect(t.status).toBe('invalid');
    expect((await pdfsig(tampered)).signatures.map((x) => x.valid)).toEqual([false]);
  });
});

describe('signatures of other tools (test/corpus)', () => {
  it('an iText PAdES B-LTA file: the signature, its DSS and document timestamp verify; unknown roots stay indeterminate', async () => {
    const input = path.join(
      corpusPdfDir,
      'signed/itext-java/sign/signatures/sign/PadesSignatureLevelTest/cmp_padesSignatureLevelLTATest01.pdf',
    );
    const report = await verifyPdf({ input, trust: testTrust(), lang: 'en' });
    expect(report.signatures.map((s) => s.type)).toEqual(['signature', 'document-timestamp']);
    for (const s of report.signatures) {
      expect(check(s, 'integrity'), s.field).toBe('passed');
      expect(check(s, 'signature'), s.field).toBe('passed');
      expect(s.status).toBe('indeterminate');
      expect(s.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    }
    expect(report.signatures[0]?.changesAfter.map((c) => [c.kind, c.allowed])).toEqual(
      expect.arrayContaining([
        ['dss-updated', true],
        ['document-timestamp-added', true],
      ]),
    );
    expect(report.signatures[0]?.changesAfter.every((c) => c.allowed)).toBe(true);
  });
});
