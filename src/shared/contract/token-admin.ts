// Token administration on the "Thiết bị ký" screen (issue 14 point 2): changing a token's user PIN,
// the PKCS#11 libraries IT staff add by hand, and the doctor report. Merged into requests.ts's maps.
// The PINs travel in one request and are never stored, logged or echoed; a failure names only the
// error code and the token's PIN state.
import { z } from 'zod';
import { PathSchema } from './schemas.js';

const PinSchema = z.string().min(1).max(256);

export const TOKEN_ADMIN_REQUESTS = {
  'tokens.changePin': {
    request: z.strictObject({
      /** The library, token and slot, as tokens.list gave them. */
      modulePath: z.string().min(1).max(4096),
      tokenSerial: z.string().min(1).max(64),
      slotId: z.number().int().min(0),
      currentPin: PinSchema,
      newPin: PinSchema,
      /** The user confirmed a try on a token with one try left. */
      allowFinalTry: z.boolean(),
    }),
  },
  /**
   * Adds a library path to settings.json's pkcs11.modules after probing it (a file that is not a
   * loadable PKCS#11 library, or of the wrong architecture, is refused with its code and nothing
   * is saved). A policy lock on pkcs11.modules refuses it: SETTING_LOCKED.
   */
  'tokens.libraries.add': { request: z.strictObject({ path: PathSchema }) },
  /** Takes a path added by hand out of pkcs11.modules (catalogue entries are not settings). */
  'tokens.libraries.remove': { request: z.strictObject({ path: PathSchema }) },
  /** The doctor report (what `kyso doctor` prints), in the app's language and as JSON. */
  'doctor.report': { request: z.strictObject({}) },
  /** The report made by the last doctor.report, written where the user chose (atomically). */
  'doctor.save': { request: z.strictObject({ output: PathSchema, format: z.enum(['text', 'json']) }) },
} as const;

export interface DoctorReportView {
  readonly text: string;
  readonly json: string;
  /** The name a saved copy is proposed under: kyso-doctor-<time>.txt. */
  readonly fileName: string;
  readonly warningCount: number;
}

export interface TokenAdminResults {
  /** The token as it is after the change (its PIN state is back to ok). */
  'tokens.changePin': { readonly tokenLabel: string };
  'tokens.libraries.add': { readonly path: string; readonly manufacturer: string | null };
  'tokens.libraries.remove': Record<string, never>;
  'doctor.report': DoctorReportView;
  'doctor.save': { readonly output: string };
}
