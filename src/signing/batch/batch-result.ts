// What a batch tells its caller: progress events while it runs, and per document the outcome the
// reports (JSON, CSV) are made of.
import type { ErrorCode } from '../../shared/errors.js';
import type { AppearanceWarning } from '../appearance/index.js';
import type { TsaEvent } from '../cms/index.js';
import type { FailureDetails } from './batch-journal.js';

export type BatchDocumentStatus = 'signed' | 'failed' | 'pending';

export interface BatchDocumentReport {
  /** Absolute path of the input. */
  readonly input: string;
  /** The input as the user knows it (relative to its folder, or as given). */
  readonly name: string;
  readonly output: string;
  /** 'pending': not done (the batch was cancelled or stopped before it): a resume does it. */
  readonly status: BatchDocumentStatus;
  /** Signed or failed in an earlier run of the batch (before a resume). */
  readonly earlier: boolean;
  /** Subject CN (or DN) of the certificate that signed it. */
  readonly signer?: string;
  /** ISO 8601: the signing time, or when it failed. */
  readonly time?: string;
  /** sha256 of the output (hex). */
  readonly sha256?: string;
  readonly code?: ErrorCode;
  /** The engine's (English) message; reports translate `code` with `details`. */
  readonly message?: string;
  readonly details?: FailureDetails;
}

export interface BatchProgress {
  readonly total: number;
  /** Signed or failed, earlier runs included. */
  readonly done: number;
  readonly signed: number;
  readonly failed: number;
  /** The document the token is signing (or was last given). */
  readonly current?: string;
  /** Documents per second, over the last few dozen; 0 until two are done in this run. */
  readonly ratePerSecond: number;
  /** Estimated time left at that rate. */
  readonly remainingMs?: number;
  readonly elapsedMs: number;
}

export type BatchEvent =
  | {
      readonly kind: 'planned';
      readonly batchId: string;
      readonly journal: string;
      readonly resumed: boolean;
      readonly total: number;
      /** Documents already signed or failed in earlier runs. */
      readonly earlier: number;
      readonly toDo: number;
    }
  | { readonly kind: 'started'; readonly progress: BatchProgress }
  | { readonly kind: 'document'; readonly document: BatchDocumentReport; readonly progress: BatchProgress }
  | { readonly kind: 'progress'; readonly progress: BatchProgress }
  | { readonly kind: 'warning'; readonly name: string; readonly warning: AppearanceWarning }
  | { readonly kind: 'timestamp'; readonly name: string; readonly event: TsaEvent }
  /** The token was pulled out: the batch waits for it (and logs in again once it is back). */
  | { readonly kind: 'waiting-for-token'; readonly token: string }
  | { readonly kind: 'token-back'; readonly token: string }
  /** A cancel was asked: no new document starts; the ones at the token finish. */
  | { readonly kind: 'stopping' };

export interface BatchStop {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: FailureDetails;
}

export interface BatchResult {
  readonly batchId: string;
  readonly outDir: string;
  readonly journal: string;
  /** The reports written next to the journal. */
  readonly reports: { readonly json: string; readonly csv: string } | undefined;
  readonly total: number;
  readonly signed: number;
  readonly failed: number;
  /** Not done: cancelled or stopped before them. */
  readonly pending: number;
  /** Signed in this run. */
  readonly signedNow: number;
  readonly cancelled: boolean;
  /** Set when a failure that concerns every document (PIN, certificate, disk full) stopped the batch. */
  readonly stopped?: BatchStop;
  readonly startedAt: string;
  readonly elapsedMs: number;
  readonly documents: readonly BatchDocumentReport[];
}
