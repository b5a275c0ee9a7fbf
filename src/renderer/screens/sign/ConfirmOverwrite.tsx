// Never overwrite without asking.
import { useApp } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';

export function ConfirmOverwrite({
  path,
  onAnswer,
}: {
  path: string;
  onAnswer: (overwrite: boolean) => void;
}) {
  const { t } = useApp();
  return (
    <Dialog title={t('output.path')} role="alertdialog" onCancel={() => onAnswer(false)}>
      <p style={{ margin: 0 }}>{t('output.exists', { path })}</p>
      <div className="dialog-actions">
        <button type="button" className="button" data-autofocus onClick={() => onAnswer(false)}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button danger" onClick={() => onAnswer(true)}>
          {t('output.overwrite')}
        </button>
      </div>
    </Dialog>
  );
}
