// Writes the document as it was when a signature was made: the bytes its /ByteRange covers, which
// are a complete PDF ending with that revision's %%EOF. What a clerk archives or shows when a later
// update changed the document.
import { constants } from 'node:fs';
import { copyFile, open, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import type { VerificationReport } from './verification-report.js';

export interface ExtractRevisionRequest {
  readonly report: VerificationReport;
  /** 1-based index of the signature in the report. */
  readonly signature: number;
  readonly output: string;
  readonly overwrite?: boolean;
}

export interface ExtractRevisionResult {
  readonly output: string;
  readonly bytes: number;
  readonly revision: number;
}

async function samePath(a: string, b: string): Promise<boolean> {
  const resolve = async (p: string): Promise<string> => realpath(p).catch(() => path.resolve(p));
  return (await resolve(a)) === (await resolve(b));
}

export async function extractRevision(request: ExtractRevisionRequest): Promise<ExtractRevisionResult> {
  const { report, signature, output } = request;
  const sig = report.signatures[signature - 1];
  if (!Number.isInteger(signature) || sig === undefined) {
    throw new KysoError(
      'USAGE',
      `The document has ${report.signatures.length} signatures; there is no signature ${signature}.`,
      {
        details: { reason: `no signature ${signature} (the document has ${report.signatures.length})` },
      },
    );
  }
  const length = sig.coverage.signedBytes;
  if (length === null) {
    throw new KysoError(
      'USAGE',
      `Signature ${signature} has no sound /ByteRange: its revision cannot be extracted.`,
      {
        details: { reason: `signature ${signature} has no sound /ByteRange` },
      },
    );
  }
  if (await samePath(report.file, output)) {
    throw new KysoError('OUTPUT_SAME_AS_INPUT', 'The output is the input file.', {
      details: { path: output },
    });
  }
  if (request.overwrite !== true) {
    const exists = await stat(output).then(
      () => true,
      () => false,
    );
    if (exists)
      throw new KysoError('OUTPUT_EXISTS', `${output} already exists.`, { details: { path: output } });
  }
  // Copy then cut: the copy is made beside the target name, so a failure leaves no half file.
  const temp = `${output}.kyso-${process.pid}.tmp`;
  try {
    await copyFile(report.file, temp, constants.COPYFILE_FICLONE);
    const handle = await open(temp, 'r+');
    try {
      await handle.truncate(length);
    } finally {
      await handle.close();
    }
    await rename(temp, output);
  } catch (cause) {
    await rm(temp, { force: true });
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new KysoError('DISK_FULL', 'The disk is full.', { cause });
    throw new KysoError('OUTPUT_NOT_WRITABLE', `Cannot write ${output}.`, {
      details: { path: path.dirname(path.resolve(output)) },
      cause,
    });
  }
  return { output, bytes: length, revision: sig.coverage.revision };
}
