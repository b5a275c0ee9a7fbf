// "Kho tin cậy": the built-in Vietnamese roots and the certificates IT staff added, each switched on
// or off; "Thêm chứng thư…" shows what the file holds before adding it. A store locked by the
// settings or the machine policy shows the lock, and the engine refuses changes anyway.
import { useCallback, useEffect, useState } from 'react';
import type {
  ContractError,
  TrustCertificateView,
  TrustListView,
} from '../../../../shared/contract/index.js';
import { useApp } from '../../../app-context.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { LockedNote } from '../../../components/LockedNote.js';
import { usePolicy } from '../../../policy/use-policy.js';
import { TrustAddDialog } from './TrustAddDialog.js';
import { TrustEntryRow } from './TrustEntryRow.js';

interface Adding {
  readonly path: string;
  readonly certificates: readonly TrustCertificateView[];
}

export function TrustStoreCard({ active }: { active: boolean }) {
  const { client, t } = useApp();
  const policy = usePolicy();
  const [list, setList] = useState<TrustListView | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);
  const [adding, setAdding] = useState<Adding | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const lock = policy.lockOf('trust');

  const load = useCallback(async () => {
    const r = await client.call('trust.list', {});
    if (r.ok) setList(r.value);
    else setError(r.error);
  }, [client]);

  useEffect(() => {
    if (active && list === null) void load();
  }, [active, list, load]);

  /** Runs a change, then shows the store as it is now (and the change's error, if any). */
  const change = async (run: () => Promise<{ ok: boolean; error?: ContractError }>): Promise<boolean> => {
    setBusy(true);
    setNotice(null);
    const r = await run();
    setError(r.ok ? null : (r.error ?? null));
    await load();
    setBusy(false);
    return r.ok;
  };

  const chooseFile = async (): Promise<void> => {
    const chosen = await client.call('dialog.openCertificate', {});
    if (!chosen.ok) return setError(chosen.error);
    if (chosen.value.path === null) return;
    const preview = await client.call('trust.preview', { path: chosen.value.path });
    if (!preview.ok) return setError(preview.error);
    setError(null);
    setAdding({ path: chosen.value.path, certificates: preview.value.certificates });
  };

  const confirmAdd = async (): Promise<void> => {
    if (adding === null) return;
    const count = adding.certificates.length;
    const added = await change(() => client.call('trust.add', { path: adding.path }));
    setAdding(null);
    if (added) setNotice(t('trust.added', { count }));
  };

  const entries = list?.entries ?? [];
  return (
    <section className="card" data-testid="trust-card">
      <h2>{t('trust.title')}</h2>
      <p className="hint">{t('trust.intro')}</p>
      <LockedNote settingKey="trust" lock={lock} />
      {(['builtin', 'managed'] as const).map((origin) => {
        const group = entries.filter((e) => e.origin === origin);
        const sourceOn = origin === 'builtin' ? list?.useBuiltinList : list?.useManagedStore;
        if (group.length === 0) return null;
        return (
          <div key={origin}>
            <h3>{origin === 'builtin' ? t('trust.builtin') : t('trust.managed')}</h3>
            {sourceOn === false && <p className="hint">{t('trust.sourceOff')}</p>}
            <ul className="trust-list">
              {group.map((e) => (
                <TrustEntryRow
                  key={e.fingerprint}
                  entry={e}
                  disabled={busy || lock !== null}
                  onToggle={(enabled) => {
                    // Shown at once; the list read after the change says what the engine kept.
                    setList(
                      (l) =>
                        l && {
                          ...l,
                          entries: l.entries.map((x) =>
                            x.fingerprint === e.fingerprint ? { ...x, enabled } : x,
                          ),
                        },
                    );
                    void change(() =>
                      client.call('trust.setEnabled', { fingerprint: e.fingerprint, enabled }),
                    );
                  }}
                  onRemove={() =>
                    void change(() => client.call('trust.remove', { fingerprint: e.fingerprint }))
                  }
                />
              ))}
            </ul>
          </div>
        );
      })}
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={busy || lock !== null}
          onClick={() => void chooseFile()}
        >
          {t('trust.add')}
        </button>
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && <ErrorMessage error={error} />}
      {adding && (
        <TrustAddDialog
          certificates={adding.certificates}
          busy={busy}
          onConfirm={() => void confirmAdd()}
          onCancel={() => setAdding(null)}
        />
      )}
    </section>
  );
}
