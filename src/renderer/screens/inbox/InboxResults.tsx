// What a signing run did with each request: signed and delivered (with the number and date issued at
// the clerk's step), signed and kept until the server answers, or not signed with the reason.
import type { InboxItemView, InboxOutcomeView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';

export function InboxResults({
  outcomes,
  titles,
}: {
  outcomes: readonly InboxOutcomeView[];
  titles: ReadonlyMap<string, InboxItemView>;
}) {
  const { t } = useApp();
  return (
    <section className="card" data-testid="inbox-results">
      <h2>{t('inbox.results')}</h2>
      <ul className="path-list">
        {outcomes.map((o) => {
          const item = titles.get(o.id);
          const text =
            o.status === 'delivered'
              ? o.documentNumber
                ? t('inbox.result.deliveredNumber', { number: o.documentNumber, date: o.issuedDate ?? '' })
                : t('inbox.result.delivered')
              : o.status === 'queued'
                ? t('inbox.result.queued')
                : t('inbox.result.failed');
          return (
            <li key={o.id} data-testid="inbox-outcome" data-status={o.status}>
              <span
                className={`status-badge ${o.status === 'failed' ? 'invalid' : o.status === 'queued' ? 'indeterminate' : 'valid'}`}
              >
                {text}
              </span>
              <span>{item?.title ?? item?.fileName ?? o.id}</span>
              {o.message && (
                <span className="hint">
                  {o.message} [{o.code}]
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
