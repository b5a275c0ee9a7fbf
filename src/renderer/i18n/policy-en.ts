// English strings of the machine policy (issue 14 point 4), spread into en.ts.
import type { PolicyMessageKey } from './policy-vi.js';

export const policyEn: Record<PolicyMessageKey, string> = {
  'policy.locked.policy': 'IT staff locked this setting (machine policy): {reason}',
  'policy.locked.policyNoReason': 'IT staff locked this setting (machine policy).',
  'policy.locked.invalid':
    'This setting is locked to the safest value because the machine policy file is invalid.',
  'policy.locked.settings': "This setting is locked in IT staff's settings file (settings.json).",
  'policy.invalid.banner':
    'The machine policy file ({file}) is invalid; Kyso runs with the safest settings. Tell IT staff.',
};
