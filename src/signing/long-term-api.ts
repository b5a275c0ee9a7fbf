// Public entry: revocation data (OCSP, CRL) and the long-term levels B-LT/B-LTA (kyso extend).
export {
  extendPdf,
  type ExtendPdfRequest,
  type ExtendPdfResult,
  type LongTermLevel,
  type LongTermProgress,
  type LongTermResult,
  type ReachedLevel,
  type SignatureLongTermReport,
  type CertificateEvidence,
  type AddedTimestampReport,
  type TimestampServer,
} from './ltv/index.js';
export {
  RevocationClient,
  revocationOptionsFromSettings,
  checkSignerRevocation,
  collectValidationData,
  describeProblems,
  defaultRevocationCacheDir,
  type RevocationOptions,
  type RevocationProblem,
  type RevocationStatus,
  type ValidationData,
  type ProxySettings,
} from './revocation/index.js';
