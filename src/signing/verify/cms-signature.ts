// Reads the CMS SignedData of a PDF signature or of a timestamp token as another tool wrote it
// (RFC 5652; CAdES signed attributes; ESS signing-certificate(-v2), RFC 2634/5035; Adobe's
// revocation-info-archival attribute) without re-encoding what is verified: the signed attributes
// and the certificates are kept as the exact bytes that were signed.
//
// Two readers give the same result: a walk with Kyso's DER reader (asn1/der-reader), which reads
// only the fields verification uses, as views over the input; and asn1js + pkijs, which take any
// BER and are used when the walk meets something it does not take (a constructed OCTET STRING, an
// unexpected shape). The walk exists for speed: asn1js builds an object per element and was most of
// the time of verifying a folder of documents. A test reads every signature of the signed corpus
// with both and compares every field.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  children as derChildren,
  contentOf,
  DerError,
  encodedOf,
  integerBytesOf,
  isContext as derIsContext,
  isUniversal,
  oidOf,
  readDer,
  Tag,
  timeOf,
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

/**
 * Which certificate signed (SignerIdentifier, RFC 5652 §5.3): the issuer's Name (DER, as encoded)
 * and the serial number's INTEGER contents, or a subject key identifier.
 */
export type SignerId =
  | { readonly kind: 'issuer-serial'; readonly issuer: Uint8Array; readonly serial: Uint8Array }
  | { readonly kind: 'key-id'; readonly keyId: Uint8Array }
  | { readonly kind: 'unknown' };

/** An AlgorithmIdentifier: the OID, and the parameters as asn1js reads them (RSASSA-PSS needs them). */
export interface AlgorithmRef {
  readonly algorithmId: string;
  readonly algorithmParams?: unknown;
}

export interface CmsSignature {
  readonly signerId: SignerId;
  readonly signerInfoCount: number;
  /** DER of each certificate carried, as carried. */
  readonly certificates: readonly Uint8Array[];
  /** DER CertificateLists and OCSPResponses carried in the CMS or its archival attribute. */
  readonly crls: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly digestOid: string;
  readonly digest: HashName | undefined;
  readonly signatureAlgorithm: AlgorithmRef;
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

/** Parses a DER (zero-padded) ContentInfo holding SignedData; the first SignerInfo is the signer. */
export function parseCmsSignature(bytes: Uint8Array): CmsParseResult {
  return parseCmsSignatureDer(bytes) ?? parseCmsSignatureWithPkijs(bytes);
}

// ---------------------------------------------------------------------------------------------
// The attribute values, read from their DER (both readers hand them over as bytes).

/** The DER reader's error, or null: a value of an unexpected shape is read as absent. */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof DerError) return undefined;
    throw err;
  }
}

const copy = (node: DerNode): Uint8Array => new Uint8Array(encodedOf(node));

/** OCSPResponse DERs from RevocationInfoChoices: CertificateLists and id-ri-ocsp-response. */
function revocationChoices(
  field: DerNode | undefined,
  out: { crls: Uint8Array[]; ocsps: Uint8Array[] },
): void {
  if (field === undefined || !field.constructed) return;
  for (const e of derChildren(field)) {
    if (e.tagClass === 0 && e.tagNumber === Tag.sequence) out.crls.push(copy(e));
    else if (e.tagClass === 2 && e.tagNumber === 1 && e.constructed) {
      // OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OID, otherRevInfo ANY }, IMPLICIT [1]
      const [format, info] = derChildren(e);
      if (
        isUniversal(format, Tag.objectIdentifier) &&
        attempt(() => oidOf(format)) === CMS_OID.riOcspResponse &&
        info !== undefined
      ) {
        out.ocsps.push(copy(info));
      }
    }
  }
}

/** RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse, ... } */
function adbeArchival(value: DerNode | undefined, out: { crls: Uint8Array[]; ocsps: Uint8Array[] }): void {
  if (!isUniversal(value, Tag.sequence) || !value.constructed) return;
  for (const item of derChildren(value)) {
    if (!item.constructed) continue;
    const list = derChildren(item)[0];
    if (!isUniversal(list, Tag.sequence) || !list.constructed) continue;
    const target = derIsContext(item, 0) ? out.crls : derIsContext(item, 1) ? out.ocsps : null;
    if (target === null) continue;
    for (const e of derChildren(list)) if (isUniversal(e, Tag.sequence)) target.push(copy(e));
  }
}

function essCertId(value: DerNode | undefined, v2: boolean): EssCertId | undefined {
  // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies OPTIONAL }
  if (!isUniversal(value, Tag.sequence) || !value.constructed) return undefined;
  const certs = derChildren(value)[0];
  if (!isUniversal(certs, Tag.sequence) || !certs.constructed) return undefined;
  const first = derChildren(certs)[0];
  if (!isUniversal(first, Tag.sequence) || !first.constructed) return undefined;
  const fields = derChildren(first);
  let index = 0;
  let hash: HashName | undefined = v2 ? 'sha256' : 'sha1';
  const algorithm = fields[0];
  if (v2 && isUniversal(algorithm, Tag.sequence) && algorithm.constructed) {
    const oid = derChildren(algorithm)[0];
    hash = isUniversal(oid, Tag.objectIdentifier) ? hashFromOid(oidOf(oid)) : undefined;
    index = 1;
  }
  const certHash = fields[index];
  if (!isUniversal(certHash, Tag.octetString) || certHash.constructed) return undefined;
  // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER }
  const issuerSerial = fields[index + 1];
  const serial =
    isUniversal(issuerSerial, Tag.sequence) && issuerSerial.constructed
      ? derChildren(issuerSerial)[1]
      : undefined;
  return {
    hash,
    certHash: new Uint8Array(contentOf(certHash)),
    serial:
      isUniversal(serial, Tag.integer) && !serial.constructed ? new Uint8Array(contentOf(serial)) : undefined,
  };
}

/** The first value of each attribute (SEQUENCE { type OID, values SET }) by type, as DER nodes. */
interface AttributeValues {
  first(type: string): DerNode | undefined;
  all(type: string): DerNode[];
}

function attributesOf(set: DerNode | undefined): AttributeValues {
  const byType = new Map<string, DerNode[]>();
  if (set !== undefined && set.constructed) {
    for (const attribute of derChildren(set)) {
      if (!isUniversal(attribute, Tag.sequence) || !attribute.constructed) throw new DerError('attribute');
      const [type, values] = derChildren(attribute);
      if (!isUniversal(type, Tag.objectIdentifier) || !isUniversal(values, Tag.set) || !values.constructed)
        throw new DerError('attribute');
      const key = oidOf(type);
      const list = byType.get(key) ?? [];
      list.push(...derChildren(values));
      byType.set(key, list);
    }
  }
  return {
    first: (type) => byType.get(type)?.[0],
    all: (type) => byType.get(type) ?? [],
  };
}

/** The fields read from the signed and unsigned attributes, whichever reader found them. */
function attributeFields(
  signed: AttributeValues,
  unsigned: AttributeValues,
  revocation: { crls: Uint8Array[]; ocsps: Uint8Array[] },
): Pick<
  CmsSignature,
  | 'messageDigest'
  | 'contentTypeAttribute'
  | 'signingTimeAttribute'
  | 'essCertId'
  | 'essVersion'
  | 'signatureTimestamps'
  | 'crls'
  | 'ocsps'
> {
  const md = signed.first(CMS_OID.messageDigest);
  const ct = signed.first(CMS_OID.contentType);
  const st = signed.first(CMS_OID.signingTime);
  const v2 = signed.first(CMS_OID.signingCertificateV2);
  const v1 = signed.first(CMS_OID.signingCertificate);
  adbeArchival(signed.first(CMS_OID.adbeRevocationInfoArchival), revocation);
  return {
    messageDigest:
      isUniversal(md, Tag.octetString) && !md.constructed ? new Uint8Array(contentOf(md)) : undefined,
    contentTypeAttribute: isUniversal(ct, Tag.objectIdentifier) ? attempt(() => oidOf(ct)) : undefined,
    signingTimeAttribute:
      isUniversal(st, Tag.utcTime) || isUniversal(st, Tag.generalizedTime)
        ? attempt(() => timeOf(st))
        : undefined,
    essCertId:
      v2 !== undefined
        ? attempt(() => essCertId(v2, true))
        : v1 !== undefined
          ? attempt(() => essCertId(v1, false))
          : undefined,
    essVersion: v2 !== undefined ? 2 : v1 !== undefined ? 1 : undefined,
    signatureTimestamps: unsigned.all(CMS_OID.signatureTimeStampToken).map(copy),
    crls: revocation.crls,
    ocsps: revocation.ocsps,
  };
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
function algorithmOf(node: DerNode | undefined): AlgorithmRef {
  if (!isUniversal(node, Tag.sequence) || !node.constructed) throw new DerError('AlgorithmIdentifier');
  const [oid, params] = derChildren(node);
  if (!isUniversal(oid, Tag.objectIdentifier)) throw new DerError('AlgorithmIdentifier');
  const algorithmId = oidOf(oid);
  // Only RSASSA-PSS reads its parameters (signature-algorithms.ts), as asn1js values: they are a
  // few dozen bytes, parsed when present and not NULL.
  if (params === undefined || isUniversal(params, Tag.null)) return { algorithmId };
  return { algorithmId, algorithmParams: asn1js.fromBER(new Uint8Array(encodedOf(params))).result };
}

// ---------------------------------------------------------------------------------------------
// The DER walk.

/**
 * Reads the ContentInfo with the DER reader; undefined when it meets anything it does not take,
 * and then asn1js and pkijs read it (they take BER, and decide what is malformed).
 */
export function parseCmsSignatureDer(bytes: Uint8Array): CmsParseResult | undefined {
  try {
    return walkSignedData(bytes);
  } catch (err) {
    if (err instanceof DerError) return undefined;
    throw err;
  }
}

function walkSignedData(bytes: Uint8Array): CmsParseResult | undefined {
  if (bytes.length === 0) return undefined;
  const info = readDer(bytes);
  if (!isUniversal(info, Tag.sequence) || !info.constructed) return undefined;
  const [type, wrapper] = derChildren(info);
  if (!isUniversal(type, Tag.objectIdentifier) || !derIsContext(wrapper, 0) || !wrapper.constructed)
    return undefined;
  if (oidOf(type) !== CMS_OID.signedData) return { ok: false, reason: 'not-signed-data' };
  const [sd] = derChildren(wrapper);
  if (!isUniversal(sd, Tag.sequence) || !sd.constructed) return undefined;
  // SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, certificates [0]
  //   IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET }
  const fields = derChildren(sd);
  const [version, digestAlgorithms, encap] = fields;
  const signerInfos = fields.at(-1);
  if (
    !isUniversal(version, Tag.integer) ||
    !isUniversal(digestAlgorithms, Tag.set) ||
    !isUniversal(encap, Tag.sequence) ||
    !encap.constructed ||
    !isUniversal(signerInfos, Tag.set) ||
    !signerInfos.constructed ||
    fields.length > 6
  )
    return undefined;
  const optional = fields.slice(3, -1);
  const certField = optional.find((f) => derIsContext(f, 0));
  const crlField = optional.find((f) => derIsContext(f, 1));
  if (optional.some((f) => f !== certField && f !== crlField)) return undefined;
  if (certField !== undefined && !certField.constructed) return undefined;

  // EncapsulatedContentInfo ::= SEQUENCE { eContentType OID, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
  const [eType, eWrapper] = derChildren(encap);
  if (!isUniversal(eType, Tag.objectIdentifier)) return undefined;
  let eContent: Uint8Array | undefined;
  if (eWrapper !== undefined) {
    if (!derIsContext(eWrapper, 0) || !eWrapper.constructed) return undefined;
    const [octets] = derChildren(eWrapper);
    // A constructed (BER) OCTET STRING is left to asn1js, which joins its segments.
    if (!isUniversal(octets, Tag.octetString) || octets.constructed) return undefined;
    eContent = new Uint8Array(contentOf(octets));
  }

  const infos = derChildren(signerInfos);
  const signerInfo = infos[0];
  if (signerInfo === undefined) return { ok: false, reason: 'no-signer' };
  // SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
  //   signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL }
  if (!isUniversal(signerInfo, Tag.sequence) || !signerInfo.constructed) return undefined;
  const si = derChildren(signerInfo);
  let at = 0;
  if (!isUniversal(si[at++], Tag.integer)) return undefined;
  const sid = si[at++];
  const digestAlgorithm = algorithmOf(si[at++]);
  let signedAttrs: DerNode | undefined;
  if (derIsContext(si[at], 0)) signedAttrs = si[at++];
  const signatureAlgorithm = algorithmOf(si[at++]);
  const signature = si[at++];
  if (!isUniversal(signature, Tag.octetString) || signature.constructed) return undefined;
  let unsignedAttrs: DerNode | undefined;
  if (derIsContext(si[at], 1)) unsignedAttrs = si[at++];
  if (at !== si.length) return undefined;
  if (signedAttrs !== undefined && !signedAttrs.constructed) return undefined;

  // A SignerIdentifier of neither form: pkijs's schema check decides what the SignedData is.
  const signerId = signerIdOf(sid);
  if (signerId.kind === 'unknown') return undefined;
  let signedAttributes: Uint8Array | undefined;
  if (signedAttrs !== undefined) {
    // What was signed is the DER of the SET OF, i.e. the same bytes with the SET tag (RFC 5652 §5.4).
    signedAttributes = new Uint8Array(encodedOf(signedAttrs));
    signedAttributes[0] = 0x31;
  }
  const revocation = { crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  revocationChoices(crlField, revocation);
  const digestOid = digestAlgorithm.algorithmId;
  return {
    ok: true,
    cms: {
      signerId,
      signerInfoCount: infos.length,
      certificates: (certField === undefined ? [] : derChildren(certField))
        .filter((c) => isUniversal(c, Tag.sequence))
        .map(copy),
      digestOid,
      digest: hashFromOid(digestOid),
      signatureAlgorithm,
      signedAttributes,
      eContentType: oidOf(eType),
      eContent,
      signatureValue: new Uint8Array(contentOf(signature)),
      ...attributeFields(attributesOf(signedAttrs), attributesOf(unsignedAttrs), revocation),
    },
  };
}

/** IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER } | [0] SubjectKeyIdentifier */
function signerIdOf(sid: DerNode | undefined): SignerId {
  if (isUniversal(sid, Tag.sequence) && sid.constructed) {
    const [issuer, serial] = derChildren(sid);
    if (isUniversal(issuer, Tag.sequence) && isUniversal(serial, Tag.integer)) {
      return { kind: 'issuer-serial', issuer: copy(issuer), serial: new Uint8Array(integerBytesOf(serial)) };
    }
    return { kind: 'unknown' };
  }
  if (derIsContext(sid, 0)) {
    // [0] IMPLICIT OCTET STRING; some writers wrap an OCTET STRING in a constructed [0]
    if (!sid.constructed) return { kind: 'key-id', keyId: new Uint8Array(contentOf(sid)) };
    const [inner] = derChildren(sid);
    if (isUniversal(inner, Tag.octetString) && !inner.constructed)
      return { kind: 'key-id', keyId: new Uint8Array(contentOf(inner)) };
  }
  return { kind: 'unknown' };
}

// ---------------------------------------------------------------------------------------------
// asn1js and pkijs: any BER.

const raw = (e: asn1js.AsnType): Uint8Array => new Uint8Array(e.valueBeforeDecodeView);

function isAsnContext(e: asn1js.AsnType | undefined, n: number): e is asn1js.Constructed {
  return e instanceof asn1js.Constructed && e.idBlock.tagClass === 3 && e.idBlock.tagNumber === n;
}

/** asn1js values handed to the DER helpers as nodes over their own encoding. */
function asNode(e: asn1js.AsnType | undefined): DerNode | undefined {
  return e === undefined ? undefined : attempt(() => readDer(raw(e)));
}

function pkijsAttributes(attrs: pkijs.Attribute[] | undefined): AttributeValues {
  const nodes = (type: string): DerNode[] =>
    (attrs ?? [])
      .filter((a) => a.type === type)
      .flatMap((a) => (a.values as asn1js.AsnType[]).map(asNode))
      .filter((n): n is DerNode => n !== undefined);
  return { first: (type) => nodes(type)[0], all: nodes };
}

function pkijsSignerId(sid: unknown): SignerId {
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return {
      kind: 'issuer-serial',
      issuer: new Uint8Array(sid.issuer.toSchema().toBER(false)),
      serial: new Uint8Array(sid.serialNumber.valueBlock.valueHexView),
    };
  }
  // subjectKeyIdentifier [0] IMPLICIT OCTET STRING (pkijs keeps it as a tagged element)
  if (sid instanceof asn1js.Constructed) {
    const inner = sid.valueBlock.value[0];
    if (inner instanceof asn1js.OctetString)
      return { kind: 'key-id', keyId: new Uint8Array(inner.valueBlock.valueHexView) };
  } else if (sid instanceof asn1js.Primitive) {
    return { kind: 'key-id', keyId: new Uint8Array(sid.valueBlock.valueHexView) };
  }
  return { kind: 'unknown' };
}

/**
 * The same reading with asn1js and pkijs, which take BER: the fallback for what the DER walk does
 * not take, and the reference the walk is tested against.
 */
export function parseCmsSignatureWithPkijs(bytes: Uint8Array): CmsParseResult {
  const schema = decodePadded(bytes);
  if (!(schema instanceof asn1js.Sequence)) return { ok: false, reason: 'not-der' };
  let signedData: pkijs.SignedData;
  let signedDataSchema: asn1js.AsnType;
  try {
    const info = new pkijs.ContentInfo({ schema });
    if (info.contentType !== CMS_OID.signedData) return { ok: false, reason: 'not-signed-data' };
    signedDataSchema = info.content as asn1js.AsnType;
    // pkijs would also parse every certificate and CRL the SignedData carries; they are read from
    // the raw DER below, so pkijs gets the rest only.
    const rest =
      signedDataSchema instanceof asn1js.Sequence
        ? new asn1js.Sequence({
            value: signedDataSchema.valueBlock.value.filter(
              (e) => !isAsnContext(e, 0) && !isAsnContext(e, 1),
            ),
          })
        : signedDataSchema;
    signedData = new pkijs.SignedData({ schema: rest });
  } catch {
    return { ok: false, reason: 'not-signed-data' };
  }
  const signerInfo = signedData.signerInfos[0];
  if (signerInfo === undefined) return { ok: false, reason: 'no-signer' };

  const sdFields = signedDataSchema instanceof asn1js.Sequence ? signedDataSchema.valueBlock.value : [];
  const certField = sdFields.find((e) => isAsnContext(e, 0));
  const certificates = (certField instanceof asn1js.Constructed ? certField.valueBlock.value : [])
    .filter((e) => e instanceof asn1js.Sequence)
    .map(raw);
  const revocation = { crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  revocationChoices(asNode(sdFields.find((e) => isAsnContext(e, 1))), revocation);

  // The raw signed attributes of the first SignerInfo: [0] IMPLICIT in the SignerInfo SEQUENCE.
  const signerInfos = sdFields.at(-1);
  const signerInfoSchema = signerInfos instanceof asn1js.Set ? signerInfos.valueBlock.value[0] : undefined;
  const signedAttrsRaw =
    signerInfoSchema instanceof asn1js.Sequence
      ? signerInfoSchema.valueBlock.value.find((e) => isAsnContext(e, 0))
      : undefined;
  let signedAttributes: Uint8Array | undefined;
  if (signedAttrsRaw !== undefined) {
    signedAttributes = raw(signedAttrsRaw).slice();
    signedAttributes[0] = 0x31;
  }
  const eContent = signedData.encapContentInfo.eContent;
  const digestOid = signerInfo.digestAlgorithm.algorithmId;
  return {
    ok: true,
    cms: {
      signerId: pkijsSignerId(signerInfo.sid),
      signerInfoCount: signedData.signerInfos.length,
      certificates,
      digestOid,
      digest: hashFromOid(digestOid),
      signatureAlgorithm: {
        algorithmId: signerInfo.signatureAlgorithm.algorithmId,
        algorithmParams: signerInfo.signatureAlgorithm.algorithmParams as unknown,
      },
      signedAttributes,
      eContentType: signedData.encapContentInfo.eContentType,
      eContent: eContent === undefined ? undefined : new Uint8Array(eContent.getValue()),
      signatureValue: new Uint8Array(signerInfo.signature.valueBlock.valueHexView),
      ...attributeFields(
        pkijsAttributes(signerInfo.signedAttrs?.attributes),
        pkijsAttributes(signerInfo.unsignedAttrs?.attributes),
        revocation,
      ),
    },
  };
}
