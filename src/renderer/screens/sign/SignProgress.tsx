// Signing in progress: the engine's stage in words, a bar, and Cancel.
import type { SignRunProgress } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';
import type { MessageKey } from '../../i18n/translate.js';

const STAGES: readonly SignRunProgress['stage'][] = [
  'reading',
  'preparing',
  'hashing',
  'signing',
  'timestamp',
  'writing',
  'verifying',
  'done',
];

function stageKey(stage: SignRunProgress['stage'] | null): MessageKey {
  switch (stage) {
    case 'reading':
    case 'preparing':
    case 'hashing':
    case 'signing':
    case 'timestamp':
    case 'writing':
    case 'verifying':
      return `progress.${stage}`;
    default:
      return 'progress.other';
  }
}

export function SignProgress({
  stage,
  onCancel,
}: {
  stage: SignRunProgress['stage'] | null;
  onCancel: () => void;
}) {
  const { t } = useApp();
  const index = stage ? Math.max(0, STAGES.indexOf(stage)) : 0;
  const percent = Math.round(((index + 1) / STAGES.length) * 100);
  return (
    <Dialog title={t('sign.progress.title')} onCancel={onCancel} testId="sign-progress">
      <div className="progress">
        <div role="status" aria-live="polite">
          {t(stageKey(stage))}…
        </div>
        <div
          className="progress-bar"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-label={t('sign.progress.title')}
        >
          <div style={{ width: `${percent}%` }} />
        </div>
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
