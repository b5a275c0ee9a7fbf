// The TSA, proxy and revocation settings IT staff set on "Thiết bị ký", and "Kiểm tra kết nối"
// (issue 14 point 2). Merged into requests.ts's maps. Only these keys can be written from the
// window: a generic settings write would let the renderer point the engine at any token library.
import { z } from 'zod';

const UrlText = z.string().max(2048);

export const NETWORK_REQUESTS = {
  /** null clears a key (the policy's preset or the default applies again); a locked key is refused. */
  'network.settings.set': {
    request: z.strictObject({
      tsaUrl: UrlText.nullable(),
      proxy: UrlText.nullable(),
      noProxy: z.array(z.string().min(1).max(253)).max(100),
      revocationMode: z.enum(['online', 'offline']),
    }),
  },
  /** One timestamp request to `url` (the field's value, saved or not) through the saved proxy. */
  'network.checkTsa': { request: z.strictObject({ url: UrlText.min(1) }) },
} as const;

export interface TsaCheckView {
  readonly url: string;
  readonly tsaName: string | null;
  /** ISO 8601, the TSA's time. */
  readonly genTime: string;
  readonly elapsedMs: number;
}

export interface NetworkResults {
  'network.settings.set': Record<string, never>;
  'network.checkTsa': TsaCheckView;
}
