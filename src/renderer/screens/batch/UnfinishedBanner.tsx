// A batch stopped or cut short (the app closed, the computer stopped): offered when the screen opens.
import type { UnfinishedBatchView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';

export function UnfinishedBanner(props: {
  batch: UnfinishedBatchView;
  onResume: () => void;
  onForget: () => void;
}) {
  const { t } = useApp();
  const b = props.batch;
  return (
    <div className="notice" role="status" data-testid="batch-unfinished">
      <p style={{ margin: 0 }}>
        {t('batch.unfinished', { signed: b.signed, total: b.total, pending: b.pending, outDir: b.outDir })}
      </p>
      <div className="button-row">
        <button type="button" className="button primary" onClick={props.onResume}>
          {t('batch.unfinishedResume')}
        </button>
        <button type="button" className="button" onClick={props.onForget}>
          {t('batch.unfinishedForget')}
        </button>
      </div>
    </div>
  );
}
