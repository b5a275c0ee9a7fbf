// Option parsing shared by the commands: node's parseArgs in strict mode, its errors turned into
// usage errors (exit code 2), and the token-library options every token command takes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadSettings, resolveModuleRequests, TokenManager } from '../signing/index.js';
import { usageError } from './cli-io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = false) {
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

/** Loads the token libraries the user pointed at (or the known ones) after probing each. */
export async function openTokenManager(modules: readonly string[] | undefined): Promise<TokenManager> {
  const settings = await loadSettings();
  const requests = resolveModuleRequests({
    explicit: modules ?? [],
    settings: settings.pkcs11.modules,
    env: process.env,
    catalogue: settings.pkcs11.searchCatalogue,
  });
  return await TokenManager.open(requests);
}
