// The CMS of a signature is read by a DER walk, with asn1js + pkijs as the fallback for what the walk
// does not take (cms-signature.ts). Both must read the same fields from every signature other tools
// wrote: the signed corpus (pyHanko, iText, PDFBox, pdf.js samples, …) and the attack samples.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import {
  parseCmsSignature,
  parseCmsSignatureDer,
  parseCmsSignatureWithPkijs,
  type CmsParseResult,
} from '../../../src/signing/verify/cms-signature.js';
import { filesUnder } from '../../support/files-under.js';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../corpus/pdf');

/** Every hex string after /Contents in the file's bytes: signature values, and a few that are not. */
function contentsStrings(file: string): Buffer[] {
  const text = readFileSync(file).toString('latin1');
  const found: Buffer[] = [];
  for (const m of text.matchAll(/\/Contents\s*<([0-9A-Fa-f\s]{64,})>/g)) {
    found.push(Buffer.from(m[1]!.replace(/\s+/g, ''), 'hex'));
  }
  return found;
}

/** The fields as comparable values: asn1js parameters as their encoding. */
function comparable(result: CmsParseResult): unknown {
  if (!result.ok) return result;
  const { signatureAlgorithm, ...rest } = result.cms;
  const params = signatureAlgorithm.algorithmParams;
  return {
    ...rest,
    signatureAlgorithm: {
      algorithmId: signatureAlgorithm.algorithmId,
      params:
        params instanceof asn1js.BaseBlock && !(params instanceof asn1js.Null)
          ? Buffer.from(params.toBER(false)).toString('hex')
          : undefined,
    },
  };
}

describe('the CMS readers', () => {
  it('read the same fields from every signature of the signed corpus and the attack samples', () => {
    const files = [
      ...filesUnder(path.join(corpus, 'signed')),
      ...filesUnder(path.join(corpus, 'attacks')),
    ].filter((f) => f.endsWith('.pdf'));
    let walked = 0;
    let signatures = 0;
    const differences: string[] = [];
    for (const file of files) {
      for (const contents of contentsStrings(file)) {
        const reference = parseCmsSignatureWithPkijs(contents);
        if (!reference.ok && reference.reason === 'not-der') continue; // not a CMS at all
        signatures++;
        const walk = parseCmsSignatureDer(contents);
        if (walk === undefined) continue; // left to pkijs: nothing to compare
        walked++;
        try {
          expect(comparable(walk)).toEqual(comparable(reference));
        } catch {
          differences.push(path.relative(corpus, file));
        }
      }
    }
    expect(differences).toEqual([]);
    // The corpus holds hundreds of signatures, and the walk takes almost all of them.
    expect(signatures).toBeGreaterThan(300);
    expect(walked / signatures).toBeGreaterThan(0.95);
  });

  it('leave to pkijs what the walk does not take, and say what is not a signature', () => {
    // eContent as a constructed (BER) OCTET STRING: the walk declines, pkijs joins the segments.
    const oid = (s: string) => new asn1js.ObjectIdentifier({ value: s });
    const berContent = new asn1js.Sequence({
      value: [
        oid('1.2.840.113549.1.7.2'),
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 0 },
          value: [
            new asn1js.Sequence({
              value: [
                new asn1js.Integer({ value: 3 }),
                new asn1js.Set({ value: [] }),
                new asn1js.Sequence({
                  value: [
                    oid('1.2.840.113549.1.9.16.1.4'),
                    new asn1js.Constructed({
                      idBlock: { tagClass: 3, tagNumber: 0 },
                      value: [
                        new asn1js.OctetString({
                          idBlock: { isConstructed: true },
                          value: [
                            new asn1js.OctetString({ valueHex: Uint8Array.of(1, 2) }),
                            new asn1js.OctetString({ valueHex: Uint8Array.of(3) }),
                          ],
                        } as ConstructorParameters<typeof asn1js.OctetString>[0]),
                      ],
                    }),
                  ],
                }),
                new asn1js.Set({ value: [] }),
              ],
            }),
          ],
        }),
      ],
    });
    const bytes = new Uint8Array(berContent.toBER(false));
    expect(parseCmsSignatureDer(bytes)).toBeUndefined();
    // no SignerInfo: the same verdict from both ways in
    expect(parseCmsSignature(bytes)).toEqual({ ok: false, reason: 'no-signer' });
    expect(parseCmsSignature(Uint8Array.of(1, 2, 3))).toEqual({ ok: false, reason: 'not-der' });
    const data = new asn1js.Sequence({ value: [oid('1.2.840.113549.1.7.1')] });
    expect(parseCmsSignature(new Uint8Array(data.toBER(false)))).toEqual({
      ok: false,
      reason: 'not-signed-data',
    });
  });
});
