// tokens.list: the engine's token inventory (as `kyso tokens --json`), with the certificate
// chooser's warnings computed against now. Read only: no login, so no PIN.
import { takeInventory, type InventoryModuleError } from '../../signing/tokens-api.js';
import type { Language, TokenModuleView } from '../../shared/contract/index.js';
import { isErrorCode } from '../../shared/errors.js';
import { messageFor } from '../../shared/messages.js';
import { certificateWarnings } from './certificate-warnings.js';
import type { Handlers } from './service-types.js';
import { openAllModules } from './token-access.js';

export function tokenHandlers(now: () => Date = () => new Date()): Handlers<'tokens.list'> {
  return {
    'tokens.list': async (_request, ctx) => {
      const manager = await openAllModules();
      try {
        const at = now();
        const modules: TokenModuleView[] = takeInventory(manager).map((m) => ({
          ...m,
          error: m.error && { ...m.error, message: moduleErrorText(m.path, m.error, ctx.language) },
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

/** Why a library did not load, in the app's language (a wrong architecture names the build to install). */
function moduleErrorText(path: string, error: InventoryModuleError, language: Language): string {
  if (!isErrorCode(error.code)) return error.message;
  return messageFor(
    error.code,
    {
      path,
      reason: error.reason ?? undefined,
      detail: error.message,
      arch: error.arch ?? undefined,
      processArch: error.processArch ?? undefined,
    },
    language,
  );
}
