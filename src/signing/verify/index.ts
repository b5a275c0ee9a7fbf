// The verifier's public face: verifyPdf, the report it returns, the trust store and revision extraction.
export { verifyPdf, type VerifyPdfRequest } from './verify-pdf.js';
export {
  verifyDocuments,
  type DocumentVerification,
  type VerifyDocumentsOptions,
} from './verify-documents.js';
export {
  TrustStore,
  loadTrustStore,
  importTrustedCertificates,
  listTrustedCertificates,
  removeTrustedCertificate,
  managedTrustDir,
  type TrustedCertificate,
  type TrustStoreSources,
  type TrustSource,
} from './trust-store.js';
export {
  trustInventory,
  previewTrustedCertificates,
  findTrustEntry,
  setTrustEntryEnabled,
  type TrustListEntry,
  addTrustedCertificates,
  removeManagedTrustEntry,
} from './trust-management.js';
export {
  extractRevision,
  type ExtractRevisionRequest,
  type ExtractRevisionResult,
} from './extract-revision.js';
export { formatVietnamTime, type ReportLang } from './verification-texts.js';
export {
  CHECK_IDS,
  type VerificationReport,
  type SignatureReport,
  type SignatureCheck,
  type CheckId,
  type CheckResult,
  type ChangeAfterSigning,
  type ChangeKind,
  type DocumentStatus,
  type SignatureStatus,
  type SubIndication,
  type PadesLevel,
  type LtvLevel,
  type EvidenceSummary,
  type RevocationEvidenceSummary,
  type TimestampSummary,
  type SignerSummary,
  type TrustAnchorSummary,
} from './verification-report.js';
export { assertTrustStoreWritable } from './trust-lock.js';
// The report as people read it (the CLI's text and HTML, the app's saved report): one wording.
export { formatVerificationText } from './report/verification-text.js';
export { renderVerificationHtml, escapeHtml } from './report/verification-html.js';
export { verifyLabels, type VerifyLabels } from './report/verification-labels.js';
