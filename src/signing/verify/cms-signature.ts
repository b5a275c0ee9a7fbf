// Reads the CMS SignedData of a PDF signature or of a timestamp token as another tool wrote it
// (RFC 5652; CAdES signed attributes; ESS signing-certificate(-v2), RFC 2634/5035; Adobe's
// revocation-info-archival attribute) without re-encoding what is verified: the signed attributes
// and the certificates are kept as the exact bytes that were signed.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  children as derChildren,
  DerError,
  encodedOf,
  isContext as derIsContext,
  isUniversal,
  readDer,
  type DerNode,
} from '../asn1/der-reader.js';
import { hashFromOid, type HashName } from './signature-algorithms.js';

export const CMS_OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
  riOcspResponse: '1.3.6.1.5.5.7.16.2',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
} as const;

/** ESSCertID(v2): the hash of the signer's certificate the signer committed to. */
export interface EssCertId {
  readonly hash: HashName | undefined;
  readonly certHash: Uint8Array;
  /** DER contents of the serial number INTEGER, when issuerSerial is present. */
  readonly serial: Uint8Array | undefined;
}

export interface CmsSignature {
  /** The SignedData without its certificates and CRLs (those are `certificates`, `crls`, `ocsps`). */
  readonly signedData: pkijs.SignedData;
  readonly signerInfo: pkijs.SignerInfo;
  readonly signerInfoCount: number;
  /** DER of each certificate carried, as carried. */
  readonly certificates: readonly Uint8Array[];
  /** DER CertificateLists and OCSPResponses carried in the CMS or its archival attribute. */
  readonly crls: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly digestOid: string;
  readonly digest: HashName | undefined;
  readonly signatureAlgorithm: pkijs.AlgorithmIdentifier;
  /** The signed bytes when there are signed attributes: their DER as a SET OF (tag 0x31). */
  readonly signedAttributes: Uint8Array | undefined;
  readonly messageDigest: Uint8Array | undefined;
  /** The content-type attribute (must equal eContentType). */
  readonly contentTypeAttribute: string | undefined;
  readonly eContentType: string;
  readonly eContent: Uint8Array | undefined;
  readonly signatureValue: Uint8Array;
  /** id-aa-signatureTimeStampToken values (DER ContentInfo each). */
  readonly signatureTimestamps: readonly Uint8Array[];
  readonly essCertId: EssCertId | undefined;
  readonly essVersion: 1 | 2 | undefined;
  /** The CMS signing-time attribute, if any (PAdES forbids it; older tools write it). */
  readonly signingTimeAttribute: Date | undefined;
}

export type CmsParseFailure = 'not-der' | 'not-signed-data' | 'no-signer';

export type CmsParseResult =
  | { readonly ok: true; readonly cms: CmsSignature }
  | { readonly ok: false; readonly reason: CmsParseFailure };

/**
 * Large CRLs carried in a CMS (revocation-info-archival) hold far more ASN.1 nodes than asn1js's
 * default limit of 10,000; the bytes are bounded by /Contents anyway.
 */
export const BER_OPTIONS = { maxNodes: 4_000_000, maxContentLength: 256 * 1024 * 1024 } as const;

/**
 * One BER element at the start of `bytes`. What follows it is ignored: /Contents is padded after
 * the CMS (usually with zeros, some tools with other bytes), and that padding lies in the unsigned
 * gap, so it cannot carry anything the signature vouches for.
 */
export function decodePadded(bytes: Uint8Array): asn1js.AsnType | undefined {
  if (bytes.length === 0) return undefined;
  const parsed = asn1js.fromBER(new Uint8Array(bytes), BER_OPTIONS);
  if (parsed.offset <= 0 || parsed.result.error !== '') return undefined;
  return parsed.result;
}

const raw = (e: asn1js.AsnType): Uint8Array => new Uint8Array(e.valueBeforeDecodeView);

function isContext(e: asn1js.AsnType | undefined, n: number): e is asn1js.Constructed {
  return e instanceof asn1js.Constructed && e.idBlock.tagClass === 3 && e.idBlock.tagNumber === n;
}

/** OCSPResponse DERs from RevocationInfoChoices: CertificateLists and id-ri-ocsp-response. */
function revocationChoices(field: asn1js.Constructed | undefined): {
  crls: Uint8Array[];
  ocsps: Uint8Array[];
} {
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  for (const e of field?.valueBlock.value ?? []) {
    if (e instanceof asn1js.Sequence) crls.push(raw(e));
    else if (isContext(e, 1)) {
      // OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OID, otherRevInfo ANY }, IMPLICIT [1]
      const [format, info] = e.valueBlock.value;
      if (
        format instanceof asn1js.ObjectIdentifier &&
        format.valueBlock.toString() === CMS_OID.riOcspResponse &&
        info
      ) {
        ocsps.push(raw(info));
      }
    }
  }
  return { crls, ocsps };
}

/** RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse, ... } */
function adbeArchival(value: asn1js.AsnType | undefined): { crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  if (!(value instanceof asn1js.Sequence)) return { crls, ocsps };
  for (const item of value.valueBlock.value) {
    const list = item instanceof asn1js.Constructed ? item.valueBlock.value[0] : undefined;
    if (!(list instanceof asn1js.Sequence)) continue;
    const target = isContext(item, 0) ? crls : isContext(item, 1) ? ocsps : null;
    if (target === null) continue;
    for (const e of list.valueBlock.value) if (e instanceof asn1js.Sequence) target.push(raw(e));
  }
  return { crls, ocsps };
}

function essCertId(value: asn1js.AsnType | undefined, v2: boolean): EssCertId | undefined {
  // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies OPTIONAL }
  const certs = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(first instanceof asn1js.Sequence)) return undefined;
  const fields = first.valueBlock.value;
  let index = 0;
  let hash: HashName | undefined = v2 ? 'sha256' : 'sha1';
  if (v2 && fields[0] instanceof asn1js.Sequence) {
    const oid = fields[0].valueBlock.value[0];
    hash = oid instanceof asn1js.ObjectIdentifier ? hashFromOid(oid.valueBlock.toString()) : undefined;
    index = 1;
  }
  const certHash = fields[index];
  if (!(certHash instanceof asn1js.OctetString)) return undefined;
  // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER }
  const issuerSerial = fields[index + 1];
  const serial = issuerSerial instanceof asn1js.Sequence ? issuerSerial.valueBlock.value[1] : undefined;
  return {
    hash,
    certHash: new Uint8Array(certHash.valueBlock.valueHexView),
    serial: serial instanceof asn1js.Integer ? new Uint8Array(serial.valueBlock.valueHexView) : undefined,
  };
}

function attributeValue(attrs: pkijs.Attribute[] | undefined, type: string): asn1js.AsnType | undefined {
  const found = attrs?.find((a) => a.type === type);
  return found?.values[0] as asn1js.AsnType | undefined;
}

function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

function derElement(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(1 + derLength(length).length + length);
  out[0] = tag;
  const len = derLength(length);
  out.set(len, 1);
  let at = 1 + len.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The ContentInfo with its SignedData's certificates [0] and CRLs [1] cut out by a DER walk, and
 * those fields as found: asn1js and pkijs then read only what they must (the certificates are a
 * large share of a signature and are used as raw DER anyway). Null when the walk finds anything
 * but plain DER (then everything is read by asn1js, which also takes BER).
 */
function splitSignedData(
  bytes: Uint8Array,
): { slim: Uint8Array; certificates: Uint8Array[]; crlField: Uint8Array | undefined } | null {
  try {
    const outer = readDer(bytes);
    const definite = (n: DerNode): boolean => n.contentEnd === n.end;
    const [type, wrapper] = derChildren(outer);
    if (!definite(outer) || type === undefined || !derIsContext(wrapper, 0) || !definite(wrapper))
      return null;
    const [sd] = derChildren(wrapper);
    if (sd === undefined || !isUniversal(sd, 16) || !definite(sd)) return null;
    const fields = derChildren(sd);
    const certField = fields.find((f) => derIsContext(f, 0));
    const crlField = fields.find((f) => derIsContext(f, 1));
    if (certField === undefined && crlField === undefined) return null;
    if (![sd, ...fields].every(definite) || (certField !== undefined && !certField.constructed)) return null;
    const certificates = (certField === undefined ? [] : derChildren(certField))
      .filter((c) => isUniversal(c, 16) && definite(c))
      .map((c) => new Uint8Array(encodedOf(c)));
    const kept = fields.filter((f) => f !== certField && f !== crlField).map((f) => encodedOf(f));
    const slim = derElement(0x30, [encodedOf(type), derElement(0xa0, [derElement(0x30, kept)])]);
    return {
      slim,
      certificates,
      crlField: crlField === undefined ? undefined : new Uint8Array(encodedOf(crlField)),
    };
  } catch (err) {
    if (err instanceof DerError) return null;
    throw err;
  }
}

/** Parses a DER (zero-padded) ContentInfo holding SignedData; the first SignerInfo is the signer. */
export function parseCmsSignature(bytes: Uint8Array): CmsParseResult {
  const split = splitSignedData(bytes);
  if (split !== null) {
    const crls = split.crlField === undefined ? undefined : decodePadded(split.crlField);
    const parsed = parseSignedData(split.slim, {
      certificates: split.certificates,
      crlField: crls instanceof asn1js.Constructed ? crls : undefined,
    });
    if (parsed.ok) return parsed;
  }
  return parseSignedData(bytes, undefined);
}

function parseSignedData(
  bytes: Uint8Array,
  cut: { certificates: Uint8Array[]; crlField: asn1js.Constructed | undefined } | undefined,
): CmsParseResult {
  const schema = decodePadded(bytes);
  if (!(schema instanceof asn1js.Sequence)) return { ok: false, reason: 'not-der' };
  let signedData: pkijs.SignedData;
  let signedDataSchema: asn1js.AsnType;
  try {
    const info = new pkijs.ContentInfo({ schema });
    if (info.contentType !== CMS_OID.signedData) return { ok: false, reason: 'not-signed-data' };
    signedDataSchema = info.content as asn1js.AsnType;
    // pkijs would also parse every certificate and CRL the SignedData carries (a fifth of a
    // verification's time); they are read from the raw DER below, so pkijs gets the rest only.
    const rest =
      signedDataSchema instanceof asn1js.Sequence
        ? new asn1js.Sequence({
            value: signedDataSchema.valueBlock.value.filter((e) => !isContext(e, 0) && !isContext(e, 1)),
          })
        : signedDataSchema;
    signedData = new pkijs.SignedData({ schema: rest });
  } catch {
    return { ok: false, reason: 'not-signed-data' };
  }
  const signerInfo = signedData.signerInfos[0];
  if (signerInfo === undefined) return { ok: false, reason: 'no-signer' };

  const sdFields = signedDataSchema instanceof asn1js.Sequence ? signedDataSchema.valueBlock.value : [];
  const certField = sdFields.find((e) => isContext(e, 0));
  const certificates =
    cut?.certificates ??
    (certField instanceof asn1js.Constructed ? certField.valueBlock.value : [])
      .filter((e) => e instanceof asn1js.Sequence)
      .map(raw);
  const revocation = revocationChoices(
    cut !== undefined
      ? cut.crlField
      : (sdFields.find((e) => isContext(e, 1)) as asn1js.Constructed | undefined),
  );

  // The raw signed attributes of the first SignerInfo: [0] IMPLICIT in the SignerInfo SEQUENCE.
  const signerInfos = sdFields.at(-1);
  const signerInfoSchema = signerInfos instanceof asn1js.Set ? signerInfos.valueBlock.value[0] : undefined;
  const signedAttrsRaw =
    signerInfoSchema instanceof asn1js.Sequence
      ? signerInfoSchema.valueBlock.value.find((e) => isContext(e, 0))
      : undefined;
  let signedAttributes: Uint8Array | undefined;
  if (signedAttrsRaw !== undefined) {
    // What was signed is the DER of the SET OF, i.e. the same bytes with the SET tag (RFC 5652 §5.4).
    signedAttributes = raw(signedAttrsRaw).slice();
    signedAttributes[0] = 0x31;
  }
  const attrs = signerInfo.signedAttrs?.attributes;
  const md = attributeValue(attrs, CMS_OID.messageDigest);
  const ct = attributeValue(attrs, CMS_OID.contentType);
  const st = attributeValue(attrs, CMS_OID.signingTime);
  const v2 = attributeValue(attrs, CMS_OID.signingCertificateV2);
  const v1 = attributeValue(attrs, CMS_OID.signingCertificate);
  const archival = adbeArchival(attributeValue(attrs, CMS_OID.adbeRevocationInfoArchival));

  const signatureTimestamps: Uint8Array[] = [];
  for (const a of signerInfo.unsignedAttrs?.attributes ?? []) {
    if (a.type !== CMS_OID.signatureTimeStampToken) continue;
    for (const v of a.values as asn1js.AsnType[]) signatureTimestamps.push(raw(v));
  }
  const eContent = signedData.encapContentInfo.eContent;
  let signingTimeAttribute: Date | undefined;
  if (st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime)
    signingTimeAttribute = st.toDate();

  const digestOid = signerInfo.digestAlgorithm.algorithmId;
  return {
    ok: true,
    cms: {
      signedData,
      signerInfo,
      signerInfoCount: signedData.signerInfos.length,
      certificates,
      crls: [...revocation.crls, ...archival.crls],
      ocsps: [...revocation.ocsps, ...archival.ocsps],
      digestOid,
      digest: hashFromOid(digestOid),
      signatureAlgorithm: signerInfo.signatureAlgorithm,
      signedAttributes,
      messageDigest:
        md instanceof asn1js.OctetString ? new Uint8Array(md.valueBlock.valueHexView) : undefined,
      contentTypeAttribute: ct instanceof asn1js.ObjectIdentifier ? ct.valueBlock.toString() : undefined,
      eContentType: signedData.encapContentInfo.eContentType,
      eContent: eContent === undefined ? undefined : new Uint8Array(eContent.getValue()),
      signatureValue: new Uint8Array(signerInfo.signature.valueBlock.valueHexView),
      signatureTimestamps,
      essCertId: v2 !== undefined ? essCertId(v2, true) : v1 !== undefined ? essCertId(v1, false) : undefined,
      essVersion: v2 !== undefined ? 2 : v1 !== undefined ? 1 : undefined,
      signingTimeAttribute,
    },
  };
}
