// The DER helpers that need asn1js: encoding asn1js or pkijs objects and decoding a whole element
// into asn1js objects. Apart from der.ts so that code that only builds DER by hand (the signing
// path) does not load asn1js.
import * as asn1js from 'asn1js';

/** DER of an asn1js element (or of a pkijs `toSchema()` result) as a fresh Uint8Array. */
export function encode(element: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array {
  return new Uint8Array(element.toBER(false));
}

/**
 * Parses exactly one BER element spanning all of `bytes`; undefined if the bytes are not that.
 * The input is copied so that later changes to `bytes` cannot alter the parsed values.
 */
export function decode(bytes: Uint8Array): asn1js.AsnType | undefined {
  if (bytes.length === 0) return undefined;
  const copy = new Uint8Array(bytes);
  const parsed = asn1js.fromBER(copy);
  if (parsed.offset !== copy.length || parsed.result.error !== '') return undefined;
  return parsed.result;
}
