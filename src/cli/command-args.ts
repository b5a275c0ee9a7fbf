// Option parsing shared by the commands: node's parseArgs in strict mode, its errors turned into
// usage errors (exit code 2), and the token-library options every token command takes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { commandEffectiveSettings } from './command-settings.js';
import { resolveModuleRequests, TokenManager, type IdentitySelector } from '../signing/tokens-api.js';
import type { PinSource } from './pin-reader.js';
import { usageError } from './cli-io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(
  argv: string[],
  options: O,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

export const MODULE_OPTIONS = {
  module: { type: 'string', multiple: true },
  lang: { type: 'string' },
} as const;

export const TOKEN_OPTIONS = {
  token: { type: 'string' },
  slot: { type: 'string' },
  key: { type: 'string' },
} as const;

export const PIN_OPTIONS = {
  'pin-stdin': { type: 'boolean' },
  'pin-env': { type: 'string' },
  'allow-final-try': { type: 'boolean' },
} as const;

export function tokenSelector(values: { token?: string; slot?: string; key?: string }): IdentitySelector {
  let slot: number | undefined;
  if (values.slot !== undefined) {
    slot = Number(values.slot);
    if (!Number.isInteger(slot) || slot < 0)
      throw usageError(`--slot takes a slot number, not "${values.slot}"`);
  }
  if (values.key !== undefined && !/^[0-9a-fA-F:]+$/.test(values.key)) {
    throw usageError(`--key takes the key ID in hex, not "${values.key}"`);
  }
  return {
    ...(values.token !== undefined ? { token: values.token } : {}),
    ...(slot !== undefined ? { slot } : {}),
    ...(values.key !== undefined ? { keyId: values.key.replace(/:/g, '') } : {}),
  };
}

export function pinSource(values: { 'pin-stdin'?: boolean; 'pin-env'?: string }): PinSource {
  if (values['pin-stdin'] && values['pin-env'] !== undefined)
    throw usageError('use --pin-stdin or --pin-env, not both');
  return values['pin-env'] !== undefined
    ? { env: values['pin-env'] }
    : { stdin: values['pin-stdin'] ?? false };
}

/** Loads the token libraries the user pointed at (or the known ones) after probing each. */
export async function openTokenManager(modules: readonly string[] | undefined): Promise<TokenManager> {
  const effective = await commandEffectiveSettings();
  const { settings } = effective;
  const requests = resolveModuleRequests({
    explicit: modules ?? [],
    settings: settings.pkcs11.modules,
    // Libraries locked by the machine policy: KYSO_PKCS11_MODULE adds none (--module is refused).
    env: effective.lockOf('pkcs11.modules') === null ? process.env : {},
    catalogue: settings.pkcs11.searchCatalogue,
  });
  return await TokenManager.open(requests);
}
