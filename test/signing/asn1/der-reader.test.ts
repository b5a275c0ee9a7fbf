// The DER/BER reader on hand-made encodings: length and tag forms, indefinite length, every way
// input can be malformed, and the value decoders (OIDs, integers, times, every string type).
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import {
  DerError,
  Tag,
  TagClass,
  assertWellFormed,
  bitStringBytesOf,
  booleanOf,
  children,
  contentOf,
  encodedOf,
  integerBytesOf,
  isContext,
  isString,
  isUniversal,
  oidOf,
  readDer,
  readDerExactly,
  stringOf,
  timeOf,
  type DerNode,
} from '../../../src/signing/asn1/der-reader.js';

const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.replace(/\s/g, ''), 'hex'));
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** One TLV with a single-byte tag and a minimal definite length. */
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...length, ...content]);
}

const text = (tag: number, value: string, encoding: BufferEncoding = 'utf8'): DerNode =>
  readDerExactly(tlv(tag, new Uint8Array(Buffer.from(value, encoding))));

function utf16be(value: string): Uint8Array {
  const le = Buffer.from(value, 'utf16le');
  return new Uint8Array(le.swap16());
}

function utf32be(value: string): Uint8Array {
  const points = Array.from(value, (c) => c.codePointAt(0) ?? 0);
  const out = new Uint8Array(points.length * 4);
  const view = new DataView(out.buffer);
  points.forEach((p, i) => view.setUint32(i * 4, p));
  return out;
}

function expectDerError(read: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    read();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DerError);
  expect((caught as Error).message).toMatch(message);
}

describe('readDer: identifiers and lengths', () => {
  it('reads a short-form element and gives offsets into the caller’s buffer', () => {
    const input = bytes('ff 04 03 616263 ee');
    const node = readDer(input, 1);
    expect(node).toMatchObject({
      tagClass: TagClass.universal,
      constructed: false,
      tagNumber: Tag.octetString,
      start: 1,
      contentStart: 3,
      contentEnd: 6,
      end: 6,
    });
    expect(node.bytes).toBe(input);
    expect(hexOf(contentOf(node))).toBe('616263');
    expect(hexOf(encodedOf(node))).toBe('0403616263');
    // views, not copies
    expect(contentOf(node).buffer).toBe(input.buffer);
  });

  it('reads long-form lengths, minimal or not', () => {
    const content = new Uint8Array(300).fill(7);
    const node = readDerExactly(Uint8Array.from([0x04, 0x82, 0x01, 0x2c, ...content]));
    expect(node.contentStart).toBe(4);
    expect(contentOf(node)).toHaveLength(300);
    // BER allows a long form where the short one would do, and leading zero octets
    expect(contentOf(readDerExactly(bytes('04 81 02 aabb')))).toEqual(bytes('aabb'));
    expect(contentOf(readDerExactly(bytes('04 83 000002 aabb')))).toEqual(bytes('aabb'));
  });

  it('reads every tag class and long-form tag numbers', () => {
    const app = readDerExactly(bytes('61 00'));
    expect([app.tagClass, app.constructed, app.tagNumber]).toEqual([TagClass.application, true, 1]);
    const ctx = readDerExactly(bytes('83 01 ff'));
    expect([ctx.tagClass, ctx.constructed, ctx.tagNumber]).toEqual([TagClass.context, false, 3]);
    expect(isContext(ctx, 3)).toBe(true);
    const priv = readDerExactly(bytes('df 1f 00'));
    expect([priv.tagClass, priv.tagNumber]).toEqual([TagClass.private, 31]);
    // [201] = 0x81 0x49 in base 128
    const long = readDerExactly(bytes('bf 81 49 03 05 01 00'));
    expect([long.tagClass, long.constructed, long.tagNumber, long.contentStart]).toEqual([
      TagClass.context,
      true,
      201,
      4,
    ]);
    expect(children(long).map((c) => c.tagNumber)).toEqual([5]);
    const big = readDerExactly(bytes('9f 87 ff ff 7f 00'));
    expect(big.tagNumber).toBe(0x7 * 128 ** 3 + 0x7f * 128 ** 2 + 0x7f * 128 + 0x7f);
  });

  it('reads constructed values lazily, children within their parent', () => {
    const seq = readDerExactly(bytes('30 0a 02 01 05 31 05 0c 03 616263'));
    const [int, set] = children(seq);
    expect(isUniversal(int, Tag.integer)).toBe(true);
    expect(isUniversal(set, Tag.set) && set.constructed).toBe(true);
    expect(children(set!).map((n) => stringOf(n))).toEqual(['abc']);
    expect(children(readDerExactly(bytes('30 00')))).toEqual([]);
  });

  it('reads BER indefinite lengths, nested, with definite elements inside', () => {
    // SEQUENCE (indef) { INTEGER 1, [0] (indef) { OCTET STRING 'ab', SEQUENCE {} }, NULL } 00 00
    const input = bytes('30 80 020101 a0 80 0402 6162 3000 0000 0500 0000');
    const node = readDerExactly(input);
    expect(node.end).toBe(input.length);
    expect(node.contentEnd).toBe(input.length - 2);
    const [one, inner, nul] = children(node);
    expect(hexOf(integerBytesOf(one!))).toBe('01');
    expect(isContext(inner, 0)).toBe(true);
    expect(inner!.end - inner!.start).toBe(10);
    expect(children(inner!).map((c) => c.tagNumber)).toEqual([Tag.octetString, Tag.sequence]);
    expect(isUniversal(nul, Tag.null)).toBe(true);
    expect(() => assertWellFormed(node)).not.toThrow();
    // an indefinite element followed by other bytes: readDer stops at its end-of-contents
    expect(readDer(bytes('30 80 0500 0000 ffff')).end).toBe(6);
  });

  it('leaves bytes after the element to readDerExactly to refuse', () => {
    expect(readDer(bytes('0500 00')).end).toBe(2);
    expectDerError(() => readDerExactly(bytes('0500 00')), /1 bytes after/);
  });

  it('throws DerError on malformed input', () => {
    const cases: [string, RegExp][] = [
      ['', /truncated/],
      ['04', /truncated length/],
      ['1f', /truncated tag/],
      ['1f 81', /truncated tag/],
      ['1f 81 81 81 81 01 00', /tag number too long/],
      ['04 05 6162', /past the end/],
      ['04 82 01', /truncated length/],
      ['04 87 01020304050607', /length of 7 octets/],
      ['04 ff', /reserved length/],
      ['04 80 0000', /indefinite length on a primitive/],
      ['30 80 0500', /truncated/], // no end-of-contents
      ['30 80 30 80 0000', /truncated/], // the outer one is not closed
      ['30 80 0405 6162 0000', /past the end/],
    ];
    for (const [hex, message] of cases) expectDerError(() => readDerExactly(bytes(hex)), message);
  });

  it('refuses a child that runs past its parent, even inside the buffer', () => {
    // SEQUENCE of length 3 whose OCTET STRING says 3 content bytes: asn1js reads this "healed"
    const node = readDer(bytes('30 03 0403 616263'));
    expectDerError(() => children(node), /past the end/);
    expectDerError(() => assertWellFormed(node), /past the end/);
    expectDerError(() => children(readDerExactly(bytes('04 01 00'))), /primitive element/);
  });

  it('assertWellFormed walks the whole tree and refuses constructed primitive-only types', () => {
    expect(() => assertWellFormed(readDerExactly(bytes('30 07 31 05 30 03 020101')))).not.toThrow();
    expectDerError(() => assertWellFormed(readDerExactly(bytes('30 06 31 04 30 02 0203'))), /past the end/);
    expectDerError(
      () => assertWellFormed(readDerExactly(bytes('30 05 22 03 020101'))),
      /constructed encoding/,
    );
    // nesting deeper than any real structure: an error, not a stack overflow
    let deep = bytes('0500');
    for (let i = 0; i < 150; i++) deep = tlv(0x30, deep);
    expectDerError(() => assertWellFormed(readDerExactly(deep)), /nesting/);
    const indefinite = bytes('30 80'.repeat(150) + '0000'.repeat(150));
    expectDerError(() => readDerExactly(indefinite), /nesting/);
  });
});

describe('value decoders', () => {
  it('oidOf: dotted text of every first-arc form and of arcs beyond 2^53', () => {
    const oid = (value: string): DerNode =>
      readDerExactly(new Uint8Array(new asn1js.ObjectIdentifier({ value }).toBER(false)));
    for (const value of [
      '0.9.2342.19200300.100.1.1',
      '1.2.840.113549.1.9.16.2.47',
      '2.5.29.37',
      '2.999.1',
      '1.3.6.1.4.1.311.21.7',
      '2.16.704.1.2.3.4294967296',
    ]) {
      expect(oidOf(oid(value))).toBe(value);
    }
    // a UUID OID (2.25.<128-bit integer>)
    const uuid = '2.25.329800735698586629295641978511506172918';
    const arc = BigInt(uuid.split('.')[2]!);
    const digits: number[] = [];
    for (let rest = arc; rest > 0n; rest >>= 7n)
      digits.unshift(Number(rest & 0x7fn) | (digits.length ? 0x80 : 0));
    expect(oidOf(readDerExactly(tlv(0x06, Uint8Array.from([0x69, ...digits]))))).toBe(uuid);
    // the first subidentifier itself beyond 2^53: 2.(x - 80)
    expect(oidOf(readDerExactly(bytes('06 09 ffffffffffffffff7f')))).toBe(`2.${2n ** 63n - 1n - 80n}`);
    expectDerError(() => oidOf(readDerExactly(bytes('06 00'))), /empty/);
    expectDerError(() => oidOf(readDerExactly(bytes('06 02 2a86'))), /truncated/);
    expectDerError(() => oidOf(readDerExactly(bytes('02 01 01'))), /expected OBJECT IDENTIFIER/);
  });

  it('reads an implicitly tagged value as the type asked for', () => {
    expect(hexOf(integerBytesOf(readDerExactly(bytes('80 02 00ff'))))).toBe('00ff');
    expect(booleanOf(readDerExactly(bytes('81 01 ff')))).toBe(true);
    expectDerError(() => integerBytesOf(readDerExactly(bytes('a0 03 020101'))), /constructed/);
  });

  it('integerBytesOf, booleanOf, bitStringBytesOf', () => {
    expect(hexOf(integerBytesOf(readDerExactly(bytes('02 03 00 8000'))))).toBe('008000');
    expectDerError(() => integerBytesOf(readDerExactly(bytes('02 00'))), /empty INTEGER/);
    expect(booleanOf(readDerExactly(bytes('01 01 ff')))).toBe(true);
    expect(booleanOf(readDerExactly(bytes('01 01 01')))).toBe(true); // BER: any non-zero octet
    expect(booleanOf(readDerExactly(bytes('01 01 00')))).toBe(false);
    expectDerError(() => booleanOf(readDerExactly(bytes('01 02 0000'))), /BOOLEAN of 2/);
    expect(hexOf(bitStringBytesOf(readDerExactly(bytes('03 03 07 8680'))))).toBe('8680');
    expect(bitStringBytesOf(readDerExactly(bytes('03 01 00')))).toHaveLength(0);
    expectDerError(() => bitStringBytesOf(readDerExactly(bytes('03 00'))), /malformed BIT STRING/);
    expectDerError(() => bitStringBytesOf(readDerExactly(bytes('03 02 08 00'))), /malformed BIT STRING/);
  });

  it('timeOf: UTCTime with the RFC 5280 year rule, seconds optional, offsets applied', () => {
    const utc = (s: string): Date => timeOf(text(Tag.utcTime, s, 'latin1'));
    expect(utc('491231235959Z').toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(utc('500101000000Z').toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(utc('000229120000Z').toISOString()).toBe('2000-02-29T12:00:00.000Z');
    expect(utc('2601011200Z').toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(utc('260101120000+0700').toISOString()).toBe('2026-01-01T05:00:00.000Z');
    expect(utc('260101003000-0130').toISOString()).toBe('2026-01-01T02:00:00.000Z');
    for (const bad of [
      '260101120000',
      '26010112000Z',
      '261301000000Z',
      '260431000000Z',
      '260101240000Z',
      'x',
    ]) {
      expectDerError(() => utc(bad), /malformed time/);
    }
  });

  it('timeOf: GeneralizedTime with fractions, Z, offsets, and years before 100', () => {
    const gen = (s: string): Date => timeOf(text(Tag.generalizedTime, s, 'latin1'));
    expect(gen('20500101000000Z').toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(gen('20260415083012.5Z').toISOString()).toBe('2026-04-15T08:30:12.500Z');
    expect(gen('20260415083012,123456Z').toISOString()).toBe('2026-04-15T08:30:12.123Z');
    expect(gen('20260415083012.007Z').toISOString()).toBe('2026-04-15T08:30:12.007Z');
    expect(gen('202604150830Z').toISOString()).toBe('2026-04-15T08:30:00.000Z');
    expect(gen('2026041508.5Z').toISOString()).toBe('2026-04-15T08:30:00.000Z');
    expect(gen('202604150830.25Z').toISOString()).toBe('2026-04-15T08:30:15.000Z');
    expect(gen('20260415083012+0700').toISOString()).toBe('2026-04-15T01:30:12.000Z');
    expect(gen('20260415083012.25-05').toISOString()).toBe('2026-04-15T13:30:12.250Z');
    expect(gen('20260415083012').toISOString()).toBe('2026-04-15T08:30:12.000Z'); // no zone: UTC
    expect(gen('00500101000000Z').getUTCFullYear()).toBe(50);
    // what asn1js gives for the forms RFC 5280 allows
    for (const value of ['20260415083012Z', '20260415083012.5Z', '19991231235959.999Z', '20380119031408Z']) {
      const reference = new asn1js.GeneralizedTime({ value }).toDate();
      expect(gen(value).getTime()).toBe(reference.getTime());
    }
    for (const bad of [
      '20260415Z',
      '2026041508301Z',
      '20260230000000Z',
      '20260415083060Z',
      '20260415083012+07000',
    ]) {
      expectDerError(() => gen(bad), /malformed time/);
    }
    expectDerError(() => timeOf(text(Tag.utf8String, '20260415083012Z')), /expected UTCTime/);
  });

  it('stringOf: every character string type', () => {
    const vietnamese = 'Nguyễn Thị Hương – Ủy ban nhân dân tỉnh Đắk Lắk';
    expect(stringOf(text(12, vietnamese))).toBe(vietnamese);
    expect(stringOf(text(18, '0123 456'))).toBe('0123 456');
    expect(stringOf(text(19, "Kyso Test CA (VN) 'x'"))).toBe("Kyso Test CA (VN) 'x'");
    expect(stringOf(readDerExactly(tlv(20, bytes('4dfc6c6c6572a9'))))).toBe('Müller©'); // latin1
    expect(stringOf(text(22, 'ca@kyso.vn'))).toBe('ca@kyso.vn');
    expect(stringOf(text(26, 'Visible'))).toBe('Visible');
    expect(stringOf(readDerExactly(tlv(30, utf16be(vietnamese))))).toBe(vietnamese);
    expect(stringOf(readDerExactly(tlv(28, utf32be(`${vietnamese} 𝔸`))))).toBe(`${vietnamese} 𝔸`);
    // the same as asn1js for each type
    for (const [Type, value] of [
      [asn1js.Utf8String, vietnamese],
      [asn1js.BmpString, vietnamese],
      [asn1js.UniversalString, `${vietnamese} 𝔸`],
      [asn1js.PrintableString, 'Ha Noi'],
      [asn1js.TeletexString, 'H\u00e0 N\u00f4i'],
      [asn1js.IA5String, 'a@b.vn'],
      [asn1js.VisibleString, 'x'],
      [asn1js.NumericString, '42'],
    ] as const) {
      const der = new Uint8Array(new Type({ value }).toBER(false));
      const reference = asn1js.fromBER(der).result as unknown as { valueBlock: { value: string } };
      expect(stringOf(readDerExactly(der))).toBe(reference.valueBlock.value);
    }
  });

  it('stringOf: the edge cases asn1js has answers for', () => {
    // invalid UTF-8: one character per byte, as asn1js does
    expect(stringOf(readDerExactly(bytes('0c 03 61ff62')))).toBe('a\u00ffb');
    // a BOM is kept
    expect(stringOf(readDerExactly(bytes('0c 04 efbbbf61')))).toBe('\ufeffa');
    // BMPString keeps UTF-16 surrogate pairs (and lone ones)
    expect(stringOf(readDerExactly(bytes('1e 06 d835dd38 0041')))).toBe('𝔸A');
    expect(stringOf(readDerExactly(bytes('1e 02 d835')))).toBe('\ud835');
    // UniversalString: outside Unicode or a lone surrogate is U+FFFD; a surrogate pair is joined
    expect(stringOf(readDerExactly(bytes('1c 08 00110000 00000041')))).toBe('\ufffdA');
    expect(stringOf(readDerExactly(bytes('1c 08 0000d835 0000dd38')))).toBe('𝔸');
    expect(stringOf(readDerExactly(bytes('1c 04 0000dc00')))).toBe('\ufffd');
    expectDerError(() => stringOf(readDerExactly(bytes('1e 03 004100'))), /odd length/);
    expectDerError(() => stringOf(readDerExactly(bytes('1c 02 0041'))), /multiple of 4/);
    // BER constructed string: its segments joined
    expect(stringOf(readDerExactly(bytes('2c 80 0c02 6869 0c01 21 0000')))).toBe('hi!');
    expectDerError(() => stringOf(readDerExactly(bytes('04 01 61'))), /character string/);
    expect(isString(readDerExactly(bytes('13 00')))).toBe(true);
    expect(isString(readDerExactly(bytes('17 00')))).toBe(false); // a time is not a string here
  });

  it('a long BMPString and UniversalString (chunked decoding)', () => {
    const long = 'Đ'.repeat(20_000) + '𝔸'.repeat(10_000);
    const withLength = (tag: number, content: Uint8Array): Uint8Array => {
      const n = content.length;
      return Uint8Array.from([tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff, ...content]);
    };
    expect(stringOf(readDerExactly(withLength(30, utf16be(long))))).toBe(long);
    expect(stringOf(readDerExactly(withLength(28, utf32be(long))))).toBe(long);
  });
});
