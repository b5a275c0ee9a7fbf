// Each signer's images, kept per certificate: <KYSO_HOME>/images/<certificate SHA-256>/signature.png
// (the competent person's handwritten signature) and seal.png (the agency's seal), or .jpg. Import
// validates the file (PNG or JPEG, size) and warns about what Decree 30 asks and the file does not
// show: a transparent background, a red seal, a declared resolution for the seal's real size.
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import { kysoHome } from '../home.js';
import { inkColour, readSignatureImage, type SignatureImage } from './signature-image.js';

export type StoredImageKind = 'signature' | 'seal';

export type ImageWarningCode = 'NO_TRANSPARENCY' | 'SEAL_NOT_RED' | 'SIGNATURE_NOT_BLUE' | 'NO_RESOLUTION';

export interface ImageWarning {
  readonly code: ImageWarningCode;
  readonly vi: string;
  readonly en: string;
}

export const IMAGE_WARNINGS: Readonly<Record<ImageWarningCode, ImageWarning>> = {
  NO_TRANSPARENCY: {
    code: 'NO_TRANSPARENCY',
    vi: 'Ảnh không có nền trong suốt: nền ảnh sẽ che chữ của văn bản. Nên dùng ảnh PNG nền trong suốt.',
    en: 'The image has no transparent background: it will hide the text beneath. Use a PNG with transparency.',
  },
  SEAL_NOT_RED: {
    code: 'SEAL_NOT_RED',
    vi: 'Ảnh con dấu không có màu đỏ như Nghị định 30/2020/NĐ-CP quy định.',
    en: 'The seal image is not red, as Decree 30/2020/NĐ-CP requires.',
  },
  SIGNATURE_NOT_BLUE: {
    code: 'SIGNATURE_NOT_BLUE',
    vi: 'Ảnh chữ ký không có màu xanh như Nghị định 30/2020/NĐ-CP quy định.',
    en: 'The signature image is not blue, as Decree 30/2020/NĐ-CP requires.',
  },
  NO_RESOLUTION: {
    code: 'NO_RESOLUTION',
    vi: 'Ảnh con dấu không ghi độ phân giải (DPI): hãy đặt đường kính con dấu (mm) trong cấu hình để dấu có đúng kích thước thật.',
    en: "The seal image declares no resolution (DPI): set the seal's diameter (mm) in the settings so that it shows at its real size.",
  },
};

/** What an import found. */
export interface ImportedImage {
  readonly path: string;
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
  readonly dpi: { readonly x: number; readonly y: number } | null;
  readonly hasTransparency: boolean;
  readonly warnings: readonly ImageWarning[];
}

const HEX64 = /^[0-9a-f]{64}$/;

function certificateDir(home: string, certificateSha256: string): string {
  const id = certificateSha256.toLowerCase();
  if (!HEX64.test(id)) throw new KysoError('INTERNAL', 'A certificate fingerprint must be 64 hex digits.');
  return path.join(home, 'images', id);
}

/** The warnings an image deserves for its use. */
export function imageWarnings(image: SignatureImage, kind: StoredImageKind): ImageWarning[] {
  const out: ImageWarning[] = [];
  if (!image.hasTransparency) out.push(IMAGE_WARNINGS.NO_TRANSPARENCY);
  const ink = inkColour(image);
  if (ink !== null && kind === 'seal') {
    const red = (ink.hue <= 25 || ink.hue >= 335) && ink.saturation >= 0.35;
    if (!red) out.push(IMAGE_WARNINGS.SEAL_NOT_RED);
  }
  if (ink !== null && kind === 'signature') {
    const blue = ink.hue >= 180 && ink.hue <= 260 && ink.saturation >= 0.25;
    if (!blue) out.push(IMAGE_WARNINGS.SIGNATURE_NOT_BLUE);
  }
  if (kind === 'seal' && image.dpi === null) out.push(IMAGE_WARNINGS.NO_RESOLUTION);
  return out;
}

/** The stored image of `kind` for a certificate, or null when none was imported. */
export async function storedImagePath(
  certificateSha256: string,
  kind: StoredImageKind,
  home: string = kysoHome(),
): Promise<string | null> {
  const dir = certificateDir(home, certificateSha256);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  const found = [`${kind}.png`, `${kind}.jpg`].find((n) => names.includes(n));
  return found === undefined ? null : path.join(dir, found);
}

/**
 * Validates `source` and stores a copy as the certificate's image of `kind`, replacing an earlier
 * one. Errors (IMAGE_NOT_FOUND, IMAGE_UNREADABLE, IMAGE_UNSUPPORTED, IMAGE_TOO_LARGE) leave the
 * store as it was; warnings do not stop the import.
 */
export async function importSignatureImage(options: {
  readonly certificateSha256: string;
  readonly kind: StoredImageKind;
  readonly source: string;
  readonly home?: string;
}): Promise<ImportedImage> {
  const image = await readSignatureImage(options.source);
  const dir = certificateDir(options.home ?? kysoHome(), options.certificateSha256);
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, `${options.kind}.${image.format === 'png' ? 'png' : 'jpg'}`);
  const temp = `${target}.${process.pid}.tmp`;
  await copyFile(options.source, temp);
  // One image per kind: a PNG replaces an earlier JPEG and the other way round.
  for (const ext of ['png', 'jpg']) {
    const other = path.join(dir, `${options.kind}.${ext}`);
    if (other !== target) await rm(other, { force: true });
  }
  await rename(temp, target);
  return {
    path: target,
    format: image.format,
    width: image.width,
    height: image.height,
    dpi: image.dpi,
    hasTransparency: image.hasTransparency,
    warnings: imageWarnings(image, options.kind),
  };
}
