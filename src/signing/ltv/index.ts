// Public face of the long-term validation layer (PAdES B-LT and B-LTA): the DSS/VRI writer, document
// timestamps, the extension of signed documents and TSA token sizing.
export {
  writeDss,
  type DssUpdate,
  type DssWriteSummary,
  type ValidationObjects,
  type VriEntry,
} from './dss-writer.js';
export {
  appendDocumentTimestamp,
  type AddedDocumentTimestamp,
  type DocumentTimestampRequest,
} from './document-timestamp.js';
export {
  appendLongTermData,
  type AddedTimestampReport,
  type CertificateEvidence,
  type LongTermLevel,
  type LongTermOptions,
  type LongTermProgress,
  type LongTermResult,
  type ReachedLevel,
  type SignatureLongTermReport,
} from './long-term.js';
export { extendPdf, type ExtendPdfRequest, type ExtendPdfResult } from './extend-pdf.js';
export {
  inventorySignatures,
  vriKey,
  type SignatureInventory,
  type TimestampInventory,
} from './signature-inventory.js';
export {
  FALLBACK_TIMESTAMP_SIZE,
  forgetTimestampSizes,
  recordTimestampToken,
  timestampSizeHint,
  withMargin,
  type TimestampServer,
  type TimestampSizeHint,
  type TimestampSizeRequest,
} from './timestamp-size.js';
export {
  signingRevocationPolicyFromSettings,
  type SignerRevocationSummary,
  type SigningRevocationPolicy,
} from './signing-policy.js';
