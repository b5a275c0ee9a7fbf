// The engine's settings file (<KYSO_HOME>/settings.json): token libraries, the network (proxy), the
// timestamp server, OCSP/CRL behaviour and long-term validation. IT staff may preset it; it is
// parsed, never trusted as it is.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../shared/errors.js';
import { kysoHome } from './home.js';
import {
  array,
  boolean,
  httpUrl,
  int,
  object,
  oneOf,
  optional,
  string,
  withDefault,
  type Infer,
} from './schema/plain-schema.js';

// Every command reads this file, so it is parsed with the engine's small schema builders rather
// than zod (see schema/plain-schema.ts).
const paths = array(string({ minLength: 1 }));
const intOr = (min: number, max: number, fallback: number) => withDefault(int(min, max), fallback);

export const SettingsSchema = object({
  pkcs11: object({
    /** Extra PKCS#11 library paths an admin added. */
    modules: withDefault(paths, []),
    /** Also search the catalogue of known Vietnamese token libraries. */
    searchCatalogue: withDefault(boolean(), true),
  }),
  /** Intermediate CA certificates (PEM or DER files) used to complete signers' chains. */
  intermediates: withDefault(paths, []),
  /** Network access of the engine (OCSP, CRL, CA certificates, the TSA). */
  network: object({
    /** http://[user:password@]host:port of an HTTP proxy; absent: direct connections. */
    proxy: optional(httpUrl()),
    /** Hosts (or .domain suffixes) reached directly, without the proxy. */
    noProxy: withDefault(paths, []),
  }),
  /** The timestamp server used when a command names none (B-T, B-LT, B-LTA, kyso extend). */
  tsa: object({
    url: optional(httpUrl()),
    /** Deadline of one request, in milliseconds (the government TSA can be slow). */
    timeoutMs: intOr(1, 600_000, 60_000),
    retries: intOr(0, 10, 2),
    policyOid: optional(string({ pattern: /^[0-2](\.\d+)+$/ })),
  }),
  /** OCSP and CRL behaviour (Circular 15/2025: check revocation before signing, keep the evidence). */
  revocation: object({
    /** online: ask OCSP responders and CRL servers; offline: use only the cache, and say what is missing. */
    mode: withDefault(oneOf(['online', 'offline'] as const), 'online'),
    /**
     * When to check the signer's certificate before signing: always; only for B-LT and B-LTA
     * signatures (which fetch the data anyway); never.
     */
    checkBeforeSigning: withDefault(oneOf(['always', 'long-term', 'never'] as const), 'long-term'),
    /** A status that cannot be checked: sign and warn, or refuse to sign. */
    whenUnavailable: withDefault(oneOf(['warn', 'refuse'] as const), 'warn'),
    /** Ask OCSP first (small, fresh) or the CRL first. */
    prefer: withDefault(oneOf(['ocsp', 'crl'] as const), 'ocsp'),
    /** Deadline of one OCSP/CRL/CA-certificate request, in milliseconds. */
    timeoutMs: intOr(1, 300_000, 15_000),
    retries: intOr(0, 5, 1),
    /** Keep responses under <KYSO_HOME>/cache/revocation/ until their nextUpdate. */
    cache: withDefault(boolean(), true),
  }),
  /** Long-term validation (B-LTA): renew the archive timestamp this many days before its TSA certificate expires. */
  ltv: object({
    renewBeforeDays: intOr(1, 3650, 180),
  }),
});

export type Settings = Infer<typeof SettingsSchema>;

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
