// Token administration on the "Thiết bị ký" screen (issue 14 point 2): changing a token's user PIN.
// Merged into requests.ts's maps. The PINs travel in this one request and are never stored,
// logged or echoed; a failure names only the error code and the token's PIN state.
import { z } from 'zod';

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
} as const;

export interface TokenAdminResults {
  /** The token as it is after the change (its PIN state is back to ok). */
  'tokens.changePin': { readonly tokenLabel: string };
}
