// Step 2: where the box is, in words (for screen readers too), and the way back to the suggestion.
import type { ContractError, Placement } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';

export function PlacementSection(props: {
  placement: Placement | null;
  suggested: boolean;
  /** Why the engine could not draw the preview (the signature itself may still work). */
  previewError: ContractError | null;
  viewedPage: number;
  onReset: () => void;
  onMoveHere: () => void;
}) {
  const { t } = useApp();
  const p = props.placement;
  const r = (v: number): number => Math.round(v);
  return (
    <section className="panel-section">
      <h2>{t('sign.step.place')}</h2>
      {p ? (
        <>
          <p className="hint" aria-live="polite" data-testid="placement-text">
            {t('place.where', {
              page: p.page,
              x: r(p.rect.x),
              y: r(p.rect.y),
              width: r(p.rect.width),
              height: r(p.rect.height),
            })}
          </p>
          <p className="hint">{props.suggested ? t('place.suggestedGeneric') : t('place.default')}</p>
          {props.previewError && (
            <p className="hint warning" data-testid="preview-error">
              {t('place.previewFailed')} {props.previewError.message} ({props.previewError.code})
            </p>
          )}
          <p className="hint" style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            {props.suggested && (
              <button type="button" className="button small" onClick={props.onReset}>
                {t('place.reset')}
              </button>
            )}
            {p.page !== props.viewedPage && (
              <button type="button" className="button small" onClick={props.onMoveHere}>
                {t('place.moveHere')}
              </button>
            )}
          </p>
        </>
      ) : (
        <p className="hint">{t('place.previewLoading')}</p>
      )}
    </section>
  );
}
