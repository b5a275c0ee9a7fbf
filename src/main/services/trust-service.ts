// trust.*: the trust store on "Thiết bị ký", through kyso/verify's functions (the same as `kyso
// trust`): the inventory, a file's certificates before they are added, adding, removing an added
// one, switching any off and on. The engine refuses every change while the store is locked.
import { kysoHome, loadEffectiveSettings } from '../../signing/settings.js';
import {
  addTrustedCertificates,
  previewTrustedCertificates,
  removeManagedTrustEntry,
  setTrustEntryEnabled,
  trustInventory,
  type TrustedCertificate,
} from '../../signing/verify-api.js';
import type { TrustCertificateView } from '../../shared/contract/index.js';
import type { Handlers } from './service-types.js';

/** The fields the window shows (the engine's `source` is a local path or a store name: kept here). */
function view(c: TrustedCertificate): TrustCertificateView {
  return {
    fingerprint: c.fingerprint,
    subject: c.subject,
    issuer: c.issuer,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    anchor: c.anchor,
  };
}

export function trustHandlers(
  options: { home?: string } = {},
): Handlers<'trust.list' | 'trust.preview' | 'trust.add' | 'trust.remove' | 'trust.setEnabled'> {
  const home = (): string => options.home ?? kysoHome();
  return {
    'trust.list': async () => {
      const [entries, { settings }] = await Promise.all([
        trustInventory(home()),
        loadEffectiveSettings(home()),
      ]);
      return {
        entries: entries.map((e) => ({ ...view(e), origin: e.origin, name: e.name, enabled: e.enabled })),
        useBuiltinList: settings.trust.useBuiltinList,
        useManagedStore: settings.trust.useManagedStore,
      };
    },
    'trust.preview': async ({ path }) => ({
      certificates: (await previewTrustedCertificates([path])).map(view),
    }),
    'trust.add': async ({ path }) => ({ added: (await addTrustedCertificates([path], home())).map(view) }),
    'trust.remove': async ({ fingerprint }) => {
      await removeManagedTrustEntry(fingerprint, home());
      return {};
    },
    'trust.setEnabled': async ({ fingerprint, enabled }) => {
      await setTrustEntryEnabled(fingerprint, enabled, home());
      return {};
    },
  };
}
