// A document timestamp (ETSI EN 319 142-1 §5.4.3; ISO 32000-2 §12.8.5): an incremental update with a
// signature dictionary /Type /DocTimeStamp /SubFilter /ETSI.RFC3161 whose /Contents is an RFC 3161
// token over the document's byte ranges — everything before it, DSS included. /Contents is sized
// from what the TSA's tokens are known to take; a token that still does not fit is retried once at
// its exact size.
import { KysoError } from '../../shared/errors.js';
import { requestTimestamp, type DigestAlgorithm, type TimestampResult, type TsaEvent } from '../cms/index.js';
import {
  PdfReader,
  byteRangeAround,
  patchByteRange,
  patchHexContents,
  type ByteRange,
} from '../pdf/index.js';
import type { PendingOutput } from '../sign/output-file.js';
import { prepareSignature } from '../sign/signature-field.js';
import { recordTimestampToken, timestampSizeHint, type TimestampServer } from './timestamp-size.js';

export interface DocumentTimestampRequest {
  readonly tsa: TimestampServer;
  readonly digest: DigestAlgorithm;
  /** Bytes to reserve for the token; by default learned per TSA (probing it when allowed). */
  readonly sizeHint?: number;
  /** The data folder for what is learned about the TSA; null: memory only. */
  readonly home?: string | null;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TsaEvent) => void;
}

export interface AddedDocumentTimestamp {
  readonly fieldName: string;
  readonly genTime: Date;
  readonly byteRange: ByteRange;
  readonly tsaCertificate: Uint8Array | undefined;
  /** The token (DER), for the validation data of its TSA. */
  readonly token: Uint8Array;
  readonly reservedBytes: number;
  readonly tokenBytes: number;
}

/** Reads the two byte ranges of the file into one buffer: what the TSA's imprint hashes. */
async function signedBytes(pending: PendingOutput, range: ByteRange): Promise<Buffer> {
  const out = Buffer.alloc(range[1] + range[3]);
  const read = async (offset: number, length: number, at: number): Promise<void> => {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await pending.handle.read(out, at + done, length - done, offset + done);
      if (bytesRead === 0) throw new KysoError('PDF_TRUNCATED', 'The file ended inside a signed range.');
      done += bytesRead;
    }
  };
  await read(range[0], range[1], 0);
  await read(range[2], range[3], range[1]);
  return out;
}

/** Appends a document timestamp to the file being written. */
export async function appendDocumentTimestamp(
  pending: PendingOutput,
  request: DocumentTimestampRequest,
): Promise<AddedDocumentTimestamp> {
  let reserved =
    request.sizeHint ??
    (
      await timestampSizeHint({
        tsa: request.tsa,
        digest: request.digest,
        probe: true,
        ...(request.home !== undefined ? { home: request.home } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      })
    ).size;
  for (let attempt = 0; ; attempt++) {
    if (request.signal?.aborted === true) throw new KysoError('CANCELLED', 'Cancelled.');
    const reader = await PdfReader.open(pending.temp);
    let base: number;
    let fieldName: string;
    let contents: { offset: number; length: number };
    let byteRange: ByteRange;
    try {
      const prepared = await prepareSignature(reader, {
        pageIndex: 0,
        contentsBytes: reserved,
        subFilter: 'ETSI.RFC3161',
      });
      const update = prepared.update.serialize();
      base = reader.size;
      fieldName = prepared.fieldName;
      await pending.truncate(base);
      await pending.append(update.bytes);
      const hex = update.placeholders.find((p) => p.kind === 'hex');
      const slot = update.placeholders.find((p) => p.kind === 'byteRange');
      if (!hex || !slot) throw new KysoError('INTERNAL', 'The timestamp placeholders are missing.');
      contents = { offset: base + hex.offset, length: hex.length };
      byteRange = byteRangeAround(contents, base + update.bytes.length);
      await pending.writeAt(base + slot.offset, patchByteRange(slot, byteRange));
    } finally {
      await reader.close();
    }
    const data = await signedBytes(pending, byteRange);
    const result: TimestampResult = await requestTimestamp({
      ...request.tsa,
      digest: request.digest,
      data,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onEvent ? { onEvent: request.onEvent } : {}),
    });
    await recordTimestampToken(request.tsa.url, result.token, request.home);
    if (result.token.length > reserved) {
      if (attempt === 0) {
        reserved = result.token.length;
        await pending.truncate(base);
        continue;
      }
      throw new KysoError('SIGNATURE_TOO_LARGE', 'The timestamp does not fit the space reserved for it.', {
        details: { size: result.token.length, capacity: reserved },
      });
    }
    await pending.writeAt(
      contents.offset,
      patchHexContents({ length: contents.length, kind: 'hex' }, result.token),
    );
    return {
      fieldName,
      genTime: result.genTime,
      byteRange,
      tsaCertificate: result.tsaCertificate,
      token: result.token,
      reservedBytes: reserved,
      tokenBytes: result.token.length,
    };
  }
}
