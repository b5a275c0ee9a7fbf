// "Mặc định khi ký" in Cài đặt (issue 14 point 3): the template, the text the box goes under, the
// output folder and the suffix of signed copies, which the signing and batch screens open with.
// Merged into requests.ts's maps. Only these keys are written (settings.json's signing section), only
// what changed, and a key the machine policy locks is refused (SETTING_LOCKED). The values in force
// are read with policy.get, like every other setting.
import { z } from 'zod';
import { PathSchema, SignTemplateSchema } from './schemas.js';

export const SIGNING_DEFAULTS_REQUESTS = {
  'settings.signing.set': {
    request: z.strictObject({
      template: SignTemplateSchema,
      anchorText: z.string().max(200),
      /** null: beside the original. */
      outputFolder: PathSchema.nullable(),
      outputSuffix: z
        .string()
        .max(64)
        // eslint-disable-next-line no-control-regex
        .regex(/^[^/\\:*?"<>|\u0000-\u001f]*$/),
    }),
  },
} as const;

export interface SigningDefaultsResults {
  'settings.signing.set': Record<string, never>;
}

/** "Mặc định khi ký" as the screens use it (read off policy.get's settings in force). */
export interface SigningDefaults {
  readonly template: z.infer<typeof SignTemplateSchema>;
  readonly anchorText: string;
  /** null: beside the original. */
  readonly outputFolder: string | null;
  readonly outputSuffix: string;
}
