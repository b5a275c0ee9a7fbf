// What a document's signatures need for long-term validation: each signature dictionary (found the
// way the verifier finds them), its VRI key (ETSI EN 319 142-1 §5.4.2.2: the upper-case hex SHA-1
// of the /Contents bytes), the certificate that signed it and the certificates it carries, and the
// RFC 3161 tokens inside it (signature timestamps) or that it is (document timestamps).
import { createHash } from 'node:crypto';
import { parseTimestampToken } from '../cms/index.js';
import type { PdfReader } from '../pdf/index.js';
import { CertificatePool } from '../verify/certificate-pool.js';
import { findSignerCertificate } from '../verify/cms-signature-check.js';
import { parseCmsSignature, type CmsSignature } from '../verify/cms-signature.js';
import { findSignatureDictionaries, type SignatureDictionary } from '../verify/signature-dictionaries.js';

export interface TimestampInventory {
  readonly genTime: Date;
  /** DER of the TSA certificate, when the token carries it. */
  readonly tsaCertificate: Uint8Array | undefined;
  readonly certificates: readonly Uint8Array[];
}

export interface SignatureInventory {
  readonly field: string;
  readonly type: 'signature' | 'document-timestamp';
  readonly subFilter: string | null;
  /** Upper-case hex SHA-1 of the /Contents bytes: the signature's key in /VRI. */
  readonly vriKey: string;
  /** End of the revision the signature covers (ByteRange end), or -1 when unknown. */
  readonly coveredEnd: number;
  /** The certificate that made the signature (for a document timestamp: the TSA's). */
  readonly signerCertificate: Uint8Array | undefined;
  /** Certificates the CMS carries. */
  readonly certificates: readonly Uint8Array[];
  /** Revocation data the CMS already carries (Adobe's archival attribute, RevocationInfoChoices). */
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  /** The signature timestamps of a CMS signature; for a document timestamp, the token itself. */
  readonly timestamps: readonly TimestampInventory[];
}

export function vriKey(contents: Uint8Array): string {
  return createHash('sha1').update(contents).digest('hex').toUpperCase();
}

function timestampOf(token: Uint8Array): TimestampInventory | undefined {
  try {
    // A token in /Contents is followed by zero padding: parse the DER element alone.
    const info = parseTimestampToken(trimmed(token));
    return { genTime: info.genTime, tsaCertificate: info.tsaCertificate, certificates: info.certificates };
  } catch {
    return undefined;
  }
}

/** The DER element at the start of `bytes`, without the padding after it. */
function trimmed(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x30) return bytes;
  const first = bytes[1]!;
  if (first < 0x80) return bytes.subarray(0, 2 + first);
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n) return bytes;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + bytes[2 + i]!;
  return bytes.subarray(0, Math.min(bytes.length, 2 + n + length));
}

function signerOf(cms: CmsSignature): Uint8Array | undefined {
  return findSignerCertificate(cms, new CertificatePool(cms.certificates))?.der;
}

function describe(sig: SignatureDictionary): SignatureInventory | undefined {
  if (sig.contents === null || sig.contents.length === 0) return undefined;
  const br = sig.byteRange;
  const coveredEnd = br?.length === 4 ? br[2]! + br[3]! : -1;
  const parsed = parseCmsSignature(sig.contents);
  if (!parsed.ok) return undefined;
  const cms = parsed.cms;
  const base = {
    field: sig.field,
    type: sig.type,
    subFilter: sig.subFilter,
    vriKey: vriKey(sig.contents),
    coveredEnd,
    signerCertificate: signerOf(cms),
    certificates: cms.certificates,
    ocsps: cms.ocsps,
    crls: cms.crls,
  };
  if (sig.type === 'document-timestamp') {
    const ts = timestampOf(sig.contents);
    return { ...base, timestamps: ts ? [ts] : [] };
  }
  const timestamps = cms.signatureTimestamps
    .map((t) => timestampOf(t))
    .filter((t): t is TimestampInventory => t !== undefined);
  return { ...base, timestamps };
}

/** Every signature and document timestamp of the document, oldest revision first. */
export async function inventorySignatures(reader: PdfReader): Promise<SignatureInventory[]> {
  const found = await findSignatureDictionaries(reader);
  return found
    .map(describe)
    .filter((s): s is SignatureInventory => s !== undefined)
    .sort((a, b) => a.coveredEnd - b.coveredEnd);
}
