// "Văn bản chờ ký": what the one-stop officers submitted for this certificate's signature. The PIN
// opens the inbox (the token proves to the server who is asking); the list is then read again every
// minute while the session lasts, with a desktop notification and the count on the navigation when
// new requests arrive. Tick requests and sign them with one PIN, or preview one and decline it with
// a reason; at the clerk's step the preview shows the number and date the server will issue.
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { InboxItemView, InboxListView, InboxSignProgress } from '../../../shared/contract/index.js';
import { isPinError, pinStateOfError } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { formatDateTime } from '../../i18n/format.js';
import { CertificatePicker } from '../sign/CertificatePicker.js';
import { PinDialog } from '../sign/PinDialog.js';
import { useTokenList } from '../sign/use-token-list.js';
import { DeclineDialog } from './DeclineDialog.js';
import { InboxItemRow } from './InboxItemRow.js';
import { InboxPreview } from './InboxPreview.js';
import { InboxResults } from './InboxResults.js';
import { inboxReducer, initialInboxState, selectedInboxChoice } from './inbox-state.js';

const POLL_MS = 60_000;

export function InboxScreen({ active, onCount }: { active: boolean; onCount: (count: number) => void }) {
  const { client, t, language } = useApp();
  const [state, dispatch] = useReducer(inboxReducer, initialInboxState);
  const choice = selectedInboxChoice(state);
  /** Every request seen, for the results of those no longer listed. */
  const seen = useRef(new Map<string, InboxItemView>());
  const known = useRef<ReadonlySet<string> | null>(null);

  const loadTokens = useTokenList(active, dispatch);

  /** A list from the server: remembered, counted, and new requests announced. */
  const listed = useCallback(
    (list: InboxListView) => {
      for (const i of list.items) seen.current.set(i.id, i);
      const fresh = known.current === null ? [] : list.items.filter((i) => !known.current?.has(i.id));
      known.current = new Set(list.items.map((i) => i.id));
      onCount(list.items.length);
      if (fresh.length > 0 && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
        new Notification(t('inbox.notify', { count: fresh.length }), {
          body: fresh.map((i) => i.title ?? i.fileName).join('\n'),
        });
      }
      dispatch({ type: 'listed', list });
    },
    [onCount, t],
  );

  const open = async (pin: string | null, allowFinalTry: boolean): Promise<void> => {
    if (!choice) return;
    dispatch({ type: 'opening' });
    const r = await client.call('inbox.open', { certificate: choice.ref, pin, allowFinalTry });
    if (r.ok) {
      listed(r.value);
      // Asked once the user opened the inbox: new requests are announced from then on.
      if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
        void Notification.requestPermission().catch(() => undefined);
      }
    } else if (isPinError(r.error.code)) {
      dispatch({ type: 'pinFailed', error: r.error, pinState: pinStateOfError(r.error) });
    } else dispatch({ type: 'error', error: r.error });
  };

  const refresh = useCallback(async () => {
    if (!choice) return;
    const r = await client.call('inbox.list', { certificate: choice.ref });
    if (r.ok) listed(r.value);
    else if (r.error.code === 'INBOX_LOGIN_NEEDED') {
      onCount(0);
      dispatch({ type: 'loginNeeded', error: r.error });
    } else dispatch({ type: 'error', error: r.error });
  }, [client, choice, listed, onCount]);

  // Read again every minute while the inbox is open (the screen shown or not).
  const isOpen = state.phase === 'open';
  useEffect(() => {
    if (!isOpen) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [isOpen, refresh]);

  const sign = async (pin: string | null, allowFinalTry: boolean): Promise<void> => {
    if (!choice || state.checked.length === 0) return;
    dispatch({ type: 'signing' });
    const r = await client.call(
      'inbox.sign',
      { certificate: choice.ref, ids: [...state.checked], pin, allowFinalTry },
      { onProgress: (p: InboxSignProgress) => dispatch({ type: 'progress', progress: p }) },
    );
    if (r.ok) {
      for (const i of r.value.list.items) seen.current.set(i.id, i);
      known.current = new Set(r.value.list.items.map((i) => i.id));
      onCount(r.value.list.items.length);
      dispatch({ type: 'signed', outcomes: r.value.outcomes, list: r.value.list });
    } else if (isPinError(r.error.code)) {
      dispatch({ type: 'pinFailed', error: r.error, pinState: pinStateOfError(r.error) });
    } else dispatch({ type: 'error', error: r.error });
  };

  const decline = async (id: string, reason: string): Promise<void> => {
    if (!choice) return;
    const r = await client.call('inbox.decline', { certificate: choice.ref, id, reason });
    if (r.ok) {
      known.current = new Set(r.value.items.map((i) => i.id));
      onCount(r.value.items.length);
      dispatch({ type: 'declined', list: r.value, notice: t('inbox.declined') });
    } else dispatch({ type: 'error', error: r.error });
  };

  const onReserved = useCallback(
    (number: string, issuedDate: string) => {
      if (state.previewId !== null) dispatch({ type: 'reserved', id: state.previewId, number, issuedDate });
    },
    [state.previewId],
  );

  const items = state.list?.items ?? [];
  const previewed = items.find((i) => i.id === state.previewId) ?? null;
  const declining = items.find((i) => i.id === state.declining) ?? null;
  const busy = state.phase === 'signing' || state.phase === 'opening';
  return (
    <div className="screen" hidden={!active}>
      <header className="screen-header">
        <h1>{t('inbox.title')}</h1>
        <span className="spacer" />
        {state.list && (
          <button type="button" className="button" disabled={busy} onClick={() => void refresh()}>
            {t('inbox.refresh')}
          </button>
        )}
      </header>
      <div className="screen-scroll">
        <p className="intro">{t('inbox.intro')}</p>
        {isOpen || state.phase === 'signing' || state.phase === 'pin-sign' ? (
          // Open: the certificate in one line, so that the list and the preview have the room.
          <section className="card inbox-holder" data-testid="inbox-holder">
            <span>
              <strong>{choice?.certificate.subjectCN ?? choice?.certificate.subjectDN}</strong>
              <span className="hint"> · {choice?.token.label}</span>
            </span>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => dispatch({ type: 'certificate', key: '' })}
            >
              {t('inbox.otherCertificate')}
            </button>
          </section>
        ) : (
          <section className="card">
            <h2>{t('inbox.certificate')}</h2>
            <CertificatePicker
              choices={state.choices}
              error={state.choicesError}
              selected={state.certificateKey}
              onSelect={(key) => dispatch({ type: 'certificate', key })}
              onReload={() => void loadTokens()}
            />
            <div className="button-row">
              <button
                type="button"
                className="button primary"
                disabled={!choice || state.phase === 'opening'}
                onClick={() => dispatch({ type: 'askPin', for: 'open' })}
              >
                {state.phase === 'opening' ? t('inbox.opening') : t('inbox.open')}
              </button>
            </div>
          </section>
        )}
        {state.error && <ErrorMessage error={state.error} />}
        {state.notice && (
          <p className="notice" role="status">
            {state.notice}
          </p>
        )}
        {state.outcomes && <InboxResults outcomes={state.outcomes} titles={seen.current} />}
        <div className={previewed ? 'inbox-body with-preview' : 'inbox-body'}>
          {state.list && (
            <section className="card" data-testid="inbox-list">
              {state.list.offline && (
                <p className="notice" role="status">
                  {t('inbox.offline', { time: formatDateTime(state.list.fetchedAt, language) })}
                </p>
              )}
              {state.list.waitingDelivery > 0 && (
                <p className="hint">{t('inbox.waiting', { count: state.list.waitingDelivery })}</p>
              )}
              <div className="button-row">
                <strong>{t('inbox.count', { count: items.length })}</strong>
                <span className="hint">
                  {t('inbox.fetchedAt', { time: formatDateTime(state.list.fetchedAt, language) })}
                </span>
                <span className="spacer" />
                {items.length > 0 && (
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={state.checked.length === items.length}
                      disabled={busy}
                      onChange={(e) => dispatch({ type: 'checkAll', on: e.target.checked })}
                    />
                    {t('inbox.selectAll')}
                  </label>
                )}
                <button
                  type="button"
                  className="button primary"
                  disabled={busy || state.checked.length === 0}
                  onClick={() => dispatch({ type: 'askPin', for: 'sign' })}
                >
                  {state.phase === 'signing' && state.progress
                    ? t('inbox.signing', { index: state.progress.index + 1, total: state.progress.total })
                    : state.checked.length === 0
                      ? t('inbox.signNone')
                      : t('inbox.sign', { count: state.checked.length })}
                </button>
              </div>
              {items.length === 0 && <p>{t('inbox.empty')}</p>}
              <ul className="inbox-list">
                {items.map((item) => (
                  <InboxItemRow
                    key={item.id}
                    item={item}
                    checked={state.checked.includes(item.id)}
                    previewed={item.id === state.previewId}
                    disabled={busy}
                    onCheck={(on) => dispatch({ type: 'check', id: item.id, on })}
                    onPreview={() => dispatch({ type: 'preview', id: item.id })}
                  />
                ))}
              </ul>
            </section>
          )}
          {previewed && choice && (
            <InboxPreview
              key={previewed.id}
              item={previewed}
              certificate={choice.ref}
              reservation={
                state.reservation?.id === previewed.id ? state.reservation : (previewed.issue ?? null)
              }
              busy={busy}
              onReserved={onReserved}
              onDecline={() => dispatch({ type: 'decline', id: previewed.id })}
            />
          )}
        </div>
        {(state.phase === 'pin-open' || state.phase === 'pin-sign') && choice && (
          <PinDialog
            choice={choice}
            pinState={state.pinState}
            error={state.pinError}
            onSubmit={(pin, allowFinalTry) =>
              void (state.phase === 'pin-open' ? open(pin, allowFinalTry) : sign(pin, allowFinalTry))
            }
            onCancel={() => dispatch({ type: 'cancelPin' })}
            {...(state.phase === 'pin-open'
              ? {
                  purpose: {
                    text: t('inbox.pinOpenFor', {
                      holder: choice.certificate.subjectCN ?? choice.certificate.subjectDN,
                    }),
                    submit: t('inbox.pinOpen'),
                  },
                }
              : {})}
          />
        )}
        {declining && (
          <DeclineDialog
            title={declining.title ?? declining.fileName}
            busy={busy}
            onDecline={(reason) => void decline(declining.id, reason)}
            onCancel={() => dispatch({ type: 'decline', id: null })}
          />
        )}
      </div>
    </div>
  );
}
