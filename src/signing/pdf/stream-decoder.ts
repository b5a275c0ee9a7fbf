// Decodes stream data for the filters the engine needs to read structure (Flate with predictors,
// ASCIIHex, ASCII85, RunLength), always with a hard output limit: a few KB can inflate to gigabytes.
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';
import { KysoError } from '../../shared/errors.js';
import { PdfArray, PdfDict, PdfName } from './objects.js';
import type { PdfValue } from './objects.js';

// zlib loads on the first compressed stream: many documents are signed without inflating anything.
const requireBuiltin = createRequire(import.meta.url);
let zlibModule: typeof Zlib | undefined;
function zlib(): typeof Zlib {
  zlibModule ??= requireBuiltin('node:zlib') as typeof Zlib;
  return zlibModule;
}

export interface StreamFilter {
  name: string;
  parms: PdfDict | null;
}

export interface DecodeResult {
  bytes: Buffer;
  /** False when the data was damaged (truncated Flate data, bad checksum) and only a prefix was kept. */
  complete: boolean;
  /** Filters not applied because they are not supported here (images: DCT, JPX, CCITT…), in order. */
  remainingFilters: string[];
}

const ABBREVIATIONS: Readonly<Record<string, string>> = {
  Fl: 'FlateDecode',
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  LZW: 'LZWDecode',
  RL: 'RunLengthDecode',
  CCF: 'CCITTFaxDecode',
  DCT: 'DCTDecode',
};

export function canonicalFilterName(name: string): string {
  return ABBREVIATIONS[name] ?? name;
}

/**
 * The filter chain of a stream from its (already resolved) /Filter and /DecodeParms. A filter that
 * is not a name becomes an unsupported one, so the data is returned undecoded rather than misread.
 */
export function filtersOf(filter: PdfValue | undefined, parms: PdfValue | undefined): StreamFilter[] {
  const names =
    filter instanceof PdfName
      ? [filter.name]
      : filter instanceof PdfArray
        ? filter.items.map((f) => (f instanceof PdfName ? f.name : '?'))
        : [];
  const parmList =
    parms instanceof PdfDict
      ? [parms]
      : parms instanceof PdfArray
        ? parms.items.map((x) => (x instanceof PdfDict ? x : null))
        : [];
  return names.map((name, i) => ({ name, parms: parmList[i] ?? null }));
}

const tooLarge = (maxBytes: number): KysoError =>
  new KysoError('PDF_TOO_LARGE', 'A stream in the PDF file decodes to more data than allowed.', {
    details: { maxBytes },
  });

/** Applies `filters` in order to `raw`; never produces more than `maxBytes`. */
export async function decodeStream(
  raw: Buffer,
  filters: readonly StreamFilter[],
  maxBytes: number,
): Promise<DecodeResult> {
  let data = raw;
  let complete = true;
  for (let i = 0; i < filters.length; i++) {
    const f = filters[i]!;
    const name = canonicalFilterName(f.name);
    switch (name) {
      case 'FlateDecode': {
        const r = await inflateLimited(data, maxBytes);
        complete &&= r.complete;
        data = applyPredictor(r.bytes, f.parms, maxBytes);
        break;
      }
      case 'ASCIIHexDecode':
        data = asciiHexDecode(data);
        break;
      case 'ASCII85Decode':
        data = ascii85Decode(data, maxBytes);
        break;
      case 'RunLengthDecode':
        data = runLengthDecode(data, maxBytes);
        break;
      default:
        return {
          bytes: data,
          complete,
          remainingFilters: filters.slice(i).map((x) => canonicalFilterName(x.name)),
        };
    }
    if (data.length > maxBytes) throw tooLarge(maxBytes);
  }
  return { bytes: data, complete, remainingFilters: [] };
}

function isBufferTooLarge(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/**
 * Inflates with a hard limit. Damaged data (no checksum, truncated, corrupt tail) is common in the
 * wild; viewers show what inflates, so we keep the prefix that inflated and say it is incomplete.
 */
export async function inflateLimited(
  data: Buffer,
  maxBytes: number,
): Promise<{ bytes: Buffer; complete: boolean }> {
  if (data.length === 0) return { bytes: Buffer.alloc(0), complete: true };
  try {
    return { bytes: zlib().inflateSync(data, { maxOutputLength: Math.max(1, maxBytes) }), complete: true };
  } catch (err) {
    if (isBufferTooLarge(err)) throw tooLarge(maxBytes);
  }
  // A missing or bad checksum, or a cut-off stream: inflate without requiring the end.
  const hasZlibHeader =
    data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  const body = hasZlibHeader ? data.subarray(2) : data;
  try {
    const bytes = zlib().inflateRawSync(body, {
      finishFlush: zlib().constants.Z_SYNC_FLUSH,
      maxOutputLength: Math.max(1, maxBytes),
    });
    return { bytes, complete: false };
  } catch (err) {
    if (isBufferTooLarge(err)) throw tooLarge(maxBytes);
  }
  return inflatePartial(body, maxBytes);
}

/** Streams `body` through a raw inflater and keeps whatever came out before an error. */
function inflatePartial(body: Buffer, maxBytes: number): Promise<{ bytes: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const inflater = zlib().createInflateRaw({
      finishFlush: zlib().constants.Z_SYNC_FLUSH,
      chunkSize: 16 * 1024,
    });
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    // Only damaged data gets here, so the result is never called complete.
    const finish = (): void => {
      if (settled) return;
      settled = true;
      resolve({ bytes: Buffer.concat(chunks), complete: false });
    };
    inflater.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        if (!settled) {
          settled = true;
          inflater.destroy();
          reject(tooLarge(maxBytes));
        }
        return;
      }
      chunks.push(chunk);
    });
    inflater.on('error', finish);
    inflater.on('end', finish);
    inflater.end(body);
  });
}

function intParm(parms: PdfDict | null, key: string, fallback: number): number {
  const v = parms?.getInt(key);
  return v === undefined ? fallback : v;
}

/** PNG (10–15) and TIFF (2) predictors, as used by cross-reference streams and images. */
export function applyPredictor(data: Buffer, parms: PdfDict | null, maxBytes: number): Buffer {
  const predictor = intParm(parms, 'Predictor', 1);
  if (predictor <= 1) return data;
  const colors = Math.min(32, Math.max(1, intParm(parms, 'Colors', 1)));
  const bpc = intParm(parms, 'BitsPerComponent', 8);
  const columns = Math.max(1, intParm(parms, 'Columns', 1));
  if (![1, 2, 4, 8, 16].includes(bpc)) {
    throw new KysoError('PDF_MALFORMED', 'A stream in the PDF file has invalid predictor parameters.');
  }
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((columns * colors * bpc) / 8);
  if (rowLen > maxBytes) throw tooLarge(maxBytes);
  if (predictor === 2) return tiffPredictor(data, rowLen, bpp, bpc);
  if (predictor < 10) {
    throw new KysoError('PDF_MALFORMED', 'A stream in the PDF file uses an unknown predictor.');
  }
  const rows = Math.ceil(data.length / (rowLen + 1));
  const out = Buffer.alloc(rows * rowLen);
  let prev = Buffer.alloc(rowLen);
  let written = 0;
  for (let r = 0; r < rows; r++) {
    const inStart = r * (rowLen + 1);
    const type = data[inStart] ?? 0;
    const rowIn = data.subarray(inStart + 1, Math.min(data.length, inStart + 1 + rowLen));
    const row = out.subarray(r * rowLen, r * rowLen + rowLen);
    for (let i = 0; i < rowIn.length; i++) {
      const raw = rowIn[i]!;
      const left = i >= bpp ? row[i - bpp]! : 0;
      const up = prev[i]!;
      const upLeft = i >= bpp ? prev[i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + left;
          break;
        case 2:
          v = raw + up;
          break;
        case 3:
          v = raw + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          v = raw; // an unknown row filter: keep the bytes rather than fail the whole stream
      }
      row[i] = v & 0xff;
    }
    written = r * rowLen + rowIn.length;
    prev = row;
  }
  return out.subarray(0, written);
}

function tiffPredictor(data: Buffer, rowLen: number, bpp: number, bpc: number): Buffer {
  const out = Buffer.from(data);
  if (bpc !== 8) return out; // sub-byte and 16-bit TIFF prediction never carries PDF structure
  for (let start = 0; start < out.length; start += rowLen) {
    const end = Math.min(out.length, start + rowLen);
    for (let i = start + bpp; i < end; i++) out[i] = (out[i]! + out[i - bpp]!) & 0xff;
  }
  return out;
}

function asciiHexDecode(data: Buffer): Buffer {
  const out: number[] = [];
  let hi = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    const v =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x41 && c <= 0x46
          ? c - 55
          : c >= 0x61 && c <= 0x66
            ? c - 87
            : -1;
    if (v < 0) continue;
    if (hi < 0) hi = v;
    else {
      out.push(hi * 16 + v);
      hi = -1;
    }
  }
  if (hi >= 0) out.push(hi * 16);
  return Buffer.from(out);
}

function ascii85Decode(data: Buffer, maxBytes: number): Buffer {
  const out: number[] = [];
  const group: number[] = [];
  const flush = (n: number): void => {
    let v = 0;
    for (let i = 0; i < 5; i++) v = v * 85 + (group[i] ?? 84);
    const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    for (let i = 0; i < n; i++) out.push(bytes[i]!);
  };
  let i = 0;
  if (data[0] === 0x3c && data[1] === 0x7e) i = 2; // optional <~
  for (; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7e) break; // ~>
    if (c === 0x7a && group.length === 0) {
      out.push(0, 0, 0, 0);
    } else if (c >= 0x21 && c <= 0x75) {
      group.push(c - 0x21);
      if (group.length === 5) {
        flush(4);
        group.length = 0;
      }
    }
    if (out.length > maxBytes) throw tooLarge(maxBytes);
  }
  if (group.length > 1) flush(group.length - 1);
  return Buffer.from(out);
}

function runLengthDecode(data: Buffer, maxBytes: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  let i = 0;
  while (i < data.length) {
    const n = data[i++]!;
    if (n === 128) break;
    if (n < 128) {
      const chunk = data.subarray(i, i + n + 1);
      out.push(chunk);
      total += chunk.length;
      i += n + 1;
    } else {
      const b = data[i++];
      if (b === undefined) break;
      out.push(Buffer.alloc(257 - n, b));
      total += 257 - n;
    }
    if (total > maxBytes) throw tooLarge(maxBytes);
  }
  return Buffer.concat(out);
}
