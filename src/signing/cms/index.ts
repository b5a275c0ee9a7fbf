// Public face of the CMS layer: the signer seam, PAdES SignedData, RFC 3161 timestamps.
export type { DigestAlgorithm, KeyAlgorithm, SignOptions, SignatureScheme, Signer } from './signer.js';
export { DIGEST_LENGTH, defaultScheme, maxSignatureLength } from './signer.js';
export {
  OID,
  digestAlgorithmIdentifier,
  digestFromOid,
  digestOid,
  pssParameters,
  signatureAlgorithmIdentifier,
  signatureOid,
} from './algorithms.js';
export type { BuildSignedDataInput, EstimateSignedDataSizeInput, TimestampFunction } from './signed-data.js';
export { DEFAULT_TIMESTAMP_SIZE_HINT, buildSignedData, estimateSignedDataSize } from './signed-data.js';
export type {
  TimestampRequest,
  TimestampRequestOptions,
  TimestampResult,
  TsaAuth,
  TsaEvent,
} from './timestamp-client.js';
export { requestTimestamp, tsaTimestamper } from './timestamp-client.js';
export type { TimestampImprint, TimestampTokenInfo } from './timestamp-token.js';
export { parseTimestampToken, signatureTimestampOf, verifyTimestampToken } from './timestamp-token.js';
