// images.*: the signature and seal images of a certificate, through the engine's image store
// (kyso/appearance): read with their warnings, imported (validated, copied whole or not at all),
// removed. The next signature with that certificate draws the stored image.
import { rm } from 'node:fs/promises';
import type { ImageKind, StoredImageView } from '../../shared/contract/index.js';
import type { Lang } from '../../shared/messages.js';
import {
  imageWarnings,
  importSignatureImage,
  readSignatureImage,
  storedImagePath,
  type ImageWarning,
} from '../../signing/appearance-api.js';
import type { Handlers } from './service-types.js';

const warningsIn = (warnings: readonly ImageWarning[], language: Lang) =>
  warnings.map((w) => ({ code: w.code, message: w[language] }));

async function storedView(
  certificateSha256: string,
  kind: ImageKind,
  language: Lang,
  home: string | undefined,
): Promise<StoredImageView | null> {
  const file = await storedImagePath(certificateSha256.toLowerCase(), kind, home);
  if (file === null) return null;
  const image = await readSignatureImage(file);
  return {
    kind,
    format: image.format,
    width: image.width,
    height: image.height,
    dpi: image.dpi,
    hasTransparency: image.hasTransparency,
    warnings: warningsIn(imageWarnings(image, kind), language),
  };
}

export function imageHandlers(
  options: { home?: string } = {},
): Handlers<'images.get' | 'images.import' | 'images.remove'> {
  return {
    'images.get': async ({ certificateSha256 }, ctx) => ({
      signature: await storedView(certificateSha256, 'signature', ctx.language, options.home),
      seal: await storedView(certificateSha256, 'seal', ctx.language, options.home),
    }),
    'images.import': async ({ certificateSha256, kind, path }, ctx) => {
      const imported = await importSignatureImage({
        certificateSha256: certificateSha256.toLowerCase(),
        kind,
        source: path,
        ...(options.home !== undefined ? { home: options.home } : {}),
      });
      return {
        kind,
        format: imported.format,
        width: imported.width,
        height: imported.height,
        dpi: imported.dpi,
        hasTransparency: imported.hasTransparency,
        warnings: warningsIn(imported.warnings, ctx.language),
      };
    },
    'images.remove': async ({ certificateSha256, kind }) => {
      const file = await storedImagePath(certificateSha256.toLowerCase(), kind, options.home);
      if (file !== null) await rm(file, { force: true });
      return {};
    },
  };
}
