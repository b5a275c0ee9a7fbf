// The contract's building blocks, shared by requests.ts and the feature files merged into it
// (batch.ts, token-admin.ts…): a feature file imports these from here, never from requests.ts, whose
// maps import the feature files.
import { z } from 'zod';

const MAX_PATH = 4096;
const MAX_TEXT = 500;

/** A file path as the user chose it; the service resolves and checks it. No NUL: it would cut the path. */
export const PathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH)
  .refine((p) => !p.includes('\0'), { message: 'path contains NUL' });

/** Handle of a document opened with document.open (the path stays on the main side). */
export const DocumentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const LanguageSchema = z.enum(['vi', 'en']);
export type Language = z.infer<typeof LanguageSchema>;

/** The Decree 30 templates the engine draws (src/signing/appearance). */
export const APPEARANCE_TEMPLATE_NAMES = ['personal', 'seal', 'text', 'certified-copy'] as const;
export const AppearanceTemplateSchema = z.enum(APPEARANCE_TEMPLATE_NAMES);
export type AppearanceTemplateName = z.infer<typeof AppearanceTemplateSchema>;

/** sign.run also takes an invisible signature (no box). */
export const SignTemplateSchema = z.enum([...APPEARANCE_TEMPLATE_NAMES, 'invisible']);
export type SignTemplateName = z.infer<typeof SignTemplateSchema>;

const finite = z.number(); // zod 4 numbers refuse Infinity and NaN
/** A length on a page, in points: PDF's largest page side (ISO 32000 annex C) at most. */
export const PageLengthSchema = z.number().positive().max(14400);
const positive = PageLengthSchema;

/** A box in display coordinates: points, from the top-left of the page as displayed (after /Rotate). */
export const DisplayRectSchema = z.strictObject({ x: finite, y: finite, width: positive, height: positive });
export type DisplayRectValue = z.infer<typeof DisplayRectSchema>;

/** Which key signs: the module (library path), the token by serial, its slot, and the key's CKA_ID (hex). */
export const CertificateRefSchema = z.strictObject({
  modulePath: PathSchema,
  tokenSerial: z.string().min(1).max(64),
  slotId: z.number().int().min(0),
  keyId: z.string().regex(/^[0-9a-fA-F]{0,256}$/),
});
export type CertificateRef = z.infer<typeof CertificateRefSchema>;

/** A short text the user typed (reason, place, document number). */
export const TextSchema = z.string().max(MAX_TEXT);

/** An outbox item's number. */
export const OutboxIdSchema = z.number().int().positive();
