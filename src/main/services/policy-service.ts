// policy.get, and the check every settings handler makes: the machine policy (policy.json, see
// src/signing/policy) presets and locks settings; the app shows the locks (with IT staff's reason)
// and its services refuse a change to a locked setting with SETTING_LOCKED, as `kyso settings set`
// does. A request that repeats the value in force is not a change (a form sends every field).
import type { Language, PolicyView } from '../../shared/contract/index.js';
import { messageFor } from '../../shared/messages.js';
import type { EffectiveSettings } from '../../signing/policy-api.js';
import { loadEffectiveSettings } from '../../signing/settings.js';
import type { Handlers } from './service-types.js';
import { maskCredentials } from './url-credentials.js';

export async function policyView(language: Language, home?: string): Promise<PolicyView> {
  const effective = await loadEffectiveSettings(home);
  const { policy } = effective;
  return {
    file: policy.file,
    status: policy.status,
    problem:
      policy.status === 'invalid'
        ? {
            code: 'POLICY_INVALID',
            message: messageFor(
              'POLICY_INVALID',
              { file: policy.file, reason: policy.problem ?? '' },
              language,
            ),
          }
        : null,
    settings: effective.list().map((s) => ({
      key: s.key,
      // A proxy password in a URL is shown as "***" (url-credentials.ts).
      value: maskCredentials(s.value),
      source: s.source,
      locked:
        s.locked === null
          ? null
          : {
              by: s.locked.by,
              reason: s.locked.reason,
              message: messageFor(
                'SETTING_LOCKED',
                { key: s.key, by: s.locked.by, reason: s.locked.reason ?? undefined },
                language,
              ),
            },
    })),
  };
}

/**
 * Throws SETTING_LOCKED when `key` is locked and the request asks for another value than the one in
 * force. `option` names the request member, for the message.
 */
export function assertChangeAllowed(
  effective: EffectiveSettings,
  key: string,
  requested: unknown,
  current: unknown,
  option: string,
): void {
  if (JSON.stringify(requested) === JSON.stringify(current)) return;
  effective.assertUnlocked(key, option);
}

export function policyHandlers(options: { home?: string } = {}): Handlers<'policy.get'> {
  return {
    'policy.get': async (_request, ctx) => policyView(ctx.language, options.home),
  };
}
