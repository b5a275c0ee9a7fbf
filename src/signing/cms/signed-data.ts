// The CMS SignedData of a PAdES signature (ETSI EN 319 142-1 baseline B-B, B-T with a timestamp):
// detached, signed attributes contentType, messageDigest and signing-certificate-v2 only (no
// signing-time: PAdES puts the claimed time in the signature dictionary's /M).
import { createHash } from 'node:crypto';
import { KysoError } from '../../shared/errors.js';
import { DerError, Tag, assertWellFormed, isUniversal, readDerExactly } from '../asn1/der-reader.js';
import {
  OID,
  assertDigestLength,
  digestAlgorithmIdentifier,
  signatureAlgorithmIdentifier,
} from './algorithms.js';
import { throwIfCancelled } from './cancel.js';
import { certificateIdentity } from './certificate.js';
import {
  bytesEqual,
  compareDer,
  context,
  integer,
  octetString,
  oid,
  placeholderOfSize,
  sequence,
  set,
} from './der.js';
import { DIGEST_LENGTH, type DigestAlgorithm, type SignatureScheme, type Signer } from './signer.js';

/**
 * Gets an RFC 3161 TimeStampToken over `signatureValue` (the SignerInfo's signature octets) and
 * returns the token's DER (a ContentInfo holding SignedData).
 */
export type TimestampFunction = (signatureValue: Uint8Array, signal?: AbortSignal) => Promise<Uint8Array>;

/**
 * Size assumed for a timestamp token in a dry run when the caller gives no hint: a token from a
 * TSA that embeds its certificate and a CA or two is 1.5 to 7 KB.
 */
export const DEFAULT_TIMESTAMP_SIZE_HINT = 8192;

export interface BuildSignedDataInput {
  readonly signer: Signer;
  /** The hash, with `digest`, of the signed content (for PAdES: the PDF's byte ranges). */
  readonly contentDigest: Uint8Array;
  readonly digest: DigestAlgorithm;
  readonly scheme: SignatureScheme;
  /** Adds a signature timestamp (B-T). Not called in a dry run. */
  readonly timestamp?: TimestampFunction;
  /**
   * Dry run only: the size in bytes of the stand-in timestamp token. A dry run includes a stand-in
   * when `timestamp` or this hint is given ({@link DEFAULT_TIMESTAMP_SIZE_HINT} if only `timestamp`).
   */
  readonly timestampSizeHint?: number;
  /**
   * Sizes instead of signing: the signer returns a signature of its maximal length without using
   * the key and no TSA is asked, so the result is at least as long as a real one.
   */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

export interface EstimateSignedDataSizeInput {
  readonly signer: Signer;
  readonly digest: DigestAlgorithm;
  readonly scheme: SignatureScheme;
  /** Size of the timestamp token to allow for; 0 or absent: no timestamp. */
  readonly timestampSizeHint?: number;
  readonly signal?: AbortSignal;
}

/** Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue } */
function attribute(type: string, value: Uint8Array): Uint8Array {
  return sequence(oid(type), set(value));
}

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies ... OPTIONAL }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {id-sha256},
 *                            certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 */
function signingCertificateV2(certificate: Uint8Array, digest: DigestAlgorithm): Uint8Array {
  const { issuer, serialNumber } = certificateIdentity(certificate);
  const certHash = octetString(createHash(digest).update(certificate).digest());
  // GeneralNames with one directoryName [4], EXPLICIT because Name is a CHOICE
  const issuerSerial = sequence(sequence(context(4, issuer)), serialNumber);
  const essCertId =
    digest === 'sha256'
      ? sequence(certHash, issuerSerial) // hashAlgorithm left out: sha256 is its DEFAULT
      : sequence(digestAlgorithmIdentifier(digest), certHash, issuerSerial);
  return sequence(sequence(essCertId));
}

/** The DER of each signed attribute, in DER SET OF order. */
function signedAttributes(input: BuildSignedDataInput): Uint8Array[] {
  return [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(input.contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(input.signer.certificate, input.digest)),
  ].sort(compareDer);
}

function checkScheme(signer: Signer, scheme: SignatureScheme): void {
  const keyKind = signer.keyAlgorithm.kind;
  const fits = scheme === 'ecdsa' ? keyKind === 'ec' : keyKind === 'rsa';
  if (!fits || !signer.schemes.includes(scheme)) {
    throw new KysoError('KEY_UNSUPPORTED', `this ${keyKind.toUpperCase()} key cannot sign with ${scheme}`, {
      details: { scheme, key: keyKind },
    });
  }
}

/** The certificates to embed: the signer's first, then its chain, without duplicates. */
function certificatesOf(signer: Signer): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const cert of [signer.certificate, ...signer.chain]) {
    if (!out.some((seen) => bytesEqual(seen, cert))) out.push(cert);
  }
  return out;
}

/** One well-formed SEQUENCE spanning all of `bytes` (what a ContentInfo is, on the outside). */
function isDerSequence(bytes: Uint8Array): boolean {
  try {
    const node = readDerExactly(bytes);
    assertWellFormed(node);
    return isUniversal(node, Tag.sequence) && node.constructed;
  } catch (error) {
    if (error instanceof DerError) return false;
    throw error;
  }
}

async function timestampToken(
  input: BuildSignedDataInput,
  signature: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (input.dryRun === true) {
    if (input.timestamp === undefined && input.timestampSizeHint === undefined) return undefined;
    return placeholderOfSize(input.timestampSizeHint ?? DEFAULT_TIMESTAMP_SIZE_HINT);
  }
  if (input.timestamp === undefined) return undefined;
  const token = await input.timestamp(new Uint8Array(signature), input.signal);
  throwIfCancelled(input.signal);
  if (!isDerSequence(token)) {
    throw new KysoError('TSA_BAD_RESPONSE', 'the timestamp token is not a DER ContentInfo', {
      details: { reason: 'not-der' },
    });
  }
  return token;
}

/**
 * Builds the DER `ContentInfo { signedData }` of a detached PAdES signature over `contentDigest`,
 * with a signature timestamp in the unsigned attributes when `timestamp` is given.
 */
export async function buildSignedData(input: BuildSignedDataInput): Promise<Uint8Array> {
  const { signer, digest, scheme, signal } = input;
  throwIfCancelled(signal);
  assertDigestLength(input.contentDigest, digest, 'the content digest');
  checkScheme(signer, scheme);
  const { issuer, serialNumber } = certificateIdentity(signer.certificate);

  const attributes = signedAttributes(input);
  // What is signed is the DER of the attributes as a SET OF (tag 0x31), not as the [0] IMPLICIT
  // field they are carried in (RFC 5652 section 5.4).
  const options: { dryRun?: boolean; signal?: AbortSignal } = {};
  if (input.dryRun === true) options.dryRun = true;
  if (signal !== undefined) options.signal = signal;
  const signature = await signer.sign(set(...attributes), { digest, scheme }, options);
  throwIfCancelled(signal);
  if (signature.length === 0) throw new KysoError('INTERNAL', 'the signer returned an empty signature');

  const token = await timestampToken(input, signature);

  // SignerInfo ::= SEQUENCE { version 1, sid IssuerAndSerialNumber, digestAlgorithm,
  //   signedAttrs [0] IMPLICIT, signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT }
  const signerInfo = sequence(
    integer(1),
    sequence(issuer, serialNumber),
    digestAlgorithmIdentifier(digest),
    context(0, ...attributes),
    signatureAlgorithmIdentifier(scheme, digest),
    octetString(signature),
    ...(token === undefined ? [] : [context(1, attribute(OID.signatureTimeStampToken, token))]),
  );
  // SignedData ::= SEQUENCE { version 1, digestAlgorithms, encapContentInfo (detached: no eContent),
  //   certificates [0] IMPLICIT, signerInfos }
  const signedData = sequence(
    integer(1),
    set(digestAlgorithmIdentifier(digest)),
    sequence(oid(OID.data)),
    context(0, ...certificatesOf(signer)),
    set(signerInfo),
  );
  return sequence(oid(OID.signedData), context(0, signedData));
}

/**
 * The length of the CMS a real signing will produce, at most: a dry run with the signer's maximal
 * signature length and, with `timestampSizeHint`, a stand-in token of that size. Never uses the
 * key (no PIN) and never asks a TSA.
 */
export async function estimateSignedDataSize(input: EstimateSignedDataSizeInput): Promise<number> {
  const hint = input.timestampSizeHint ?? 0;
  const cms = await buildSignedData({
    signer: input.signer,
    contentDigest: new Uint8Array(DIGEST_LENGTH[input.digest]),
    digest: input.digest,
    scheme: input.scheme,
    dryRun: true,
    ...(hint > 0 ? { timestampSizeHint: hint } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  });
  return cms.length;
}
