// Many documents in one run (a folder a clerk received today): each verified as verifyPdf does,
// a few at a time so that one document's file reads overlap another's checks, and the results
// handed out in the order the documents were given. At most `concurrency` reports are held at
// once, whatever the number of documents: memory stays flat.
import { isKysoError, KysoError, type ErrorCode } from '../../shared/errors.js';
import type { VerificationReport } from './verification-report.js';
import { verifyPdf, type VerifyPdfRequest } from './verify-pdf.js';

/** One document's outcome: its report, or why it could not be verified (the run goes on). */
export type DocumentVerification =
  | { readonly input: string; readonly report: VerificationReport }
  | { readonly input: string; readonly error: { readonly code: ErrorCode; readonly cause: unknown } };

export interface VerifyDocumentsOptions extends Omit<VerifyPdfRequest, 'input'> {
  /** Documents in progress at once (default 2): enough to keep the CPU busy while files are read. */
  readonly concurrency?: number;
}

const DEFAULT_CONCURRENCY = 2;

/**
 * Verifies `inputs` in order. A document that cannot be verified yields its error code and the run
 * goes on; cancellation (options.signal) ends the run with CANCELLED once the documents in progress
 * have stopped.
 */
export async function* verifyDocuments(
  inputs: readonly string[],
  options: VerifyDocumentsOptions,
): AsyncGenerator<DocumentVerification, void, undefined> {
  const { concurrency = DEFAULT_CONCURRENCY, ...request } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`);
  }
  const pending: Promise<DocumentVerification>[] = [];
  let next = 0;
  const startNext = (): void => {
    const input = inputs[next++] as string;
    // Every outcome is a value, never a rejection: a promise waiting its turn must not reject
    // unhandled while an earlier document is being handed out.
    pending.push(
      verifyPdf({ ...request, input }).then(
        (report): DocumentVerification => ({ input, report }),
        (cause: unknown): DocumentVerification => ({
          input,
          error: { code: isKysoError(cause) ? cause.code : 'INTERNAL', cause },
        }),
      ),
    );
  };
  try {
    while (pending.length < concurrency && next < inputs.length) startNext();
    for (let outcome = pending.shift(); outcome !== undefined; outcome = pending.shift()) {
      const done = await outcome;
      if ('error' in done && done.error.code === 'CANCELLED') throw done.error.cause;
      if (request.signal?.aborted) throw new KysoError('CANCELLED', 'Verification was cancelled.');
      if (next < inputs.length) startNext();
      yield done;
    }
  } finally {
    // Leaving early (cancelled, or the consumer stopped): let the documents in progress end, so
    // that no file stays open behind the caller.
    await Promise.allSettled(pending);
  }
}
