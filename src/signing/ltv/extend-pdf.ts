// extendPdf (`kyso extend`): adds long-term validation data to a document already signed, by Kyso
// or by another tool — B-LT (DSS, after a document timestamp when a signature has none) or B-LTA (an
// archive timestamp over it) — and renews B-LTA before the last archive timestamp's certificate
// expires. Written like a signature: into a temporary file beside the output, renamed when complete.
import { assertReadableInput } from '../sign/input-file.js';
import { KysoError } from '../../shared/errors.js';
import type { DigestAlgorithm } from '../cms/index.js';
import { PdfReader } from '../pdf/index.js';
import { RevocationClient, type RevocationOptions } from '../revocation/index.js';
import { checkOutputPath, PendingOutput } from '../sign/output-file.js';
import {
  appendLongTermData,
  tsaExpiryOf,
  type LongTermLevel,
  type LongTermProgress,
  type LongTermResult,
} from './long-term.js';
import { inventorySignatures } from './signature-inventory.js';
import type { TimestampServer } from './timestamp-size.js';

export interface ExtendPdfRequest {
  readonly input: string;
  readonly output: string;
  readonly level: LongTermLevel;
  readonly tsa?: TimestampServer;
  readonly digest?: DigestAlgorithm;
  /** OCSP/CRL behaviour (or a client shared with other work, e.g. a batch). */
  readonly revocation?: RevocationOptions | RevocationClient;
  /** Certificates that may complete chains (configured intermediates). */
  readonly extraCertificates?: readonly Uint8Array[];
  readonly overwrite?: boolean;
  /** B-LTA: do nothing when the last archive timestamp covers every signature and is not due. */
  readonly onlyIfDue?: boolean;
  /** Renewal margin before the archive TSA certificate expires. Default 180 days. */
  readonly renewBeforeDays?: number;
  /** The data folder for caches; null: no disk cache. Default KYSO_HOME. */
  readonly home?: string | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LongTermProgress) => void;
  readonly now?: () => Date;
}

export interface ExtendPdfResult extends LongTermResult {
  readonly output: string;
  /** false when `onlyIfDue` found nothing to do (no file was written). */
  readonly written: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When B-LTA is not due: the renewal date, and the archive timestamp covers every signature. */
async function renewalNotDue(input: string, renewBeforeDays: number, now: Date): Promise<string | null> {
  const reader = await PdfReader.open(input);
  try {
    const inventory = await inventorySignatures(reader);
    const last = [...inventory].reverse().find((s) => s.type === 'document-timestamp');
    if (last === undefined) return null;
    if (inventory.some((s) => s.type === 'signature' && s.coveredEnd > last.coveredEnd)) return null;
    const expiry = tsaExpiryOf(last);
    if (expiry === undefined) return null;
    const renewBy = new Date(expiry.getTime() - renewBeforeDays * DAY_MS);
    return now.getTime() < renewBy.getTime() ? renewBy.toISOString() : null;
  } finally {
    await reader.close();
  }
}

export async function extendPdf(request: ExtendPdfRequest): Promise<ExtendPdfResult> {
  const { input, output } = request;
  await assertReadableInput(input);
  await checkOutputPath(input, output, request.overwrite ?? false);
  const now = request.now?.() ?? new Date();
  const renewBeforeDays = request.renewBeforeDays ?? 180;
  const probe = await PdfReader.open(input);
  try {
    if (probe.isEncrypted) {
      throw new KysoError('PDF_ENCRYPTED', 'The PDF is encrypted; Kyso cannot add validation data to it.');
    }
    if (!(await inventorySignatures(probe)).some((s) => s.type === 'signature')) {
      throw new KysoError('PDF_NOT_SIGNED', `${input} carries no signature.`, { details: { path: input } });
    }
  } finally {
    await probe.close();
  }
  if (request.level === 'B-LTA' && request.onlyIfDue === true) {
    const renewBy = await renewalNotDue(input, renewBeforeDays, now);
    if (renewBy !== null) {
      return {
        output,
        written: false,
        level: 'B-LTA',
        signatures: [],
        timestamps: [],
        dss: [],
        problems: [],
        renewBy,
      };
    }
  }
  const client =
    request.revocation instanceof RevocationClient
      ? request.revocation
      : new RevocationClient({
          ...(request.revocation ?? {}),
          ...(request.signal && request.revocation?.signal === undefined ? { signal: request.signal } : {}),
        });
  const pending = await PendingOutput.fromCopy(input, output);
  try {
    const result = await appendLongTermData(pending, {
      level: request.level,
      revocation: client,
      renewBeforeDays,
      ...(request.tsa ? { tsa: request.tsa } : {}),
      ...(request.digest ? { digest: request.digest } : {}),
      ...(request.extraCertificates ? { extraCertificates: request.extraCertificates } : {}),
      ...(request.home !== undefined ? { home: request.home } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      ...(request.now ? { now: request.now } : {}),
    });
    if (request.signal?.aborted === true) throw new KysoError('CANCELLED', 'Cancelled.');
    await pending.commit();
    return { ...result, output: pending.target, written: true };
  } catch (err) {
    await pending.discard();
    throw err;
  }
}
