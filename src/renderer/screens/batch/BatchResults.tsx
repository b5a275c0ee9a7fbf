// Each document's outcome, filtered (all, signed, failed, not signed), in a list that draws only the
// rows in view; a failure says why in the app's language, with its code.
import type { BatchDocumentView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { VirtualList } from '../../components/VirtualList.js';
import { countsOf, type BatchFilter } from './batch-state.js';

const FILTERS: readonly BatchFilter[] = ['all', 'signed', 'failed', 'pending'];
const BADGE: Record<BatchDocumentView['status'], string> = {
  signed: 'valid',
  failed: 'invalid',
  pending: 'indeterminate',
};

export function BatchResults(props: {
  documents: readonly BatchDocumentView[];
  filter: BatchFilter;
  onFilter: (f: BatchFilter) => void;
}) {
  const { t } = useApp();
  const counts = countsOf(props.documents);
  const shown =
    props.filter === 'all' ? props.documents : props.documents.filter((d) => d.status === props.filter);
  return (
    <section className="card">
      <div className="button-row" role="group" aria-label={t('batch.filter')}>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            className="button small"
            aria-pressed={props.filter === f}
            onClick={() => props.onFilter(f)}
          >
            {t(`batch.filter.${f}`, { count: counts[f] })}
          </button>
        ))}
      </div>
      <div className="batch-row batch-head" role="presentation">
        <span>{t('batch.col.name')}</span>
        <span>{t('batch.col.status')}</span>
        <span>{t('batch.col.detail')}</span>
      </div>
      <VirtualList
        items={shown}
        rowHeight={44}
        height={440}
        label={t('batch.title')}
        testId="batch-documents"
        renderRow={(d) => (
          <div className="batch-row" data-testid="batch-document" data-status={d.status}>
            <span role="cell" className="batch-name" title={d.input}>
              {d.name}
            </span>
            <span role="cell">
              <span className={`status-badge ${BADGE[d.status]}`}>{t(`batch.status.${d.status}`)}</span>
            </span>
            <span role="cell" className="batch-detail" title={d.message ?? d.output}>
              {d.status === 'failed' ? (
                <>
                  {d.message} <code>[{d.code}]</code>
                </>
              ) : d.earlier ? (
                t('batch.earlier')
              ) : (
                ''
              )}
            </span>
          </div>
        )}
      />
    </section>
  );
}
