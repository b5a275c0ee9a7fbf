// Every certificate the tests can lay hands on, for comparing Kyso's certificate reading with
// pkijs/asn1js: the files of the test PKI, the Vietnamese CA files of test/corpus/trust, and the
// certificates inside the CMS signatures (and their timestamp tokens) of the PDFs of test/corpus/pdf.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as asn1js from 'asn1js';
import { pkiDir } from '../../support/fixtures.js';
import { corpusDir } from '../pdf/corpus.js';
import { filesUnder } from '../../support/files-under.js';

export interface CorpusCertificate {
  readonly der: Uint8Array;
  /** Where it was found first (a file, or a PDF). */
  readonly source: string;
}

/** The certificate files of the test PKI (keys, CRLs and PKCS#12 left out) and of test/corpus/trust. */
export function certificateFiles(): string[] {
  const pki = filesUnder(pkiDir()).filter(
    (f) => /\.(pem|der)$/.test(f) && !/\.key\.pem$|\.crl\.|\/ca\/|\/nssdb\//.test(f),
  );
  return [...pki, ...filesUnder(path.join(corpusDir, 'trust'))];
}

export function pemBlocks(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  const pem = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  return pem.length > 0 ? pem.map((m) => new Uint8Array(Buffer.from(m[2] ?? '', 'base64'))) : [bytes];
}

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const TIMESTAMP_TOKEN_ATTRIBUTE = '1.2.840.113549.1.9.16.2.14';

type Node = asn1js.AsnType;
const elements = (node: Node | undefined): Node[] => {
  const value = (node as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
  return Array.isArray(value) ? (value as Node[]) : [];
};
const isContext = (node: Node | undefined, n: number): boolean =>
  node !== undefined && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === n;
const oidText = (node: Node | undefined): string | undefined =>
  node instanceof asn1js.ObjectIdentifier ? node.valueBlock.toString() : undefined;

/** The certificates of a ContentInfo(SignedData), and of the timestamp tokens of its signers (asn1js). */
export function cmsCertificates(contentInfo: Node | undefined, out: Uint8Array[] = []): Uint8Array[] {
  const [type, content] = elements(contentInfo);
  if (oidText(type) !== SIGNED_DATA) return out;
  const signedData = elements(content)[0];
  const fields = elements(signedData);
  for (const field of fields) {
    if (!isContext(field, 0)) continue;
    for (const cert of elements(field)) {
      if (cert instanceof asn1js.Sequence) out.push(new Uint8Array(cert.valueBeforeDecodeView));
    }
  }
  for (const signerInfo of elements(fields[fields.length - 1])) {
    for (const attrs of elements(signerInfo).filter((f) => isContext(f, 1))) {
      for (const attr of elements(attrs)) {
        const [attrType, values] = elements(attr);
        if (oidText(attrType) === TIMESTAMP_TOKEN_ATTRIBUTE) {
          for (const token of elements(values)) cmsCertificates(token, out);
        }
      }
    }
  }
  return out;
}

function signatureContents(pdf: Buffer): Uint8Array[] {
  const text = pdf.toString('latin1');
  return [...text.matchAll(/\/Contents\s*<([0-9A-Fa-f\s]{200,})>/g)].map(
    (m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s/g, ''), 'hex')),
  );
}

let cached: { certificates: CorpusCertificate[]; files: string[]; signatures: number } | undefined;

/** Every distinct certificate (by SHA-256), with the number of PDF signatures they came from. */
export function certificateCorpus(): {
  certificates: CorpusCertificate[];
  files: string[];
  signatures: number;
} {
  if (cached !== undefined) return cached;
  const seen = new Map<string, CorpusCertificate>();
  const add = (der: Uint8Array, source: string): void => {
    const key = createHash('sha256').update(der).digest('hex');
    if (!seen.has(key)) seen.set(key, { der, source });
  };
  const files = certificateFiles();
  for (const file of files) {
    for (const block of pemBlocks(new Uint8Array(readFileSync(file)))) {
      const inBundle = cmsCertificates(asn1js.fromBER(block).result);
      if (inBundle.length > 0) inBundle.forEach((der) => add(der, `${file} (PKCS#7)`));
      else add(block, file);
    }
  }
  let signatures = 0;
  for (const file of filesUnder(path.join(corpusDir, 'pdf')).filter((f) => f.endsWith('.pdf'))) {
    for (const cms of signatureContents(readFileSync(file))) {
      let parsed: Node;
      try {
        parsed = asn1js.fromBER(cms, { maxNodes: 4_000_000, maxContentLength: 256 * 1024 * 1024 }).result;
      } catch {
        continue; // asn1js throws on some broken contents (a bad GeneralizedTime): not a source
      }
      const found = cmsCertificates(parsed);
      if (found.length > 0) signatures++;
      found.forEach((der) => add(der, path.relative(corpusDir, file)));
    }
  }
  cached = { certificates: [...seen.values()], files, signatures };
  return cached;
}
