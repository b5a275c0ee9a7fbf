// tokens.changePin: the user PIN of one token, changed through the engine's changeUserPin (its
// rules: lengths checked first, a locked token left alone, a final try only with consent, one
// attempt and never a retry). The library must be one of the configured ones (token-access.ts), so
// the renderer cannot make the engine load an arbitrary library. The PINs become Secrets at once.
import { Secret } from '../../shared/secret.js';
import { changeUserPin } from '../../signing/tokens-api.js';
import type { Handlers } from './service-types.js';
import { openModule } from './token-access.js';

export function tokenAdminHandlers(): Handlers<'tokens.changePin'> {
  return {
    'tokens.changePin': async (request) => {
      const currentPin = new Secret(request.currentPin);
      const newPin = new Secret(request.newPin);
      const manager = await openModule(request.modulePath);
      try {
        const ref = manager.findToken({ token: request.tokenSerial, slot: request.slotId });
        changeUserPin(ref, { currentPin, newPin, allowFinalTry: request.allowFinalTry });
        return { tokenLabel: ref.slot.token.label };
      } finally {
        manager.close();
      }
    },
  };
}
