// The run: one bar for the whole batch, documents per second, the time left and the document at the
// token; "Tạm dừng" stops cleanly (the documents at the token finish, the rest stay to do).
import type { BatchProgressView, BatchRunProgress } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import type { Translate } from '../../i18n/translate.js';

function duration(ms: number, t: Translate): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds < 90
    ? t('batch.time.seconds', { n: seconds })
    : t('batch.time.minutes', { n: Math.round(seconds / 60) });
}

export function BatchProgressPanel(props: {
  stage: BatchRunProgress['stage'] | null;
  progress: BatchProgressView | null;
  onPause: () => void;
}) {
  const { t, language } = useApp();
  const p = props.progress;
  const fraction = p && p.total > 0 ? p.done / p.total : 0;
  const rate = p
    ? p.ratePerSecond.toLocaleString(language === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })
    : '';
  return (
    <section className="card" aria-live="polite" data-testid="batch-progress">
      <div
        className="progress-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={p?.total ?? 0}
        aria-valuenow={p?.done ?? 0}
        aria-label={t('batch.title')}
      >
        <div className="progress-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <p className="progress-line">
        {props.stage === 'opening' && t('batch.opening')}
        {props.stage === 'stopping' && t('batch.pausing')}
        {props.stage === 'waiting-for-token' && <span className="warning">{t('batch.waitingToken')}</span>}
        {p && props.stage !== 'opening' && (
          <>
            <strong data-testid="batch-count">{t('batch.progress', { done: p.done, total: p.total })}</strong>
            {p.ratePerSecond > 0 && <> · {t('batch.rate', { rate })}</>}
            {p.remainingMs !== null && p.remainingMs > 0 && (
              <> · {t('batch.remaining', { time: duration(p.remainingMs, t) })}</>
            )}
          </>
        )}
      </p>
      {p?.current && <p className="hint">{t('batch.current', { name: p.current })}</p>}
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={props.onPause}
          disabled={props.stage === 'stopping'}
        >
          {t('batch.pause')}
        </button>
      </div>
    </section>
  );
}
