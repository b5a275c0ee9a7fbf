// "Ký hàng loạt" (issue 14 point 1): a batch of documents signed with one PIN through the engine's
// batch (journal, resume, reports). Merged into requests.ts's maps. batch.run is long work: its
// progress events are coalesced by the service (a few per second, whatever the batch's pace) and
// its AbortSignal stops the batch cleanly (documents at the token finish; the rest stay to do, and
// a later batch.run with resume does them — also after the app was closed or crashed).
import { z } from 'zod';
import type { ErrorCode } from '../errors.js';
import { CertificateRefSchema, PathSchema, SignTemplateSchema, TextSchema } from './schemas.js';

export const BATCH_REQUESTS = {
  'batch.run': {
    request: z.strictObject({
      /** PDF files and folders. */
      inputs: z.array(PathSchema).min(1).max(10_000),
      recursive: z.boolean(),
      outDir: PathSchema,
      /** Added to each output name before .pdf ("-da-ky"). */
      suffix: z.string().max(64),
      template: SignTemplateSchema,
      /** The text the visible signature is placed under on each page ("CHỦ TỊCH"); empty: the template's default place. */
      anchor: TextSchema,
      reason: TextSchema,
      certificate: CertificateRefSchema,
      /** null: the token's PIN pad. Never stored, logged or echoed. */
      pin: z.string().min(1).max(256).nullable(),
      allowFinalTry: z.boolean(),
      /** Continue the batch whose journal is in outDir. */
      resume: z.boolean(),
      /** With resume: try again the documents that failed. */
      retryFailed: z.boolean(),
    }),
  },
  /** The batch left unfinished (stopped, or the app closed or crashed while it ran), if any. */
  'batch.unfinished': { request: z.strictObject({}) },
  /** The user closes an unfinished batch without finishing it: it is no longer offered. */
  'batch.forget': { request: z.strictObject({ outDir: PathSchema }) },
  /** The batch's report (what the engine wrote next to its journal), copied to where the user chose. */
  'batch.exportReport': {
    request: z.strictObject({ outDir: PathSchema, format: z.enum(['csv', 'json']), output: PathSchema }),
  },
} as const;

export type BatchDocumentState = 'signed' | 'failed' | 'pending';

export interface BatchDocumentView {
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly status: BatchDocumentState;
  /** Signed or failed in an earlier run of this batch (before a resume). */
  readonly earlier: boolean;
  readonly code: ErrorCode | null;
  /** The failure in the app's language. */
  readonly message: string | null;
}

export interface BatchProgressView {
  readonly total: number;
  readonly done: number;
  readonly signed: number;
  readonly failed: number;
  readonly current: string | null;
  readonly ratePerSecond: number;
  readonly remainingMs: number | null;
  readonly elapsedMs: number;
}

/** What batch.run reports while it runs: the counts, and the documents finished since the last event. */
export interface BatchRunProgress {
  readonly stage: 'opening' | 'signing' | 'stopping' | 'waiting-for-token';
  readonly progress: BatchProgressView | null;
  readonly finished: readonly BatchDocumentView[];
}

export interface BatchRunResult {
  readonly outDir: string;
  readonly total: number;
  readonly signed: number;
  readonly failed: number;
  readonly pending: number;
  readonly signedNow: number;
  /** Stopped by the user (pause): the pending documents stay to do. */
  readonly cancelled: boolean;
  /** A failure that concerns every document (PIN, certificate, disk full) stopped the batch. */
  readonly stopped: { readonly code: ErrorCode; readonly message: string } | null;
  readonly elapsedMs: number;
  readonly documents: readonly BatchDocumentView[];
}

/** An unfinished batch, as its journal and the request that started it say. */
export interface UnfinishedBatchView {
  readonly outDir: string;
  readonly inputs: readonly string[];
  /** How it signs: a resume must sign the rest the same way (the journal checks it). */
  readonly recursive: boolean;
  readonly suffix: string;
  readonly template: z.infer<typeof SignTemplateSchema>;
  readonly anchor: string;
  readonly reason: string;
  readonly total: number;
  readonly signed: number;
  readonly failed: number;
  readonly pending: number;
  /** ISO 8601: when it last ran. */
  readonly updatedAt: string;
}

export interface BatchResults {
  'batch.run': BatchRunResult;
  'batch.unfinished': { readonly batch: UnfinishedBatchView | null };
  'batch.forget': Record<string, never>;
  'batch.exportReport': { readonly output: string };
}

export interface BatchProgressByChannel {
  'batch.run': BatchRunProgress;
}
