// Public entry: one PAdES signature as an incremental update (signPdf) and the signer seam's types.
export type { Signer, DigestAlgorithm, SignatureScheme, KeyAlgorithm } from './cms/signer.js';
export {
  signPdf,
  type SignPdfRequest,
  type SignPdfResult,
  type PdfSignOptions,
  type SignProgress,
  type SignatureLevel,
  type CertifyLevel,
  type TsaOptions,
} from './sign/sign-pdf.js';
export type { TsaAuth, TsaEvent } from './cms/timestamp-client.js';
export {
  signingRevocationPolicyFromSettings,
  type SigningRevocationPolicy,
  type SignerRevocationSummary,
} from './ltv/signing-policy.js';
export { removeStaleOutputs } from './sign/output-file.js';
export {
  checkTimestampService,
  type TimestampServiceCheck,
  type TimestampServiceCheckRequest,
} from './sign/timestamp-service-check.js';
