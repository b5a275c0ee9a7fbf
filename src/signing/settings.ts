// The engine's settings file (<KYSO_HOME>/settings.json): token libraries, the network (proxy), the
// timestamp server, OCSP/CRL behaviour and long-term validation. IT staff may preset it; it is
// parsed, never trusted as it is.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import { KysoError } from '../shared/errors.js';
import { kysoHome } from './home.js';

// zod/mini rather than zod: the same validation, but only the parts used end up in the CLI bundle
// (the full zod adds 800 KB to every command's start-up).
const paths = z.array(z.string().check(z.minLength(1)));
const httpUrl = z.url({ protocol: /^https?$/ });
const int = (min: number, max: number, fallback: number) =>
  z._default(z.int().check(z.gte(min), z.lte(max)), fallback);

export const SettingsSchema = z.prefault(
  z.object({
    pkcs11: z.prefault(
      z.object({
        /** Extra PKCS#11 library paths an admin added. */
        modules: z._default(paths, []),
        /** Also search the catalogue of known Vietnamese token libraries. */
        searchCatalogue: z._default(z.boolean(), true),
      }),
      {},
    ),
    /** Intermediate CA certificates (PEM or DER files) used to complete signers' chains. */
    intermediates: z._default(paths, []),
    /** Network access of the engine (OCSP, CRL, CA certificates; later the TSA too). */
    network: z.prefault(
      z.object({
        /** http://[user:password@]host:port of an HTTP proxy; absent: direct connections. */
        proxy: z.optional(httpUrl),
        /** Hosts (or .domain suffixes) reached directly, without the proxy. */
        noProxy: z._default(paths, []),
      }),
      {},
    ),
    /** The timestamp server used when a command names none (B-T, B-LT, B-LTA, kyso extend). */
    tsa: z.prefault(
      z.object({
        url: z.optional(httpUrl),
        /** Deadline of one request, in milliseconds (the government TSA can be slow). */
        timeoutMs: int(1, 600_000, 60_000),
        retries: int(0, 10, 2),
        policyOid: z.optional(z.string().check(z.regex(/^[0-2](\.\d+)+$/))),
      }),
      {},
    ),
    /** OCSP and CRL behaviour (Circular 15/2025: check revocation before signing, keep the evidence). */
    revocation: z.prefault(
      z.object({
        /** online: ask OCSP responders and CRL servers; offline: use only the cache, and say what is missing. */
        mode: z._default(z.enum(['online', 'offline']), 'online'),
        /**
         * When to check the signer's certificate before signing: always; only for B-LT and B-LTA
         * signatures (which fetch the data anyway); never.
         */
        checkBeforeSigning: z._default(z.enum(['always', 'long-term', 'never']), 'long-term'),
        /** A status that cannot be checked: sign and warn, or refuse to sign. */
        whenUnavailable: z._default(z.enum(['warn', 'refuse']), 'warn'),
        /** Ask OCSP first (small, fresh) or the CRL first. */
        prefer: z._default(z.enum(['ocsp', 'crl']), 'ocsp'),
        /** Deadline of one OCSP/CRL/CA-certificate request, in milliseconds. */
        timeoutMs: int(1, 300_000, 15_000),
        retries: int(0, 5, 1),
        /** Keep responses under <KYSO_HOME>/cache/revocation/ until their nextUpdate. */
        cache: z._default(z.boolean(), true),
      }),
      {},
    ),
    /** Long-term validation (B-LTA): renew the archive timestamp this many days before its TSA certificate expires. */
    ltv: z.prefault(
      z.object({
        renewBeforeDays: int(1, 3650, 180),
      }),
      {},
    ),
  }),
  {},
);

export type Settings = z.infer<typeof SettingsSchema>;

export function settingsPath(home: string = kysoHome()): string {
  return path.join(home, 'settings.json');
}

export async function loadSettings(home: string = kysoHome()): Promise<Settings> {
  const file = settingsPath(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return SettingsSchema.parse({});
    throw new KysoError('SETTINGS_INVALID', `Cannot read ${file}.`, {
      details: { reason: file },
      cause: err,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new KysoError('SETTINGS_INVALID', `${file} is not valid JSON.`, {
      details: { reason: `${file}: JSON` },
      cause,
    });
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new KysoError('SETTINGS_INVALID', `${file}: ${reason}`, {
      details: { reason: `${file}: ${reason}` },
    });
  }
  return parsed.data;
}
