// Fills the placeholders an update was written with: the final /ByteRange and the signature bytes,
// each exactly as long as its placeholder so no offset in the file moves.
import { KysoError } from '../../shared/errors.js';
import type { PlaceholderLocation } from './serializer.js';

export type ByteRange = readonly [number, number, number, number];

/**
 * The /ByteRange that covers the whole file except the /Contents hex string (delimiters included):
 * `contents.offset` must be absolute here (the update's offset plus the original file size).
 */
export function byteRangeAround(
  contents: Pick<PlaceholderLocation, 'offset' | 'length'>,
  fileLength: number,
): ByteRange {
  const after = contents.offset + contents.length;
  if (contents.offset < 0 || after > fileLength) {
    throw new KysoError('INTERNAL', 'The /Contents placeholder lies outside the file.');
  }
  return [0, contents.offset, after, fileLength - after];
}

/** The bytes that replace a /ByteRange placeholder: `[a b c d]` padded with spaces to the same length. */
export function patchByteRange(
  placeholder: Pick<PlaceholderLocation, 'kind' | 'length'>,
  values: ByteRange,
): Buffer {
  if (placeholder.kind !== 'byteRange')
    throw new KysoError('INTERNAL', 'This placeholder is not a /ByteRange.');
  if (values.some((v) => !Number.isSafeInteger(v) || v < 0)) {
    throw new KysoError('INTERNAL', 'A /ByteRange value must be a non-negative integer.');
  }
  const text = `[${values.join(' ')}`;
  if (text.length + 1 > placeholder.length) {
    throw new KysoError('INTERNAL', 'The /ByteRange values do not fit their placeholder.');
  }
  return Buffer.from(`${text.padEnd(placeholder.length - 1, ' ')}]`, 'latin1');
}

/**
 * The bytes that replace a /Contents placeholder: `<hex of data>` padded with zeros (DER tolerates
 * trailing zeros after the CMS structure). SIGNATURE_TOO_LARGE when `data` does not fit.
 */
export function patchHexContents(
  placeholder: Pick<PlaceholderLocation, 'kind' | 'length'>,
  data: Uint8Array,
): Buffer {
  if (placeholder.kind !== 'hex')
    throw new KysoError('INTERNAL', 'This placeholder is not a /Contents string.');
  const capacity = (placeholder.length - 2) / 2;
  if (data.length > capacity) {
    throw new KysoError('SIGNATURE_TOO_LARGE', 'The signature is larger than the space reserved for it.', {
      details: { size: data.length, capacity },
    });
  }
  const hex = Buffer.from(data).toString('hex');
  return Buffer.from(`<${hex.padEnd(placeholder.length - 2, '0')}>`, 'latin1');
}
