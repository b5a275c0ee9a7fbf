// The token libraries the app may load: those the settings, KYSO_PKCS11_MODULE and the catalogue of
// known drivers name, as for the CLI. A request names a library by path; one outside this list is
// refused, so the renderer can never make the engine load an arbitrary shared library.
import { KysoError } from '../../shared/errors.js';
import { loadEffectiveSettings, loadSettings, type Settings } from '../../signing/settings.js';
import type { CertificateInfo } from '../../signing/certificates-api.js';
import {
  resolveModuleRequests,
  TokenManager,
  TokenSession,
  type ModuleRequest,
} from '../../signing/tokens-api.js';
import type { CertificateRef } from '../../shared/contract/index.js';

export function configuredModules(settings: Settings, env: NodeJS.ProcessEnv = process.env): ModuleRequest[] {
  return resolveModuleRequests({
    explicit: [],
    settings: settings.pkcs11.modules,
    env,
    catalogue: settings.pkcs11.searchCatalogue,
  });
}

/** The environment's libraries count unless the machine policy locks the list (as for the CLI). */
async function moduleEnv(): Promise<NodeJS.ProcessEnv> {
  return (await loadEffectiveSettings()).lockOf('pkcs11.modules') === null ? process.env : {};
}

/** All configured libraries, loaded and probed. Close it after use. */
export async function openAllModules(settings?: Settings): Promise<TokenManager> {
  return TokenManager.open(configuredModules(settings ?? (await loadSettings()), await moduleEnv()));
}

/** Only the library at `modulePath`, when it is one of the configured ones. Close it after use. */
export async function openModule(modulePath: string, settings?: Settings): Promise<TokenManager> {
  const configured = configuredModules(settings ?? (await loadSettings()), await moduleEnv());
  const requests = configured.filter((r) => r.path === modulePath);
  if (requests.length === 0) {
    throw new KysoError('PKCS11_MODULE_NOT_FOUND', `${modulePath} is not a configured token library`, {
      details: { path: modulePath },
    });
  }
  return TokenManager.open(requests.slice(0, 1));
}

/** The certificate a CertificateRef names, read without logging in (certificates are public objects). */
export async function readTokenCertificate(ref: CertificateRef): Promise<CertificateInfo> {
  const manager = await openModule(ref.modulePath);
  try {
    const found = manager.findToken({ token: ref.tokenSerial, slot: ref.slotId });
    const session = TokenSession.open(found.module, found.slot.slotId);
    try {
      const cert = session
        .listCertificates()
        .find((c) => c.idHex.toLowerCase() === ref.keyId.toLowerCase() && !c.isAuthority);
      if (!cert) {
        throw new KysoError('PKCS11_KEY_NOT_FOUND', `no certificate ${ref.keyId} on the token`, {
          details: { key: ref.keyId },
        });
      }
      return cert.info;
    } finally {
      session.close();
    }
  } finally {
    manager.close();
  }
}
