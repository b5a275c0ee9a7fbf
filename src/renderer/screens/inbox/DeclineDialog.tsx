// "Từ chối": the request goes back to the officer who submitted it, with the reason (required).
import { useId, useState, type FormEvent } from 'react';
import { useApp } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';

export function DeclineDialog(props: {
  title: string;
  busy: boolean;
  onDecline: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useApp();
  const [reason, setReason] = useState('');
  const [empty, setEmpty] = useState(false);
  const id = useId();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (reason.trim() === '') return setEmpty(true);
    props.onDecline(reason.trim());
  };
  return (
    <Dialog title={t('inbox.declineTitle')} onCancel={props.onCancel} testId="decline-dialog">
      <form onSubmit={submit}>
        <p className="hint">{t('inbox.declineFor', { title: props.title })}</p>
        <div className="field">
          <label htmlFor={id} style={{ fontWeight: 600 }}>
            {t('inbox.declineReason')}
          </label>
          <textarea
            id={id}
            className="text-input wide"
            rows={3}
            maxLength={1000}
            value={reason}
            data-autofocus
            onChange={(e) => {
              setReason(e.target.value);
              setEmpty(false);
            }}
          />
          {empty && (
            <span className="hint" role="alert">
              {t('inbox.declineEmpty')}
            </span>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onCancel}>
            {t('inbox.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={props.busy}>
            {t('inbox.declineConfirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
