// The /ByteRange sanity check (ISO 32000-1 §12.8.1, ETSI EN 319 142-1 §5.1, and the universal
// signature forgery and signature wrapping attacks of pdf-insecurity.org): exactly two ranges, the
// first from byte 0, the only gap exactly the hexadecimal /Contents string of this very signature
// dictionary, and the end of the second range at the end of a revision (`%%EOF`).
import type { PositionalFile } from '../pdf/index.js';

export type ByteRangeProblem =
  'missing' | 'malformed' | 'not-from-start' | 'outside-file' | 'gap-not-contents' | 'not-revision-end';

export type ByteRangeCheck =
  | {
      readonly ok: true;
      readonly ranges: readonly [readonly [number, number], readonly [number, number]];
      /** Offset just past the signed bytes: the end of the signed revision. */
      readonly coveredEnd: number;
    }
  | { readonly ok: false; readonly problem: ByteRangeProblem };

export interface ByteRangeInput {
  readonly byteRange: readonly number[] | null;
  readonly contents: Uint8Array | null;
  readonly fileSize: number;
  /** Offset of the indirect object that holds the signature dictionary, when known. */
  readonly objectOffset: number | undefined;
  readonly file: PositionalFile;
}

async function read(file: PositionalFile, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.max(0, length));
  const { bytesRead } = await file.read(buf, 0, buf.length, offset);
  return buf.subarray(0, bytesRead);
}

const isHex = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isSpace = (c: number): boolean =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

/** The gap holds exactly `<hex>` and its bytes are this dictionary's /Contents. */
function gapIsContents(gap: Buffer, contents: Uint8Array): boolean {
  if (gap.length < 2 || gap[0] !== 0x3c || gap[gap.length - 1] !== 0x3e) return false;
  const hexText: number[] = [];
  for (let i = 1; i < gap.length - 1; i++) {
    const c = gap[i]!;
    if (isHex(c)) hexText.push(c);
    else if (!isSpace(c)) return false;
  }
  let hex = Buffer.from(hexText).toString('latin1');
  if (hex.length % 2 === 1) hex += '0';
  return Buffer.from(hex, 'hex').equals(Buffer.from(contents));
}

export async function checkByteRange(input: ByteRangeInput): Promise<ByteRangeCheck> {
  const br = input.byteRange;
  if (br === null) return { ok: false, problem: 'missing' };
  if (br.length !== 4 || br.some((n) => !Number.isSafeInteger(n) || n < 0))
    return { ok: false, problem: 'malformed' };
  const [a, b, c, d] = br as [number, number, number, number];
  if (a !== 0) return { ok: false, problem: 'not-from-start' };
  if (b <= 0 || c <= b || d < 0) return { ok: false, problem: 'malformed' };
  const end = c + d;
  if (end > input.fileSize) return { ok: false, problem: 'outside-file' };
  if (input.contents === null || c - b > 64 * 1024 * 1024) return { ok: false, problem: 'gap-not-contents' };
  if (!gapIsContents(await read(input.file, b, c - b), input.contents))
    return { ok: false, problem: 'gap-not-contents' };
  // The gap must be the value of /Contents inside the signature dictionary's own object: a
  // /Contents key right before it, and no object boundary between the object's start and the gap.
  const before = (await read(input.file, Math.max(0, b - 64), Math.min(64, b))).toString('latin1');
  if (!/\/Contents\s*$/.test(before)) return { ok: false, problem: 'gap-not-contents' };
  if (input.objectOffset === undefined || input.objectOffset >= b)
    return { ok: false, problem: 'gap-not-contents' };
  if (b - input.objectOffset <= 1024 * 1024) {
    const head = (await read(input.file, input.objectOffset, b - input.objectOffset)).toString('latin1');
    if (head.includes('endobj') || !/^\s*\d+\s+\d+\s+obj\b/.test(head))
      return { ok: false, problem: 'gap-not-contents' };
  } else return { ok: false, problem: 'gap-not-contents' };
  // The signed bytes end with `%%EOF` (and optionally its end-of-line): the end of a revision.
  const tail = (await read(input.file, Math.max(0, end - 16), Math.min(16, end))).toString('latin1');
  if (!/%%EOF[\r\n]{0,2}$/.test(tail)) return { ok: false, problem: 'not-revision-end' };
  return {
    ok: true,
    ranges: [
      [0, b],
      [c, d],
    ],
    coveredEnd: end,
  };
}
