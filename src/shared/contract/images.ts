// "Cài đặt": each certificate's signature and seal images (issue 14 point 3), kept by the engine under
// KYSO_HOME by the certificate's SHA-256. Merged into requests.ts's maps. An import gives the
// engine's warnings (not blue, not red, no transparency, no resolution) in the app's language.
import { z } from 'zod';
import { PathSchema } from './schemas.js';

const Sha256Schema = z.string().regex(/^[0-9a-fA-F]{64}$/);
const KindSchema = z.enum(['signature', 'seal']);

export const IMAGE_REQUESTS = {
  'images.get': { request: z.strictObject({ certificateSha256: Sha256Schema }) },
  'images.import': {
    request: z.strictObject({ certificateSha256: Sha256Schema, kind: KindSchema, path: PathSchema }),
  },
  'images.remove': { request: z.strictObject({ certificateSha256: Sha256Schema, kind: KindSchema }) },
} as const;

export type ImageKind = z.infer<typeof KindSchema>;

export interface StoredImageView {
  readonly kind: ImageKind;
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
  readonly dpi: { readonly x: number; readonly y: number } | null;
  readonly hasTransparency: boolean;
  /** The engine's warnings, in the app's language. */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
}

export interface ImageResults {
  'images.get': { readonly signature: StoredImageView | null; readonly seal: StoredImageView | null };
  'images.import': StoredImageView;
  'images.remove': Record<string, never>;
}
