// A signature or seal image read from a file (PNG or JPEG, checked by content, not by name), and its
// image XObject: PNG pixels Flate-compressed with the alpha as a /SMask; JPEG passed through as
// DCTDecode. Also what an import needs to warn about: transparency and the ink's colour.
import { readFile, stat } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { KysoError } from '../../shared/errors.js';
import {
  PdfStream,
  pdfArray,
  pdfDict,
  pdfInt,
  pdfName,
  type IncrementalUpdate,
  type PdfDict,
  type PdfRef,
} from '../pdf/index.js';
import { isJpeg, readJpegInfo, type JpegInfo } from './jpeg-image.js';
import { decodePng, isPng, type Raster } from './png-image.js';

/** Files larger than this are refused before being read (a signature PNG is a few hundred KB). */
export const MAX_IMAGE_FILE_BYTES = 20 * 1024 * 1024;

export type SignatureImage =
  | {
      readonly format: 'png';
      readonly source: string;
      readonly width: number;
      readonly height: number;
      readonly dpi: { readonly x: number; readonly y: number } | null;
      readonly hasTransparency: boolean;
      readonly raster: Raster;
    }
  | {
      readonly format: 'jpeg';
      readonly source: string;
      readonly width: number;
      readonly height: number;
      readonly dpi: { readonly x: number; readonly y: number } | null;
      readonly hasTransparency: false;
      readonly info: JpegInfo;
      readonly bytes: Buffer;
    };

/** Parses image bytes; `source` names the file in errors. */
export function parseSignatureImage(bytes: Buffer, source: string): SignatureImage {
  if (isPng(bytes)) {
    const raster = decodePng(bytes, source);
    return {
      format: 'png',
      source,
      width: raster.width,
      height: raster.height,
      dpi: raster.dpi,
      hasTransparency: raster.alpha !== null,
      raster,
    };
  }
  if (isJpeg(bytes)) {
    const info = readJpegInfo(bytes, source);
    return {
      format: 'jpeg',
      source,
      width: info.width,
      height: info.height,
      dpi: info.dpi,
      hasTransparency: false,
      info,
      bytes,
    };
  }
  throw new KysoError('IMAGE_UNSUPPORTED', `${source} is neither a PNG nor a JPEG file.`, {
    details: { path: source },
  });
}

/** Reads and parses an image file: IMAGE_NOT_FOUND, IMAGE_UNREADABLE, IMAGE_TOO_LARGE, IMAGE_UNSUPPORTED. */
export async function readSignatureImage(file: string): Promise<SignatureImage> {
  let bytes: Buffer;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    if (st.size > MAX_IMAGE_FILE_BYTES) {
      throw new KysoError('IMAGE_TOO_LARGE', `${file} is ${st.size} bytes.`, {
        details: { path: file, bytes: st.size },
      });
    }
    bytes = await readFile(file);
  } catch (err) {
    if (err instanceof KysoError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new KysoError('IMAGE_NOT_FOUND', `${file} does not exist.`, { details: { path: file } });
    }
    throw new KysoError('IMAGE_UNREADABLE', `${file} cannot be read.`, {
      details: { path: file },
      cause: err,
    });
  }
  return parseSignatureImage(bytes, file);
}

/** The image's size in points when shown at the resolution it declares; null without one. */
export function naturalSizePt(image: SignatureImage): { width: number; height: number } | null {
  if (image.dpi === null) return null;
  return { width: (image.width / image.dpi.x) * 72, height: (image.height / image.dpi.y) * 72 };
}

function flateStream(dict: PdfDict, data: Buffer): PdfStream {
  dict.set('Filter', pdfName('FlateDecode'));
  return PdfStream.fromBytes(dict, deflateSync(data, { level: 9 }));
}

/** Adds the image (and its soft mask) to the update; returns the image XObject's reference. */
export function addImageXObject(update: IncrementalUpdate, image: SignatureImage): PdfRef {
  const ref = update.allocate();
  const dict = pdfDict({
    Type: pdfName('XObject'),
    Subtype: pdfName('Image'),
    Width: pdfInt(image.width),
    Height: pdfInt(image.height),
    BitsPerComponent: pdfInt(8),
  });
  if (image.format === 'jpeg') {
    const { components, invertedCmyk } = image.info;
    dict.set(
      'ColorSpace',
      pdfName(components === 1 ? 'DeviceGray' : components === 3 ? 'DeviceRGB' : 'DeviceCMYK'),
    );
    if (invertedCmyk) dict.set('Decode', pdfArray(...[1, 0, 1, 0, 1, 0, 1, 0].map((n) => pdfInt(n))));
    dict.set('Filter', pdfName('DCTDecode'));
    update.set(ref, PdfStream.fromBytes(dict, image.bytes));
    return ref;
  }
  const { raster } = image;
  dict.set('ColorSpace', pdfName(raster.colorSpace));
  if (raster.alpha !== null) {
    const maskRef = update.allocate();
    const mask = pdfDict({
      Type: pdfName('XObject'),
      Subtype: pdfName('Image'),
      Width: pdfInt(image.width),
      Height: pdfInt(image.height),
      ColorSpace: pdfName('DeviceGray'),
      BitsPerComponent: pdfInt(8),
    });
    update.set(maskRef, flateStream(mask, raster.alpha));
    dict.set('SMask', maskRef);
  }
  update.set(ref, flateStream(dict, raster.color));
  return ref;
}

/**
 * The mean colour of the ink: pixels at least half opaque and not near white (a scan's paper). For
 * JPEG files, whose pixels are not decoded here, null.
 */
export function inkColour(
  image: SignatureImage,
): { r: number; g: number; b: number; hue: number; saturation: number; pixels: number } | null {
  if (image.format !== 'png') return null;
  const { color, alpha, colorSpace } = image.raster;
  const n = image.width * image.height;
  let r = 0;
  let g = 0;
  let b = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (alpha !== null && alpha[i]! < 128) continue;
    const [pr, pg, pb] =
      colorSpace === 'DeviceGray'
        ? [color[i]!, color[i]!, color[i]!]
        : [color[i * 3]!, color[i * 3 + 1]!, color[i * 3 + 2]!];
    if (Math.min(pr, pg, pb) > 225) continue;
    r += pr;
    g += pg;
    b += pb;
    count++;
  }
  if (count === 0) return null;
  r /= count;
  g /= count;
  b /= count;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let hue = 0;
  if (d > 0) {
    if (max === r) hue = 60 * (((g - b) / d) % 6);
    else if (max === g) hue = 60 * ((b - r) / d + 2);
    else hue = 60 * ((r - g) / d + 4);
  }
  if (hue < 0) hue += 360;
  return { r, g, b, hue, saturation: max === 0 ? 0 : d / max, pixels: count };
}
