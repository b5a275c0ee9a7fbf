// The PIN dialog: a masked "Mã PIN" field, the token's PIN state (tries left), an explicit
// confirmation before a final try, and the PIN pad prompt for tokens that have one. The PIN lives
// only in the input element: it is read at "Ký", the field is emptied at once, and it goes straight
// to the call; no React state ever holds it.
import { useRef, useState, type FormEvent } from 'react';
import type { ContractError, PinStateName } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import type { CertificateChoice } from './sign-state.js';

export function PinDialog(props: {
  choice: CertificateChoice;
  pinState: PinStateName | null;
  error: ContractError | null;
  onSubmit: (pin: string | null, allowFinalTry: boolean) => void;
  onCancel: () => void;
  /** What the PIN is for, when it is not a signature (opening the signing inbox). */
  purpose?: { readonly text: string; readonly submit: string };
}) {
  const { t } = useApp();
  const input = useRef<HTMLInputElement>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [empty, setEmpty] = useState(false);
  const { token, certificate } = props.choice;
  const pinPad = token.flags.protectedAuthenticationPath;
  const state = props.pinState ?? token.pinState;
  const finalTry = state === 'final-try';
  const locked = state === 'locked';

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (locked || (finalTry && !confirmed)) return;
    if (pinPad) {
      props.onSubmit(null, finalTry);
      return;
    }
    const field = input.current;
    const pin = field?.value ?? '';
    if (field) field.value = '';
    if (!pin) {
      setEmpty(true);
      field?.focus();
      return;
    }
    props.onSubmit(pin, finalTry);
  };

  return (
    <Dialog title={t('pin.title')} onCancel={props.onCancel} testId="pin-dialog">
      <form onSubmit={submit} style={{ display: 'contents' }}>
        <p style={{ margin: 0 }}>
          {props.purpose?.text ??
            t('pin.for', { holder: certificate.subjectCN ?? certificate.subjectDN, token: token.label })}
        </p>
        {props.error && <ErrorMessage error={props.error} />}
        <div className={`pin-state ${state}`} role="status" data-testid="pin-state" data-state={state}>
          {t(`pin.state.${state}`)}
        </div>
        {pinPad ? (
          <p className="notice" style={{ margin: 0 }}>
            {t('pin.pad')}
          </p>
        ) : (
          <div className="field" style={{ marginTop: 0 }}>
            <label htmlFor="pin-input" style={{ fontWeight: 600 }}>
              {t('pin.label')}
            </label>
            <input
              id="pin-input"
              ref={input}
              className="pin-input"
              type="password"
              name="pin"
              autoComplete="off"
              spellCheck={false}
              inputMode="text"
              maxLength={Math.max(token.maxPinLength, 1)}
              disabled={locked}
              data-autofocus
              aria-invalid={empty || props.error ? true : undefined}
              aria-describedby="pin-hint"
              onInput={() => setEmpty(false)}
            />
            <span id="pin-hint" className="hint">
              {empty
                ? t('pin.empty')
                : t('pin.lengthHint', { min: token.minPinLength, max: token.maxPinLength })}
            </span>
          </div>
        )}
        {finalTry && (
          <label className="choice" style={{ borderColor: 'var(--invalid)' }}>
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
            <span>{t('pin.finalConfirm')}</span>
          </label>
        )}
        <p className="hint" style={{ margin: 0 }}>
          {t('pin.never')}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={locked || (finalTry && !confirmed)}>
            {props.purpose?.submit ?? t('pin.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
