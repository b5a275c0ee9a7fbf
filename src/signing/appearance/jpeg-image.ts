// Reads what a PDF needs to embed a JPEG as it is (DCTDecode, ISO 32000-1 §7.4.8): size and
// components from the SOF segment, the resolution from JFIF (APP0) or Exif (APP1), and whether an
// Adobe (APP14) CMYK file stores its samples inverted. Only baseline, extended and progressive
// Huffman JPEGs with 8-bit samples are accepted: what every PDF reader decodes.
import { KysoError } from '../../shared/errors.js';
import { MAX_IMAGE_PIXELS } from './png-image.js';

export interface JpegInfo {
  readonly width: number;
  readonly height: number;
  readonly components: 1 | 3 | 4;
  /** An Adobe APP14 marker with 4 components: CMYK stored inverted (needs /Decode [1 0 …]). */
  readonly invertedCmyk: boolean;
  readonly dpi: { readonly x: number; readonly y: number } | null;
}

export function isJpeg(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function damaged(source: string, reason: string): KysoError {
  return new KysoError('IMAGE_UNREADABLE', `${source}: ${reason}`, { details: { path: source, reason } });
}

export function readJpegInfo(bytes: Buffer, source: string): JpegInfo {
  if (!isJpeg(bytes))
    throw new KysoError('IMAGE_UNSUPPORTED', `${source} is not a JPEG file.`, { details: { path: source } });
  let pos = 2;
  let frame: { width: number; height: number; components: number } | null = null;
  let jfifDpi: JpegInfo['dpi'] = null;
  let exifDpi: JpegInfo['dpi'] = null;
  let adobe = false;
  for (;;) {
    while (pos < bytes.length && bytes[pos] !== 0xff) pos++;
    while (pos < bytes.length && bytes[pos] === 0xff) pos++;
    if (pos >= bytes.length) throw damaged(source, 'the file ends before the image data');
    const marker = bytes[pos++]!;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9) throw damaged(source, 'no image data');
    if (pos + 2 > bytes.length) throw damaged(source, 'a segment is cut short');
    const length = bytes.readUInt16BE(pos);
    if (length < 2 || pos + length > bytes.length) throw damaged(source, 'a segment is cut short');
    const seg = bytes.subarray(pos + 2, pos + length);
    pos += length;
    if (marker === 0xda) break; // start of scan: the headers are over
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker !== 0xc0 && marker !== 0xc1 && marker !== 0xc2) {
        throw new KysoError(
          'IMAGE_UNSUPPORTED',
          `${source}: lossless, hierarchical or arithmetic-coded JPEG.`,
          {
            details: { path: source },
          },
        );
      }
      if (seg.length < 6) throw damaged(source, 'bad SOF segment');
      if (seg[0] !== 8) throw damaged(source, `${seg[0] ?? 0}-bit samples`);
      frame = { height: seg.readUInt16BE(1), width: seg.readUInt16BE(3), components: seg[5]! };
    } else if (marker === 0xe0 && seg.length >= 12 && seg.toString('latin1', 0, 5) === 'JFIF\0') {
      const unit = seg[7];
      const x = seg.readUInt16BE(8);
      const y = seg.readUInt16BE(10);
      if (x > 0 && y > 0 && (unit === 1 || unit === 2)) {
        const f = unit === 2 ? 2.54 : 1;
        jfifDpi = { x: x * f, y: y * f };
      }
    } else if (marker === 0xe1 && seg.length >= 14 && seg.toString('latin1', 0, 6) === 'Exif\0\0') {
      exifDpi = exifResolution(seg.subarray(6));
    } else if (marker === 0xee && seg.length >= 12 && seg.toString('latin1', 0, 5) === 'Adobe') {
      adobe = true;
    }
  }
  if (frame === null) throw damaged(source, 'no frame header (SOF)');
  if (frame.components !== 1 && frame.components !== 3 && frame.components !== 4) {
    throw damaged(source, `${frame.components} colour components`);
  }
  if (frame.width === 0 || frame.height === 0) throw damaged(source, 'empty image');
  if (frame.width * frame.height > MAX_IMAGE_PIXELS) {
    throw new KysoError('IMAGE_TOO_LARGE', `${source} has ${frame.width}×${frame.height} pixels.`, {
      details: { path: source, width: frame.width, height: frame.height },
    });
  }
  // The entropy-coded data must be there and end: a JPEG cut short shows as a grey band.
  if (bytes.lastIndexOf(Buffer.from([0xff, 0xd9])) < pos)
    throw damaged(source, 'the file is cut short (no EOI)');
  return {
    width: frame.width,
    height: frame.height,
    components: frame.components,
    invertedCmyk: adobe && frame.components === 4,
    dpi: jfifDpi ?? exifDpi,
  };
}

/** XResolution / YResolution / ResolutionUnit of IFD0 in a TIFF structure (Exif 2.3 §4.6.4). */
function exifResolution(tiff: Buffer): JpegInfo['dpi'] {
  if (tiff.length < 8) return null;
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number): number => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number): number => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  let x = 0;
  let y = 0;
  let unit = 2;
  const rational = (o: number): number => {
    const off = u32(o);
    if (off + 8 > tiff.length) return 0;
    const den = u32(off + 4);
    return den === 0 ? 0 : u32(off) / den;
  };
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > tiff.length) break;
    const tag = u16(e);
    if (tag === 0x011a) x = rational(e + 8);
    else if (tag === 0x011b) y = rational(e + 8);
    else if (tag === 0x0128) unit = u16(e + 8);
  }
  if (!(x > 0 && y > 0) || (unit !== 2 && unit !== 3)) return null;
  const f = unit === 3 ? 2.54 : 1;
  return { x: x * f, y: y * f };
}
