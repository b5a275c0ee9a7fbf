// `kyso batch` options: a profile file gives the defaults, the command line overrides them, and both
// go through the same parsers as `kyso sign` (signOptionsFrom, appearanceRequestFrom), so that a
// profile means exactly what the same options typed on the command line mean.
import path from 'node:path';
import type { AppearanceRequest } from '../signing/appearance-api.js';
import { loadBatchProfile, type BatchProfile } from '../signing/batch-api.js';
import type { PdfSignOptions } from '../signing/sign-api.js';
import { usageError } from './cli-io.js';
import { commandSettings } from './command-settings.js';
import { signingRevocationPolicy } from './signing-policy.js';
import {
  appearanceRequestFrom,
  signOptionsFrom,
  tsaDefaultsFrom,
  type AppearanceOptionValues,
  type SignatureOptionValues,
} from './sign-command.js';

export type BatchOptionValues = SignatureOptionValues &
  AppearanceOptionValues & {
    suffix?: string;
    'tsa-concurrency'?: string;
    concurrency?: string;
  };

/** The profile as the option values the command line would give (paths made absolute). */
export function profileValues(profile: BatchProfile, profileFile: string): BatchOptionValues {
  const dir = path.dirname(path.resolve(profileFile));
  const file = (p: string | undefined): string | undefined =>
    p === undefined ? undefined : path.resolve(dir, p);
  const a = profile.appearance;
  const values: Record<string, string | boolean | undefined> = {
    suffix: profile.suffix,
    reason: profile.reason,
    location: profile.location,
    contact: profile.contactInfo,
    field: profile.field,
    page: profile.page !== undefined ? String(profile.page) : undefined,
    level: profile.level,
    hash: profile.hash,
    pss: profile.pss,
    certify: profile.certify,
    tsa: profile.tsa?.url,
    'tsa-timeout': profile.tsa?.timeoutSeconds !== undefined ? String(profile.tsa.timeoutSeconds) : undefined,
    'tsa-concurrency':
      profile.tsa?.maxConcurrent !== undefined ? String(profile.tsa.maxConcurrent) : undefined,
    template: a?.template,
    image: file(a?.image),
    rect: a?.rect,
    anchor: a?.anchor,
    'doc-number': a?.docNumber,
    agency: a?.agency,
    'cert-number': a?.certNumber,
    'cert-book': a?.certBook,
    font: file(a?.font),
    'seal-diameter': a?.sealDiameterMm !== undefined ? String(a.sealDiameterMm) : undefined,
    'allow-unsigned-seal': a?.allowUnsignedSeal,
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as BatchOptionValues;
}

export interface BatchSigningOptions {
  readonly options: PdfSignOptions;
  readonly appearance: AppearanceRequest | undefined;
  readonly suffix: string;
  readonly overwrite: boolean;
  readonly concurrency?: number;
  readonly tsaConcurrency?: number;
}

function positiveInt(value: string | undefined, option: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw usageError(`--${option} takes a number from 1 to ${max}`);
  return n;
}

/** Options of the whole batch: the profile's, overridden by the command line's. */
export async function batchSigningOptions(
  commandLine: BatchOptionValues,
  profileFile: string | undefined,
): Promise<BatchSigningOptions> {
  const profile = profileFile !== undefined ? await loadBatchProfile(profileFile) : undefined;
  const fromProfile = profile && profileFile !== undefined ? profileValues(profile, profileFile) : {};
  const given = Object.fromEntries(Object.entries(commandLine).filter(([, v]) => v !== undefined));
  const values: BatchOptionValues = { ...fromProfile, ...given };
  // A placement on the command line replaces the profile's, whichever kind it is.
  if (commandLine.rect !== undefined) delete values.anchor;
  if (commandLine.anchor !== undefined) delete values.rect;
  let options = signOptionsFrom(values, tsaDefaultsFrom(await commandSettings()));
  const pt = profile?.tsa;
  if (pt && options.tsa && options.tsa.url === pt.url) {
    options = {
      ...options,
      tsa: {
        ...options.tsa,
        ...(pt.retries !== undefined ? { retries: pt.retries } : {}),
        ...(pt.retryDelayMs !== undefined ? { retryDelayMs: pt.retryDelayMs } : {}),
        ...(pt.policyOid !== undefined ? { policyOid: pt.policyOid } : {}),
      },
    };
  }
  const appearance = await appearanceRequestFrom(values);
  const suffix = values.suffix ?? '';
  if (/[/\\\0]/.test(suffix)) throw usageError('--suffix must not contain / or \\');
  const concurrency = positiveInt(values.concurrency, 'concurrency', 64);
  const tsaConcurrency = positiveInt(values['tsa-concurrency'], 'tsa-concurrency', 32);
  return {
    // The revocation check before signing and the B-LT/B-LTA evidence follow the settings file, as
    // for kyso sign.
    options: { ...options, overwrite: false, revocation: await signingRevocationPolicy() },
    appearance,
    suffix,
    overwrite: values.overwrite ?? false,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(tsaConcurrency !== undefined ? { tsaConcurrency } : {}),
  };
}
