// "Đổi mã PIN": the current PIN, the new PIN typed twice, the token's length rule and PIN state, and
// the same confirmation as signing before a final try. As in PinDialog, the PINs live only in the
// input elements: read at submit, the fields emptied at once, never held in React state. A mismatch
// or a length outside the rule is caught here, before the token is asked (no try is spent).
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import type { ContractError, TokenView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';

export interface PinChange {
  readonly currentPin: string;
  readonly newPin: string;
  readonly allowFinalTry: boolean;
}

type LocalProblem = 'empty' | 'mismatch' | 'length' | 'same';

export function ChangePinDialog(props: {
  token: TokenView;
  busy: boolean;
  error: ContractError | null;
  onSubmit: (change: PinChange) => void;
  onCancel: () => void;
}) {
  const { t } = useApp();
  const current = useRef<HTMLInputElement>(null);
  const fresh = useRef<HTMLInputElement>(null);
  const again = useRef<HTMLInputElement>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [problem, setProblem] = useState<LocalProblem | null>(null);
  const { token } = props;
  const finalTry = token.pinState === 'final-try';
  const locked = token.pinState === 'locked';
  const { minPinLength: min, maxPinLength: max } = token;

  const take = (ref: RefObject<HTMLInputElement | null>): string => {
    const value = ref.current?.value ?? '';
    if (ref.current) ref.current.value = '';
    return value;
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (locked || props.busy || (finalTry && !confirmed)) return;
    const currentPin = take(current);
    const newPin = take(fresh);
    const repeated = take(again);
    const length = [...newPin].length;
    const found: LocalProblem | null =
      !currentPin || !newPin || !repeated
        ? 'empty'
        : newPin !== repeated
          ? 'mismatch'
          : (min > 0 && length < min) || (max > 0 && length > max)
            ? 'length'
            : newPin === currentPin
              ? 'same'
              : null;
    setProblem(found);
    if (found !== null) {
      current.current?.focus();
      return;
    }
    props.onSubmit({ currentPin, newPin, allowFinalTry: finalTry });
  };

  const field = (id: string, label: string, ref: RefObject<HTMLInputElement | null>, autofocus = false) => (
    <div className="field" style={{ marginTop: 0 }}>
      <label htmlFor={id} style={{ fontWeight: 600 }}>
        {label}
      </label>
      <input
        id={id}
        ref={ref}
        className="pin-input"
        type="password"
        autoComplete="off"
        spellCheck={false}
        maxLength={Math.max(max, 1)}
        disabled={locked || props.busy}
        aria-invalid={problem !== null || props.error !== null ? true : undefined}
        aria-describedby="change-pin-hint"
        {...(autofocus ? { 'data-autofocus': true } : {})}
        onInput={() => setProblem(null)}
      />
    </div>
  );

  return (
    <Dialog
      title={t('changePin.title')}
      {...(props.busy ? {} : { onCancel: props.onCancel })}
      testId="change-pin-dialog"
    >
      <form onSubmit={submit} style={{ display: 'contents' }}>
        <p style={{ margin: 0 }}>{t('changePin.for', { token: token.label })}</p>
        {props.error && !problem && <ErrorMessage error={props.error} />}
        {problem && (
          <p className="warning bad" role="alert" data-testid="change-pin-problem">
            {t(`changePin.problem.${problem}`, { min, max })}
          </p>
        )}
        <div className={`pin-state ${token.pinState}`} role="status" data-state={token.pinState}>
          {t(`pin.state.${token.pinState}`)}
        </div>
        {field('change-pin-current', t('changePin.current'), current, true)}
        {field('change-pin-new', t('changePin.new'), fresh)}
        {field('change-pin-again', t('changePin.again'), again)}
        <span id="change-pin-hint" className="hint">
          {t('pin.lengthHint', { min, max })}
        </span>
        {finalTry && (
          <label className="choice" style={{ borderColor: 'var(--invalid)' }}>
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
            <span>{t('pin.finalConfirm')}</span>
          </label>
        )}
        <p className="hint" style={{ margin: 0 }}>
          {t('changePin.never')}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={locked || props.busy || (finalTry && !confirmed)}
          >
            {props.busy ? t('changePin.working') : t('changePin.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
