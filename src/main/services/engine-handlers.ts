// The handlers the engine process serves: documents, appearance previews, tokens, signing, verifying.
import type { DocumentTable } from './document-table.js';
import { appearanceHandlers } from './appearance-service.js';
import { batchHandlers } from './batch-service.js';
import { BridgeService } from './bridge-service.js';
import type { EngineChannel } from './channel-sides.js';
import { documentHandlers } from './document-service.js';
import { imageHandlers } from './images-service.js';
import { inboxHandlers } from './inbox-service.js';
import { networkHandlers } from './network-service.js';
import { signingDefaultsHandlers } from './signing-defaults-service.js';
import { trustHandlers } from './trust-service.js';
import type { CredentialVault } from './credential-vault.js';
import { outboxHandlers } from './outbox-service.js';
import { policyHandlers } from './policy-service.js';
import type { Handlers } from './service-types.js';
import { signHandlers } from './sign-service.js';
import { tokenAdminHandlers } from './token-admin-service.js';
import { tokenHandlers } from './tokens-service.js';
import { verifyHandlers } from './verify-service.js';

export function engineHandlers(
  documents: DocumentTable,
  /** The local bridge (engine-main gives the one that reaches the windows). */
  bridge: BridgeService = new BridgeService({ documents, emit: () => undefined }),
  /** The upload credential's vault (engine-main gives the one the host pushes to). */
  vault?: CredentialVault,
): Handlers<EngineChannel> {
  return {
    ...documentHandlers(documents),
    ...appearanceHandlers(),
    ...tokenHandlers(),
    ...tokenAdminHandlers(),
    ...signHandlers(documents),
    ...verifyHandlers(),
    ...bridge.handlers(),
    ...outboxHandlers(vault ? { vault } : {}),
    ...policyHandlers(),
    ...batchHandlers(),
    ...imageHandlers(),
    ...networkHandlers(),
    ...trustHandlers(),
    ...signingDefaultsHandlers(),
    ...inboxHandlers(),
  };
}
