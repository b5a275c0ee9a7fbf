// "Gửi hồ sơ": what has gone to the one-stop system and what is waiting. The outbox table with its
// states, a filter by state, retry (one, or every failed one), cancel, "Gửi ngay" with progress and
// a way to stop, and the destination and credential settings.
import { useCallback, useEffect, useRef, useState } from 'react';
import { OUTBOX_STATE_NAMES } from '../../../shared/contract/outbox-states.js';
import type {
  ContractError,
  OutboxFlushProgress,
  OutboxFlushResult,
  OutboxItemView,
  OutboxStateName,
  UploadSettingsView,
} from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { OutboxSettings } from './OutboxSettings.js';
import { OutboxTable } from './OutboxTable.js';

type Filter = 'all' | OutboxStateName;

export function OutboxScreen({ active }: { active: boolean }) {
  const { client, t } = useApp();
  const [items, setItems] = useState<readonly OutboxItemView[] | null>(null);
  const [settings, setSettings] = useState<UploadSettingsView | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [error, setError] = useState<ContractError | null>(null);
  const [flushing, setFlushing] = useState<OutboxFlushProgress | null>(null);
  const [flushed, setFlushed] = useState<OutboxFlushResult | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    const [list, upload] = await Promise.all([
      client.call('outbox.list', {}),
      client.call('upload.settings.get', {}),
    ]);
    if (list.ok) setItems(list.value.items);
    else setError(list.error);
    if (upload.ok) setSettings(upload.value);
  }, [client]);

  // Looked at again each time the screen is shown: the signing screen may have added documents.
  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  const flush = async (ids?: readonly number[]): Promise<void> => {
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setFlushed(null);
    setFlushing({ stage: 'waiting', done: 0 });
    const r = await client.call('outbox.flush', ids ? { ids: [...ids] } : {}, {
      signal: controller.signal,
      onProgress: (p) => {
        setFlushing(p);
        if (p.stage !== 'bytes' && p.stage !== 'waiting') void load();
      },
    });
    abort.current = null;
    setFlushing(null);
    if (r.ok) setFlushed(r.value);
    else if (r.error.code !== 'CANCELLED') setError(r.error);
    await load();
  };

  const act = async (work: () => Promise<{ ok: boolean; error?: ContractError }>): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await work();
    if (!r.ok && r.error) setError(r.error);
    setBusy(false);
    await load();
  };

  const counts = Object.fromEntries(
    OUTBOX_STATE_NAMES.map((s) => [s, (items ?? []).filter((i) => i.state === s).length]),
  ) as Record<OutboxStateName, number>;
  const shown = (items ?? [])
    .filter((i) => filter === 'all' || i.state === filter)
    .slice()
    .reverse();
  const working = busy || flushing !== null;
  // With nowhere to send yet, the settings come first.
  const configured = settings === null || settings.server !== null || settings.folderPath !== null;

  return (
    <div className="screen" hidden={!active} data-testid="outbox-screen">
      <header className="screen-header">
        <h1>{t('outbox.title')}</h1>
        <span className="spacer" />
        <button type="button" className="button" onClick={() => void load()} disabled={working}>
          {t('outbox.reload')}
        </button>
      </header>
      <div className="screen-scroll">
        <p className="intro">{t('outbox.intro')}</p>
        <div style={{ display: 'flex', flexDirection: 'column' }}>
          <section className="card" aria-labelledby="outbox-list-title">
            <h2 id="outbox-list-title" className="visually-hidden">
              {t('outbox.title')}
            </h2>
            <div
              style={{
                display: 'flex',
                gap: '8px',
                alignItems: 'center',
                flexWrap: 'wrap',
                marginBottom: '10px',
              }}
            >
              <label style={{ display: 'flex', gap: '6px', alignItems: 'center' }}>
                {t('outbox.filter')}
                <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
                  <option value="all">{t('outbox.filter.all', { count: items?.length ?? 0 })}</option>
                  {OUTBOX_STATE_NAMES.map((s) => (
                    <option key={s} value={s}>
                      {t('outbox.filter.state', { state: t(`outboxState.${s}`), count: counts[s] })}
                    </option>
                  ))}
                </select>
              </label>
              <span className="spacer" style={{ flex: 1 }} />
              <button
                type="button"
                className="button"
                disabled={working || counts.failed === 0}
                onClick={() =>
                  void act(async () => {
                    const r = await client.call('outbox.retry', { allFailed: true });
                    if (r.ok) void flush();
                    return r;
                  })
                }
              >
                {t('outbox.retryAllFailed')}
              </button>
              <button
                type="button"
                className="button primary"
                disabled={working || counts.queued === 0}
                onClick={() => void flush()}
              >
                {t('outbox.flush')}
              </button>
            </div>
            {flushing && (
              <div
                className="progress"
                role="status"
                data-testid="outbox-progress"
                style={{ marginBottom: '10px' }}
              >
                <span>
                  {flushing.fileName
                    ? t('outbox.flushSending', { file: flushing.fileName, done: flushing.done })
                    : t('outbox.flushing', { done: flushing.done })}
                </span>
                <div className="progress-bar">
                  <div
                    style={{
                      width: `${flushing.total ? Math.round(((flushing.sent ?? 0) / flushing.total) * 100) : 0}%`,
                    }}
                  />
                </div>
                <div>
                  <button type="button" className="button small" onClick={() => abort.current?.abort()}>
                    {t('outbox.cancelFlush')}
                  </button>
                </div>
              </div>
            )}
            {flushed && (
              <p role="status" className="notice" data-testid="outbox-flushed">
                {t('outbox.flushDone', {
                  delivered: flushed.delivered,
                  failed: flushed.failed,
                  retried: flushed.retried,
                })}
              </p>
            )}
            {error && <ErrorMessage error={error} />}
            {items !== null && items.length === 0 && <p>{t('outbox.empty')}</p>}
            {items !== null && items.length > 0 && shown.length === 0 && <p>{t('outbox.emptyFilter')}</p>}
            {shown.length > 0 && (
              <OutboxTable
                items={shown}
                busy={working}
                onRetry={(item) =>
                  void act(async () => {
                    const r = await client.call('outbox.retry', { id: item.id });
                    if (r.ok) void flush([item.id]);
                    return r;
                  })
                }
                onCancel={(item) => void act(() => client.call('outbox.cancel', { id: item.id }))}
              />
            )}
          </section>
          {/* One element moved by CSS order, so it keeps its state when the destination is first saved. */}
          <div style={{ order: configured ? 1 : -1 }}>
            <OutboxSettings settings={settings} onSaved={setSettings} />
          </div>
        </div>
      </div>
    </div>
  );
}
