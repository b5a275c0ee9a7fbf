// RFC 3161 TimeStampToken: a ContentInfo holding SignedData whose content is a TSTInfo. Parsed
// here for the timestamp client (checking a fresh token) and for the verifier (reading a token
// found in a signature's unsigned attributes).
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KysoError } from '../../shared/errors.js';
import { OID, digestFromOid } from './algorithms.js';
import { bytesEqual } from './der.js';
import { decode } from './der-asn1js.js';
import type { DigestAlgorithm } from './signer.js';

export interface TimestampImprint {
  /** OID of the hash algorithm named in the messageImprint. */
  readonly hashAlgorithmOid: string;
  /** That algorithm when it is one Kyso knows (SHA-256/384/512). */
  readonly digest: DigestAlgorithm | undefined;
  readonly hashedMessage: Uint8Array;
}

export interface TimestampTokenInfo {
  /** The time the TSA asserts. */
  readonly genTime: Date;
  readonly imprint: TimestampImprint;
  /** The token's serial number, decimal. */
  readonly serialNumber: string;
  /** The TSA policy under which the token was issued (OID). */
  readonly policy: string;
  readonly nonce: bigint | undefined;
  /** The accuracy of genTime in milliseconds, when the TSA states one. */
  readonly accuracyMs: number | undefined;
  /** DER of every certificate the token carries. */
  readonly certificates: readonly Uint8Array[];
  /** DER of the TSA's certificate (the token's signer) when the token carries it. */
  readonly tsaCertificate: Uint8Array | undefined;
}

type Reason =
  | 'not-der'
  | 'not-signed-data'
  | 'not-tstinfo'
  | 'no-signer'
  | 'no-tsa-certificate'
  | 'imprint-mismatch'
  | 'bad-signature'
  | 'ess-mismatch'
  | 'no-timestamping-usage';

function bad(reason: Reason, message: string, cause?: unknown): KysoError {
  return new KysoError('TSA_BAD_RESPONSE', message, {
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

interface ParsedToken {
  readonly info: TimestampTokenInfo;
  readonly signedData: pkijs.SignedData;
  readonly tsaCertificate: pkijs.Certificate | undefined;
}

function isSignerOf(certificate: pkijs.Certificate, signerInfo: pkijs.SignerInfo): boolean {
  const sid: unknown = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificate.issuer.isEqual(sid.issuer) && certificate.serialNumber.isEqual(sid.serialNumber);
  }
  // subjectKeyIdentifier [0]: compare with the certificate's SKI extension, else SHA-1 of the key
  if (sid instanceof asn1js.Constructed || sid instanceof asn1js.Primitive) {
    const keyId =
      sid instanceof asn1js.Constructed
        ? (sid.valueBlock.value[0] as asn1js.OctetString | undefined)?.valueBlock.valueHexView
        : sid.valueBlock.valueHexView;
    if (keyId === undefined) return false;
    const ski = certificate.extensions?.find((e) => e.extnID === '2.5.29.14');
    const skiValue =
      ski?.parsedValue instanceof asn1js.OctetString ? ski.parsedValue.valueBlock.valueHexView : undefined;
    if (skiValue !== undefined) return bytesEqual(skiValue, keyId);
    const spkiHash = createHash('sha1')
      .update(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
      .digest();
    return bytesEqual(spkiHash, keyId);
  }
  return false;
}

/** DER of each certificate of the SignedData, as carried (never re-encoded). */
function rawCertificates(signedDataSchema: asn1js.AsnType): Uint8Array[] {
  if (!(signedDataSchema instanceof asn1js.Sequence)) return [];
  const field = signedDataSchema.valueBlock.value.find(
    (e) => e.idBlock.tagClass === 3 && e.idBlock.tagNumber === 0,
  );
  if (!(field instanceof asn1js.Constructed)) return [];
  return field.valueBlock.value
    .filter((e) => e instanceof asn1js.Sequence) // skip attribute/other certificate formats
    .map((e) => new Uint8Array(e.valueBeforeDecodeView));
}

function parse(token: Uint8Array): ParsedToken {
  const schema = decode(token);
  if (schema === undefined) throw bad('not-der', 'the timestamp token is not DER');
  let contentInfo: pkijs.ContentInfo;
  let signedData: pkijs.SignedData;
  try {
    contentInfo = new pkijs.ContentInfo({ schema });
    if (contentInfo.contentType !== OID.signedData) {
      throw bad('not-signed-data', 'the timestamp token is not CMS SignedData');
    }
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (cause) {
    if (cause instanceof KysoError) throw cause;
    throw bad('not-signed-data', 'the timestamp token is not CMS SignedData', cause);
  }
  const eContent = signedData.encapContentInfo.eContent;
  if (signedData.encapContentInfo.eContentType !== OID.tstInfo || eContent === undefined) {
    throw bad('not-tstinfo', 'the timestamp token does not hold a TSTInfo');
  }
  let tstInfo: pkijs.TSTInfo;
  try {
    tstInfo = pkijs.TSTInfo.fromBER(eContent.getValue());
  } catch (cause) {
    throw bad('not-tstinfo', 'the timestamp token holds a malformed TSTInfo', cause);
  }
  const signerInfo = signedData.signerInfos[0];
  if (signerInfo === undefined || signedData.signerInfos.length !== 1) {
    throw bad('no-signer', 'a timestamp token must have exactly one signer');
  }

  const certificates = rawCertificates(contentInfo.content as asn1js.AsnType);
  let tsaCertificate: pkijs.Certificate | undefined;
  let tsaCertificateDer: Uint8Array | undefined;
  for (const der of certificates) {
    let cert: pkijs.Certificate;
    try {
      cert = pkijs.Certificate.fromBER(der);
    } catch {
      continue;
    }
    if (isSignerOf(cert, signerInfo)) {
      tsaCertificate = cert;
      tsaCertificateDer = der;
      break;
    }
  }

  const accuracy = tstInfo.accuracy;
  const hashAlgorithmOid = tstInfo.messageImprint.hashAlgorithm.algorithmId;
  const info: TimestampTokenInfo = {
    genTime: tstInfo.genTime,
    imprint: {
      hashAlgorithmOid,
      digest: digestFromOid(hashAlgorithmOid),
      hashedMessage: new Uint8Array(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView),
    },
    serialNumber: tstInfo.serialNumber.toBigInt().toString(),
    policy: tstInfo.policy,
    nonce: tstInfo.nonce?.toBigInt(),
    accuracyMs:
      accuracy === undefined
        ? undefined
        : (accuracy.seconds ?? 0) * 1000 + (accuracy.millis ?? 0) + (accuracy.micros ?? 0) / 1000,
    certificates,
    tsaCertificate: tsaCertificateDer,
  };
  return { info, signedData, tsaCertificate };
}

/** Reads a TimeStampToken without verifying it. TSA_BAD_RESPONSE if it is not one. */
export function parseTimestampToken(token: Uint8Array): TimestampTokenInfo {
  return parse(token).info;
}

/** The certHash of the first ESSCertID(v2) of the token's signing-certificate(-v2), if any. */
function essCertHash(signerInfo: pkijs.SignerInfo): { digest: string; hash: Uint8Array } | undefined {
  for (const attr of signerInfo.signedAttrs?.attributes ?? []) {
    const v2 = attr.type === OID.signingCertificateV2;
    if (!v2 && attr.type !== OID.signingCertificate) continue;
    // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), ... }
    const certs = (attr.values[0] as asn1js.Sequence | undefined)?.valueBlock.value[0];
    const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
    if (!(first instanceof asn1js.Sequence)) return undefined;
    const fields = first.valueBlock.value;
    let digest = v2 ? 'sha256' : 'sha1';
    let index = 0;
    if (v2 && fields[0] instanceof asn1js.Sequence) {
      const oid = fields[0].valueBlock.value[0];
      const named =
        oid instanceof asn1js.ObjectIdentifier ? digestFromOid(oid.valueBlock.toString()) : undefined;
      if (named === undefined) return undefined; // an algorithm we cannot check
      digest = named;
      index = 1;
    }
    const hash = fields[index];
    if (!(hash instanceof asn1js.OctetString)) return undefined;
    return { digest, hash: new Uint8Array(hash.valueBlock.valueHexView) };
  }
  return undefined;
}

function hasTimeStampingUsage(certificate: pkijs.Certificate): boolean {
  const eku = certificate.extensions?.find((e) => e.extnID === OID.extKeyUsage);
  return (
    eku?.parsedValue instanceof pkijs.ExtKeyUsage && eku.parsedValue.keyPurposes.includes(OID.kpTimeStamping)
  );
}

/**
 * Checks a TimeStampToken over `timestampedData`: the imprint is the hash of that data, the
 * CMS signature verifies with the TSA certificate the token carries, the certificate is the one
 * the token's ESS signing-certificate attribute names and has the timeStamping extended key usage.
 * Trust in the TSA's certificate chain is the verifier's business, not checked here.
 * Throws TSA_BAD_RESPONSE with `details.reason` on any failure.
 */
export async function verifyTimestampToken(
  token: Uint8Array,
  timestampedData: Uint8Array,
): Promise<TimestampTokenInfo & { readonly tsaCertificate: Uint8Array }> {
  const { info, signedData, tsaCertificate } = parse(token);
  const { imprint } = info;
  if (imprint.digest === undefined) {
    throw bad(
      'imprint-mismatch',
      `the timestamp imprint uses an unsupported hash (${imprint.hashAlgorithmOid})`,
    );
  }
  if (!bytesEqual(createHash(imprint.digest).update(timestampedData).digest(), imprint.hashedMessage)) {
    throw bad('imprint-mismatch', 'the timestamp is not over the data it was asked for');
  }
  if (tsaCertificate === undefined || info.tsaCertificate === undefined) {
    throw bad('no-tsa-certificate', 'the timestamp token does not carry the TSA certificate');
  }
  let verified: boolean;
  try {
    const data = new Uint8Array(timestampedData).buffer;
    verified = await signedData.verify({ signer: 0, data, checkChain: false });
  } catch (cause) {
    throw bad('bad-signature', 'the timestamp token signature does not verify', cause);
  }
  if (!verified) throw bad('bad-signature', 'the timestamp token signature does not verify');
  const signerInfo = signedData.signerInfos[0];
  const ess = signerInfo === undefined ? undefined : essCertHash(signerInfo);
  if (
    ess !== undefined &&
    !bytesEqual(createHash(ess.digest).update(info.tsaCertificate).digest(), ess.hash)
  ) {
    throw bad('ess-mismatch', 'the timestamp token names another certificate than the one it carries');
  }
  if (!hasTimeStampingUsage(tsaCertificate)) {
    throw bad('no-timestamping-usage', 'the TSA certificate is not meant for time-stamping');
  }
  return { ...info, tsaCertificate: info.tsaCertificate };
}

/**
 * The signature value of the first SignerInfo of a CMS ContentInfo(SignedData) and the DER of its
 * signature timestamp token (id-aa-signatureTimeStampToken), if it has one.
 */
export function signatureTimestampOf(cms: Uint8Array): {
  signatureValue: Uint8Array;
  token: Uint8Array | undefined;
} {
  const invalid = (): KysoError => new KysoError('INTERNAL', 'not a CMS SignedData');
  const contentInfo = decode(cms);
  if (!(contentInfo instanceof asn1js.Sequence)) throw invalid();
  const wrapper = contentInfo.valueBlock.value[1];
  const signedData = wrapper instanceof asn1js.Constructed ? wrapper.valueBlock.value[0] : undefined;
  if (!(signedData instanceof asn1js.Sequence)) throw invalid();
  const signerInfos = signedData.valueBlock.value.at(-1);
  const signerInfo = signerInfos instanceof asn1js.Set ? signerInfos.valueBlock.value[0] : undefined;
  if (!(signerInfo instanceof asn1js.Sequence)) throw invalid();
  const fields = signerInfo.valueBlock.value;
  const signature = fields.find((e) => e instanceof asn1js.OctetString);
  if (!(signature instanceof asn1js.OctetString)) throw invalid();
  let token: Uint8Array | undefined;
  const unsigned = fields.find((e) => e.idBlock.tagClass === 3 && e.idBlock.tagNumber === 1);
  if (unsigned instanceof asn1js.Constructed) {
    for (const attr of unsigned.valueBlock.value) {
      if (!(attr instanceof asn1js.Sequence)) continue;
      const [type, values] = attr.valueBlock.value;
      if (
        !(type instanceof asn1js.ObjectIdentifier) ||
        type.valueBlock.toString() !== OID.signatureTimeStampToken
      ) {
        continue;
      }
      const value = values instanceof asn1js.Set ? values.valueBlock.value[0] : undefined;
      if (value !== undefined) token = new Uint8Array(value.valueBeforeDecodeView);
      break;
    }
  }
  return { signatureValue: new Uint8Array(signature.valueBlock.valueHexView), token };
}
