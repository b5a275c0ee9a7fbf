// The outbox's documents: file, dossier, document, destination, state (mark, word and colour), the
// attempts and times, the last failure in the app's language, and what can be done with each.
import type { OutboxItemView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { formatDateTime } from '../../i18n/format.js';
import { OutboxStateBadge } from './OutboxStateBadge.js';

function destinationText(item: OutboxItemView): string {
  return item.destination.kind === 'rest' ? item.destination.server : item.destination.path;
}

export function OutboxTable({
  items,
  busy,
  onRetry,
  onCancel,
}: {
  items: readonly OutboxItemView[];
  busy: boolean;
  onRetry: (item: OutboxItemView) => void;
  onCancel: (item: OutboxItemView) => void;
}) {
  const { t, language } = useApp();
  return (
    <table className="table" data-testid="outbox-table" style={{ tableLayout: 'fixed' }}>
      <colgroup>
        <col style={{ width: '23%' }} />
        <col style={{ width: '20%' }} />
        <col style={{ width: '25%' }} />
        <col style={{ width: '7%' }} />
        <col style={{ width: '15%' }} />
        <col style={{ width: '10%' }} />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t('outbox.col.file')}</th>
          <th scope="col">{t('outbox.col.dossier')}</th>
          <th scope="col">{t('outbox.col.state')}</th>
          <th scope="col">{t('outbox.col.attempts')}</th>
          <th scope="col">{t('outbox.col.times')}</th>
          <th scope="col">{t('outbox.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-testid="outbox-row" data-id={item.id} data-state={item.state}>
            <td>
              <div style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>{item.fileName}</div>
              {(item.documentNumber || item.documentType) && (
                <div className="hint">
                  {[item.documentType, item.documentNumber].filter(Boolean).join(' ')}
                </div>
              )}
              <div className="hint" style={{ overflowWrap: 'anywhere' }}>
                {t('outbox.destination', { destination: destinationText(item) })}
              </div>
            </td>
            <td style={{ fontFamily: 'ui-monospace, monospace', fontSize: '13px', overflowWrap: 'anywhere' }}>
              {item.dossierCode}
            </td>
            <td>
              <OutboxStateBadge state={item.state} />
              {item.state === 'delivered' && item.alreadyDelivered && (
                <div className="hint">{t('outbox.already')}</div>
              )}
              {item.lastError && item.state !== 'delivered' && item.state !== 'cancelled' && (
                <div
                  className="outbox-error"
                  style={{ color: 'var(--invalid)', fontSize: '13px', marginTop: '4px' }}
                >
                  {item.lastError.message}{' '}
                  <span style={{ color: 'var(--ink-soft)', fontFamily: 'ui-monospace, monospace' }}>
                    [{item.lastError.code}]
                  </span>
                </div>
              )}
            </td>
            <td>{item.attempts}</td>
            <td className="hint" style={{ fontSize: '13px' }}>
              <div>{t('outbox.created', { time: formatDateTime(item.createdAt, language) })}</div>
              {item.deliveredAt && (
                <div>{t('outbox.delivered', { time: formatDateTime(item.deliveredAt, language) })}</div>
              )}
              {item.nextAttemptAt && item.attempts > 0 && (
                <div>{t('outbox.nextAttempt', { time: formatDateTime(item.nextAttemptAt, language) })}</div>
              )}
            </td>
            <td>
              <div style={{ display: 'flex', gap: '6px', flexWrap: 'wrap' }}>
                {item.state === 'failed' && (
                  <button
                    type="button"
                    className="button small"
                    disabled={busy}
                    aria-label={t('outbox.retryItem', { file: item.fileName })}
                    onClick={() => onRetry(item)}
                  >
                    {t('outbox.retry')}
                  </button>
                )}
                {(item.state === 'queued' || item.state === 'failed') && (
                  <button
                    type="button"
                    className="button small"
                    disabled={busy}
                    aria-label={t('outbox.cancelItem', { file: item.fileName })}
                    onClick={() => onCancel(item)}
                  >
                    {t('outbox.cancel')}
                  </button>
                )}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
