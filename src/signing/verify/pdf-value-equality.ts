// Structural equality of PDF values across two revisions of one document: an object rewritten with
// the same value (writers often re-save untouched objects) is not a change. References compare by
// number and generation, streams by dictionary and raw (still encoded) bytes.
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfNumber,
  PdfRef,
  PdfStream,
  PdfString,
  type PdfReader,
  type PdfValue,
} from '../pdf/index.js';

/** Streams larger than this are compared as different rather than read (bounded work per object). */
const MAX_COMPARED_STREAM = 64 * 1024 * 1024;

async function rawData(reader: PdfReader, s: PdfStream): Promise<Buffer | null> {
  try {
    return (await reader.getStreamData(s, { decode: false, maxBytes: MAX_COMPARED_STREAM })).bytes;
  } catch {
    return null;
  }
}

/** Direct structure only (no references followed): same shape, same scalars, same references. */
export function sameDirectValue(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfNumber) return b instanceof PdfNumber && a.value === b.value;
  if (a instanceof PdfString) return b instanceof PdfString && a.bytes.equals(b.bytes);
  if (a instanceof PdfRef) return b instanceof PdfRef && a.equals(b);
  if (a instanceof PdfArray) {
    return (
      b instanceof PdfArray &&
      a.length === b.length &&
      a.items.every((x, i) => sameDirectValue(x, b.items[i]))
    );
  }
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.size !== b.size) return false;
    for (const [k, v] of a.entries()) if (!b.has(k) || !sameDirectValue(v, b.get(k))) return false;
    return true;
  }
  if (a instanceof PdfStream) return b instanceof PdfStream && sameDirectValue(a.dict, b.dict);
  return false;
}

/** Equality of two objects read from two readers, streams compared by their raw bytes. */
export async function sameObject(
  a: PdfValue,
  readerA: PdfReader,
  b: PdfValue,
  readerB: PdfReader,
): Promise<boolean> {
  if (!sameDirectValue(a, b)) return false;
  if (a instanceof PdfStream && b instanceof PdfStream) {
    const [da, db] = await Promise.all([rawData(readerA, a), rawData(readerB, b)]);
    return da !== null && db !== null && da.equals(db);
  }
  return true;
}
