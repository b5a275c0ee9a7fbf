// On the signing screen's result step: "Gửi vào hồ sơ…" puts the signed file in the outbox under the
// dossier code (checked as it is typed) and delivers it at once; what happened is shown here and on
// the "Gửi hồ sơ" screen. The state lives in the signing screen's reducer.
import type { Dispatch } from 'react';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { isDossierCode } from './dossier-code-form.js';
import type { DossierSendAction, DossierSendState } from './dossier-send-state.js';
import { OutboxStateBadge } from './OutboxStateBadge.js';

export function SendToDossier({
  state,
  dispatch,
  output,
  docNumber,
}: {
  state: DossierSendState;
  dispatch: Dispatch<DossierSendAction>;
  output: string;
  docNumber: string;
}) {
  const { client, t } = useApp();

  if (!state.open) {
    return (
      <p>
        <button type="button" className="button" onClick={() => dispatch({ type: 'open' })}>
          {t('send.open')}
        </button>
      </p>
    );
  }

  const valid = isDossierCode(state.code);
  const showInvalid = state.code.trim() !== '' && !valid;
  const working = state.phase === 'queueing' || state.phase === 'sending';

  const send = async (): Promise<void> => {
    dispatch({ type: 'queueing' });
    const queued = await client.call('outbox.queue', {
      path: output,
      dossierCode: state.code.trim(),
      ...(docNumber.trim() !== '' ? { docNumber: docNumber.trim() } : {}),
    });
    if (!queued.ok) {
      dispatch({ type: 'failed', error: queued.error });
      return;
    }
    const item = queued.value.item;
    dispatch({ type: 'sending', item });
    if (item.state === 'queued') {
      const flushed = await client.call('outbox.flush', { ids: [item.id] });
      if (!flushed.ok) {
        dispatch({ type: 'failed', error: flushed.error });
        return;
      }
    }
    const list = await client.call('outbox.list', {});
    const now = list.ok ? list.value.items.find((i) => i.id === item.id) : undefined;
    dispatch({ type: 'finished', item: now ?? item });
  };

  const item = state.item;
  return (
    <section className="panel-section" aria-labelledby="send-title" data-testid="send-to-dossier">
      <h2 id="send-title">{t('send.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !working) void send();
        }}
      >
        <label className="field">
          {t('send.code')}
          <input
            type="text"
            value={state.code}
            spellCheck={false}
            autoComplete="off"
            placeholder="000.00.01.H22-261126-0001"
            aria-invalid={showInvalid || undefined}
            aria-describedby="dossier-code-hint"
            disabled={working || state.phase === 'finished'}
            onChange={(e) => dispatch({ type: 'code', code: e.target.value })}
          />
        </label>
        <p
          id="dossier-code-hint"
          className={showInvalid ? 'warning bad' : 'hint'}
          style={{ margin: '4px 0 0' }}
          role={showInvalid ? 'alert' : undefined}
        >
          {showInvalid ? t('send.codeInvalid') : t('send.codeHint')}
        </p>
        {state.phase !== 'finished' && (
          <p style={{ display: 'flex', gap: '8px', margin: '8px 0 0' }}>
            <button type="submit" className="button primary" disabled={!valid || working}>
              {t('send.submit')}
            </button>
            <button
              type="button"
              className="button"
              disabled={working}
              onClick={() => dispatch({ type: 'close' })}
            >
              {t('common.cancel')}
            </button>
          </p>
        )}
      </form>
      {working && (
        <p role="status" className="hint">
          {t(state.phase === 'queueing' ? 'send.queueing' : 'send.sending')}
        </p>
      )}
      {state.error && <ErrorMessage error={state.error} />}
      {state.phase === 'finished' && item && (
        <div role="status" data-testid="send-outcome" style={{ marginTop: '8px' }}>
          <OutboxStateBadge state={item.state} />{' '}
          {item.state === 'delivered'
            ? t('send.delivered', { code: item.dossierCode })
            : item.lastError
              ? item.lastError.message
              : t('send.waiting')}
          <p className="hint" style={{ margin: '4px 0 0' }}>
            {t('send.seeOutbox')}
          </p>
        </div>
      )}
    </section>
  );
}
