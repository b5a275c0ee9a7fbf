// The engine's settings file (<KYSO_HOME>/settings.json): token libraries, the network (proxy), the
// timestamp server, OCSP/CRL behaviour and long-term validation. IT staff may preset it; it is
// parsed, never trusted as it is.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { KysoError } from '../shared/errors.js';
import { kysoHome } from './home.js';

export const SettingsSchema = z
  .object({
    pkcs11: z
      .object({
        /** Extra PKCS#11 library paths an admin added. */
        modules: z.array(z.string().min(1)).default([]),
        /** Also search the catalogue of known Vietnamese token libraries. */
        searchCatalogue: z.boolean().default(true),
      })
      .prefault({}),
    /** Intermediate CA certificates (PEM or DER files) used to complete signers' chains. */
    intermediates: z.array(z.string().min(1)).default([]),
    /** Network access of the engine (OCSP, CRL, CA certificates; later the TSA too). */
    network: z
      .object({
        /** http://[user:password@]host:port of an HTTP proxy; absent: direct connections. */
        proxy: z.url({ protocol: /^https?$/ }).optional(),
        /** Hosts (or .domain suffixes) reached directly, without the proxy. */
        noProxy: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    /** The timestamp server used when a command names none (B-T, B-LT, B-LTA, kyso extend). */
    tsa: z
      .object({
        url: z.url({ protocol: /^https?$/ }).optional(),
        /** Deadline of one request, in milliseconds (the government TSA can be slow). */
        timeoutMs: z.number().int().positive().max(600_000).default(60_000),
        retries: z.number().int().min(0).max(10).default(2),
        policyOid: z
          .string()
          .regex(/^[0-2](\.\d+)+$/)
          .optional(),
      })
      .prefault({}),
    /** OCSP and CRL behaviour (Circular 15/2025: check revocation before signing, keep the evidence). */
    revocation: z
      .object({
        /** online: ask OCSP responders and CRL servers; offline: use only the cache, and say what is missing. */
        mode: z.enum(['online', 'offline']).default('online'),
        /**
         * When to check the signer's certificate before signing: always; only for B-LT and B-LTA
         * signatures (which fetch the data anyway); never.
         */
        checkBeforeSigning: z.enum(['always', 'long-term', 'never']).default('long-term'),
        /** A status that cannot be checked: sign and warn, or refuse to sign. */
        whenUnavailable: z.enum(['warn', 'refuse']).default('warn'),
        /** Ask OCSP first (small, fresh) or the CRL first. */
        prefer: z.enum(['ocsp', 'crl']).default('ocsp'),
        /** Deadline of one OCSP/CRL/CA-certificate request, in milliseconds. */
        timeoutMs: z.number().int().positive().max(300_000).default(15_000),
        retries: z.number().int().min(0).max(5).default(1),
        /** Keep responses under <KYSO_HOME>/cache/revocation/ until their nextUpdate. */
        cache: z.boolean().default(true),
      })
      .prefault({}),
    /** Long-term validation (B-LTA): renew the archive timestamp this many days before its TSA certificate expires. */
    ltv: z
      .object({
        renewBeforeDays: z.number().int().min(1).max(3650).default(180),
      })
      .prefault({}),
  })
  .prefault({});

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
