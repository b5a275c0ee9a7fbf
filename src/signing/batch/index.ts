// Batch signing (issue: one-stop offices sign hundreds of documents a day): the pipeline, its
// journal and resume, profiles shared with the app, and the end-of-batch reports.
export { runBatch, batchFiles, batchOptionsHash, stagedFiles, type BatchRequest } from './run-batch.js';
export {
  planBatch,
  outputName,
  BATCH_DIR_NAME,
  type BatchInputSpec,
  type PlannedDocument,
} from './batch-plan.js';
export {
  BatchJournal,
  replayJournal,
  parseJournalRecord,
  lockBatchFolder,
  JOURNAL_VERSION,
  type JournalRecord,
  type JournalState,
  type JournalDocument,
  type JournalStatus,
  type SignedRecord,
  type FailedRecord,
  type PendingRecord,
  type FailureDetails,
} from './batch-journal.js';
export {
  loadBatchProfile,
  saveBatchProfile,
  parseBatchProfile,
  profileOptions,
  PROFILE_VERSION,
  type BatchProfile,
  type ProfileAppearance,
  type ProfileTsa,
  type ProfileOptions,
} from './batch-profile.js';
export {
  writeBatchReport,
  batchReportJson,
  batchReportCsv,
  reportRow,
  REPORT_COLUMNS,
  type BatchReportRow,
} from './batch-report.js';
export {
  keySignerSource,
  tokenSignerSource,
  type SignerSource,
  type TokenSignerSourceOptions,
} from './signer-source.js';
export { TimestampLimiter } from './timestamp-limiter.js';
export type {
  BatchDocumentReport,
  BatchDocumentStatus,
  BatchEvent,
  BatchProgress,
  BatchResult,
  BatchStop,
} from './batch-result.js';
