// The machine policy at the command line. Before a command runs: a policy file that is invalid is
// reported on standard error (the command goes on with the safest settings), and an option that
// would override a locked setting for this run is refused with SETTING_LOCKED rather than ignored:
// a script that asks for another timestamp server must learn that it did not get it. The policy's
// own values then reach every command through the settings (commandSettings).
import type { Lang } from '../shared/messages.js';
import { messageFor } from '../shared/messages.js';
import { commandEffectiveSettings } from './command-settings.js';

/**
 * The options that stand in for a setting during one run, and the setting they override. A key
 * locked by the policy (or a section above it) makes the option an error.
 */
export const OPTION_SETTING_KEYS: Readonly<Record<string, string>> = {
  module: 'pkcs11.modules',
  tsa: 'tsa.url',
  'tsa-timeout': 'tsa.timeoutMs',
  offline: 'revocation.mode',
  port: 'bridge.port',
  plain: 'bridge.mode',
  'also-plain': 'bridge.mode',
  'allow-origin': 'bridge.allowedOrigins',
  'max-file-mb': 'bridge.maxFileMB',
  'issued-template': 'bridge.issuedTemplate',
};

/** The identity options a policy can forbid. */
const IDENTITY_OPTIONS: Readonly<Record<string, 'p12' | 'demo'>> = { p12: 'p12', demo: 'demo' };

/** Long option names present in `argv` (`--tsa URL`, `--tsa=URL`), up to a `--` end of options. */
export function optionNames(argv: readonly string[]): string[] {
  const names: string[] = [];
  for (const arg of argv) {
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    names.push(eq < 0 ? arg.slice(2) : arg.slice(2, eq));
  }
  return names;
}

export async function applyPolicyToOptions(argv: readonly string[], lang: Lang): Promise<void> {
  const effective = await commandEffectiveSettings();
  const { policy } = effective;
  if (policy.status === 'invalid') {
    const message = messageFor('POLICY_INVALID', { file: policy.file, reason: policy.problem ?? '' }, lang);
    process.stderr.write(`kyso: ${message} [POLICY_INVALID]\n`);
  }
  for (const name of optionNames(argv)) {
    const key = OPTION_SETTING_KEYS[name];
    if (key !== undefined) effective.assertUnlocked(key, `--${name}`);
    const identity = IDENTITY_OPTIONS[name];
    if (identity !== undefined) effective.assertIdentityAllowed(identity);
  }
}
