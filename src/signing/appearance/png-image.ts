// Reads PNG files (ISO/IEC 15948, PNG 3rd edition) into 8-bit samples for a PDF image XObject: IHDR,
// PLTE, tRNS, pHYs and IDAT, every colour type and bit depth, Adam7 interlacing. Alpha (an alpha
// channel or tRNS) is kept apart so it becomes the image's soft mask (ISO 32000-1 §11.6.5.3).
import { inflateSync } from 'node:zlib';
import { KysoError } from '../../shared/errors.js';
import { crc32 } from './crc32.js';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Pixels as 8-bit samples, colour and alpha apart. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly colorSpace: 'DeviceGray' | 'DeviceRGB';
  /** width × height × (1 or 3) samples. */
  readonly color: Buffer;
  /** width × height alpha samples; null when every pixel is opaque. */
  readonly alpha: Buffer | null;
  /** Pixels per inch from pHYs (unit: metre); null when the file does not say. */
  readonly dpi: { readonly x: number; readonly y: number } | null;
}

/** The largest image accepted, in pixels (a 300-dpi A4 scan is about 8.7 million). */
export const MAX_IMAGE_PIXELS = 40_000_000;

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
const ADAM7: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

function damaged(source: string, reason: string): KysoError {
  return new KysoError('IMAGE_UNREADABLE', `${source}: ${reason}`, { details: { path: source, reason } });
}

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

export function isPng(bytes: Buffer): boolean {
  return bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE);
}

/** Decodes a PNG file. IMAGE_UNREADABLE when it is damaged, IMAGE_TOO_LARGE past MAX_IMAGE_PIXELS. */
export function decodePng(bytes: Buffer, source: string): Raster {
  if (!isPng(bytes))
    throw new KysoError('IMAGE_UNSUPPORTED', `${source} is not a PNG file.`, { details: { path: source } });
  let pos = 8;
  let header: Header | null = null;
  let palette: Buffer | null = null;
  let trns: Buffer | null = null;
  let dpi: Raster['dpi'] = null;
  const idat: Buffer[] = [];
  let ended = false;
  while (pos + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > bytes.length) throw damaged(source, `chunk ${type} is cut short`);
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== bytes.readUInt32BE(pos + 8 + length)) {
      throw damaged(source, `chunk ${type} fails its CRC`);
    }
    pos += 12 + length;
    if (type === 'IHDR') {
      if (length !== 13) throw damaged(source, 'bad IHDR');
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data[8]!,
        colorType: data[9]!,
        interlace: data[12]!,
      };
      if (data[10] !== 0 || data[11] !== 0 || header.interlace > 1)
        throw damaged(source, 'unknown compression, filter or interlace method');
      if (!(DEPTHS[header.colorType] ?? []).includes(header.bitDepth)) {
        throw damaged(source, `colour type ${header.colorType} with bit depth ${header.bitDepth}`);
      }
      if (header.width === 0 || header.height === 0) throw damaged(source, 'empty image');
      if (header.width * header.height > MAX_IMAGE_PIXELS) {
        throw new KysoError('IMAGE_TOO_LARGE', `${source} has ${header.width}×${header.height} pixels.`, {
          details: { path: source, width: header.width, height: header.height },
        });
      }
    } else if (type === 'PLTE') palette = Buffer.from(data);
    else if (type === 'tRNS') trns = Buffer.from(data);
    else if (type === 'pHYs' && length === 9 && data[8] === 1) {
      const x = data.readUInt32BE(0) * 0.0254;
      const y = data.readUInt32BE(4) * 0.0254;
      if (x > 0 && y > 0) dpi = { x, y };
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    } else if ((type.charCodeAt(0) & 0x20) === 0) {
      throw damaged(source, `unknown critical chunk ${type}`);
    }
  }
  if (header === null) throw damaged(source, 'no IHDR');
  if (!ended) throw damaged(source, 'the file is cut short (no IEND)');
  if (idat.length === 0) throw damaged(source, 'no image data');
  if (header.colorType === 3 && palette === null) throw damaged(source, 'a palette image without PLTE');

  const channels = CHANNELS[header.colorType]!;
  const bitsPerPixel = channels * header.bitDepth;
  const passes = header.interlace === 1 ? ADAM7 : ([[0, 0, 1, 1]] as const);
  let expected = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((header.width - x0) / dx);
    const ph = Math.ceil((header.height - y0) / dy);
    if (pw > 0 && ph > 0) expected += ph * (1 + Math.ceil((pw * bitsPerPixel) / 8));
  }
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch (cause) {
    throw new KysoError('IMAGE_UNREADABLE', `${source}: the image data cannot be decompressed.`, {
      details: { path: source, reason: 'zlib' },
      cause,
    });
  }
  if (raw.length < expected) throw damaged(source, 'the image data is cut short');

  // Unfilter every pass into samples at full image positions.
  const samples = new Uint16Array(header.width * header.height * channels);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  let at = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((header.width - x0) / dx);
    const ph = Math.ceil((header.height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const rowBytes = Math.ceil((pw * bitsPerPixel) / 8);
    let prev = Buffer.alloc(rowBytes);
    for (let r = 0; r < ph; r++) {
      const filter = raw[at]!;
      const row = Buffer.from(raw.subarray(at + 1, at + 1 + rowBytes));
      at += 1 + rowBytes;
      unfilter(filter, row, prev, bpp, source);
      const y = y0 + r * dy;
      for (let c = 0; c < pw; c++) {
        const x = x0 + c * dx;
        const base = (y * header.width + x) * channels;
        for (let k = 0; k < channels; k++)
          samples[base + k] = sampleAt(row, c * channels + k, header.bitDepth);
      }
      prev = row;
    }
  }
  return toRaster(header, samples, palette, trns, dpi);
}

function unfilter(filter: number, row: Buffer, prev: Buffer, bpp: number, source: string): void {
  const n = row.length;
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < n; i++) row[i] = (row[i]! + row[i - bpp]!) & 0xff;
      return;
    case 2:
      for (let i = 0; i < n; i++) row[i] = (row[i]! + prev[i]!) & 0xff;
      return;
    case 3:
      for (let i = 0; i < n; i++)
        row[i] = (row[i]! + (((i >= bpp ? row[i - bpp]! : 0) + prev[i]!) >> 1)) & 0xff;
      return;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? row[i - bpp]! : 0;
        const b = prev[i]!;
        const c = i >= bpp ? prev[i - bpp]! : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        row[i] = (row[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
      return;
    default:
      throw damaged(source, `unknown row filter ${filter}`);
  }
}

function sampleAt(row: Buffer, index: number, depth: number): number {
  switch (depth) {
    case 8:
      return row[index]!;
    case 16:
      return row.readUInt16BE(index * 2);
    default: {
      const bit = index * depth;
      return (row[bit >> 3]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    }
  }
}

function toRaster(
  h: Header,
  samples: Uint16Array,
  palette: Buffer | null,
  trns: Buffer | null,
  dpi: Raster['dpi'],
): Raster {
  const pixels = h.width * h.height;
  const max = (1 << h.bitDepth) - 1;
  const to8 = (v: number): number =>
    h.bitDepth === 16 ? v >> 8 : h.bitDepth === 8 ? v : Math.round((v * 255) / max);
  const gray = h.colorType === 0 || h.colorType === 4;
  const color = Buffer.alloc(pixels * (gray ? 1 : 3));
  const alpha = Buffer.alloc(pixels, 255);
  let transparent = false;
  const key = trns !== null && (h.colorType === 0 || h.colorType === 2) ? trnsKey(trns, h.colorType) : null;
  for (let i = 0; i < pixels; i++) {
    switch (h.colorType) {
      case 0: {
        const v = samples[i]!;
        color[i] = to8(v);
        if (key !== null && v === key[0]) alpha[i] = 0;
        break;
      }
      case 4:
        color[i] = to8(samples[i * 2]!);
        alpha[i] = to8(samples[i * 2 + 1]!);
        break;
      case 2: {
        const [r, g, b] = [samples[i * 3]!, samples[i * 3 + 1]!, samples[i * 3 + 2]!];
        color[i * 3] = to8(r);
        color[i * 3 + 1] = to8(g);
        color[i * 3 + 2] = to8(b);
        if (key !== null && r === key[0] && g === key[1] && b === key[2]) alpha[i] = 0;
        break;
      }
      case 6:
        for (let k = 0; k < 3; k++) color[i * 3 + k] = to8(samples[i * 4 + k]!);
        alpha[i] = to8(samples[i * 4 + 3]!);
        break;
      case 3: {
        const index = samples[i]!;
        const p = palette!;
        // An index past the palette is an error in the file; show it black, as browsers do.
        for (let k = 0; k < 3; k++) color[i * 3 + k] = p[index * 3 + k] ?? 0;
        if (trns !== null && index < trns.length) alpha[i] = trns[index]!;
        break;
      }
    }
    if (alpha[i] !== 255) transparent = true;
  }
  return {
    width: h.width,
    height: h.height,
    colorSpace: gray ? 'DeviceGray' : 'DeviceRGB',
    color,
    alpha: transparent ? alpha : null,
    dpi,
  };
}

function trnsKey(trns: Buffer, colorType: number): number[] | null {
  if (colorType === 0 && trns.length >= 2) return [trns.readUInt16BE(0)];
  if (colorType === 2 && trns.length >= 6)
    return [trns.readUInt16BE(0), trns.readUInt16BE(2), trns.readUInt16BE(4)];
  return null;
}
