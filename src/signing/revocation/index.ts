// Public face of the revocation layer: OCSP and CRL clients with AIA chasing and a cache in the data
// folder, the check before signing, and the collection of validation data for B-LT. Knows X.509 and
// HTTP, never PDF.
export type { ProxySettings } from './http-fetch.js';
export {
  RevocationCache,
  defaultRevocationCacheDir,
  type CacheEntry,
  type CacheKind,
} from './revocation-cache.js';
export {
  RevocationClient,
  type RevocationMode,
  type RevocationOptions,
  type RevocationProblem,
  type RevocationProblemReason,
  type RevocationStatus,
} from './revocation-client.js';
export {
  readRevocationCertificate,
  isIssuedBy,
  isSelfSigned,
  ocspUrlsOf,
  crlUrlsOf,
  caIssuersUrlsOf,
  type RevocationCertificate,
} from './revocation-certificate.js';
export {
  buildOcspRequest,
  checkOcspResponse,
  type OcspAnswer,
  type OcspCheck,
  type OcspFailure,
} from './ocsp-response.js';
export {
  checkCrl,
  combinedStatus,
  crlEntryFor,
  type CheckedCrl,
  type CrlCheck,
  type CrlFailure,
} from './crl.js';
export {
  collectValidationData,
  completeChain,
  DerSet,
  type CollectOptions,
  type ValidationData,
} from './validation-data.js';
export {
  checkSignerRevocation,
  crlReasonName,
  describeProblems,
  formatVietnamTime,
  type SignerRevocationResult,
  type UnavailablePolicy,
} from './signer-check.js';
export { revocationOptionsFromSettings } from './revocation-settings.js';
export { readOcspCertStatus, type OcspCertStatus } from './ocsp-cert-status.js';
