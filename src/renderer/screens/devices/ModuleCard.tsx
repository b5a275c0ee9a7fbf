// One PKCS#11 library: loaded or why not, then each slot's token.
import type { TokenModuleView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { TokenSection } from './TokenSection.js';

export function ModuleCard({ module: m, onChanged }: { module: TokenModuleView; onChanged: () => void }) {
  const { t } = useApp();
  return (
    <section className="card" aria-label={`${t('devices.module')} ${m.path}`} data-testid="module-card">
      <h2>{m.manufacturer ?? m.vendor ?? m.path}</h2>
      <dl className="details">
        <dt>{t('devices.module')}</dt>
        <dd className="path" style={{ background: 'none', padding: 0 }}>
          {m.path}
        </dd>
        <dt>{t('devices.origin')}</dt>
        <dd>{t(`devices.origin.${m.origin}`)}</dd>
        <dt>{t('devices.state')}</dt>
        <dd>
          {m.loaded ? (
            <span className="status-badge valid">✔ {t('devices.loaded')}</span>
          ) : (
            <span className="status-badge invalid">✖ {t('devices.failed')}</span>
          )}
          {m.error && <div className="hint">{m.error.message}</div>}
        </dd>
        {m.loaded && (
          <>
            <dt>{t('devices.slotCount')}</dt>
            <dd>{m.slots.length}</dd>
          </>
        )}
      </dl>
      {m.slots.map((slot) =>
        slot.token ? (
          <TokenSection
            key={slot.slotId}
            token={slot.token}
            modulePath={m.path}
            slotId={slot.slotId}
            onChanged={onChanged}
          />
        ) : (
          <p key={slot.slotId} className="hint">
            {t('devices.slotEmpty', { slot: slot.slotId })}
          </p>
        ),
      )}
    </section>
  );
}
