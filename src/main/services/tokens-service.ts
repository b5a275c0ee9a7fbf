// tokens.list: the engine's token inventory (as `kyso tokens --json`), with the certificate
// chooser's warnings computed against now. Read only: no login, so no PIN.
import { takeInventory } from '../../signing/tokens-api.js';
import type { TokenModuleView } from '../../shared/contract/index.js';
import { certificateWarnings } from './certificate-warnings.js';
import type { Handlers } from './service-types.js';
import { openAllModules } from './token-access.js';

export function tokenHandlers(now: () => Date = () => new Date()): Handlers<'tokens.list'> {
  return {
    'tokens.list': async () => {
      const manager = await openAllModules();
      try {
        const at = now();
        const modules: TokenModuleView[] = takeInventory(manager).map((m) => ({
          ...m,
          slots: m.slots.map((slot) => ({
            ...slot,
            token: slot.token && {
              ...slot.token,
              certificates: slot.token.certificates.map((c) => ({
                ...c,
                warnings: certificateWarnings(c, at),
              })),
            },
          })),
        }));
        return { modules };
      } finally {
        manager.close();
      }
    },
  };
}
