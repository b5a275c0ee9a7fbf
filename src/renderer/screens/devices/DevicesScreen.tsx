// "Thiết bị ký": the PKCS#11 libraries and how their probe went, the tokens in their slots with the
// PIN state (and "Đổi mã PIN"), and the certificates on each; for IT staff, the libraries added by
// hand, the doctor report, the trust store, the network and the local bridge.
import { useCallback, useEffect, useState } from 'react';
import type { ContractError, TokenModuleView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { BridgeSettings } from '../bridge/BridgeSettings.js';
import { DoctorReportCard } from './admin/DoctorReportCard.js';
import { LibrariesCard } from './admin/LibrariesCard.js';
import { TrustStoreCard } from './admin/TrustStoreCard.js';
import { ModuleCard } from './ModuleCard.js';
import { NetworkSettings } from './network/NetworkSettings.js';

type DevicesState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly modules: readonly TokenModuleView[] }
  | { readonly kind: 'failed'; readonly error: ContractError };

export function DevicesScreen({ active }: { active: boolean }) {
  const { client, t } = useApp();
  const [state, setState] = useState<DevicesState>({ kind: 'loading' });
  const [loadedOnce, setLoadedOnce] = useState(false);

  const load = useCallback(async () => {
    // A list on screen stays while it is read again (after a PIN change): the token cards, and a
    // dialog open on one of them, keep their place.
    setState((s) => (s.kind === 'loaded' ? s : { kind: 'loading' }));
    const r = await client.call('tokens.list', {});
    setState(r.ok ? { kind: 'loaded', modules: r.value.modules } : { kind: 'failed', error: r.error });
  }, [client]);

  useEffect(() => {
    if (active && !loadedOnce) {
      setLoadedOnce(true);
      void load();
    }
  }, [active, loadedOnce, load]);

  return (
    <div className="screen" hidden={!active}>
      <header className="screen-header">
        <h1>{t('devices.title')}</h1>
        <span className="spacer" />
        <button
          type="button"
          className="button"
          onClick={() => void load()}
          disabled={state.kind === 'loading'}
        >
          {t('devices.reload')}
        </button>
      </header>
      <div className="screen-scroll">
        <p className="intro">{t('devices.intro')}</p>
        {state.kind === 'loading' && <p role="status">{t('devices.loading')}</p>}
        {state.kind === 'failed' && <ErrorMessage error={state.error} />}
        {state.kind === 'loaded' && state.modules.length === 0 && <p>{t('devices.none')}</p>}
        {state.kind === 'loaded' &&
          state.modules.map((m) => <ModuleCard key={m.path} module={m} onChanged={() => void load()} />)}
        {active && <LibrariesCard onChanged={() => void load()} />}
        <DoctorReportCard />
        <TrustStoreCard active={active} />
        {active && <NetworkSettings />}
        <BridgeSettings active={active} />
      </div>
    </div>
  );
}
