// One certificate of the trust store: its name, where it comes from, root or intermediate, validity
// and fingerprint; a switch to use it or not; "Xóa" for one IT staff added.
import type { TrustEntryView } from '../../../../shared/contract/index.js';
import { useApp } from '../../../app-context.js';
import { commonName, formatDate } from '../../../i18n/format.js';

export function TrustEntryRow(props: {
  entry: TrustEntryView;
  disabled: boolean;
  onToggle: (enabled: boolean) => void;
  onRemove: () => void;
}) {
  const { t, language } = useApp();
  const e = props.entry;
  return (
    <li className="trust-entry" data-testid="trust-entry" data-fingerprint={e.fingerprint}>
      <div className="trust-entry-text">
        <strong>{e.name ?? commonName(e.subject) ?? e.subject}</strong>
        <span className="hint">
          {e.origin === 'builtin' ? t('trust.builtin') : t('trust.managed')} ·{' '}
          {e.anchor ? t('trust.root') : t('trust.intermediate')} ·{' '}
          {t('trust.validity', {
            from: formatDate(e.notBefore, language),
            to: formatDate(e.notAfter, language),
          })}
        </span>
        <span className="hint fingerprint" title={e.fingerprint}>
          SHA-256 {e.fingerprint.slice(0, 16)}…
        </span>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={e.enabled}
          disabled={props.disabled}
          onChange={(ev) => props.onToggle(ev.target.checked)}
        />
        {t('trust.enabled')}
      </label>
      {e.origin === 'managed' && (
        <button type="button" className="button" disabled={props.disabled} onClick={props.onRemove}>
          {t('trust.remove')}
        </button>
      )}
    </li>
  );
}
