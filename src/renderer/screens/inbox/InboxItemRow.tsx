// One request in the inbox: ticked for signing or not; its title and type, dossier, who submitted
// it, when it arrived and when it is due (overdue in red), and which step waits (approval, or the
// clerk's number and seal).
import type { InboxItemView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { formatDateTime } from '../../i18n/format.js';

export function InboxItemRow(props: {
  item: InboxItemView;
  checked: boolean;
  previewed: boolean;
  disabled: boolean;
  onCheck: (on: boolean) => void;
  onPreview: () => void;
}) {
  const { t, language } = useApp();
  const i = props.item;
  return (
    <li
      className={`inbox-item${props.previewed ? ' previewed' : ''}${i.overdue ? ' overdue' : ''}`}
      data-testid="inbox-item"
      data-id={i.id}
    >
      <input
        type="checkbox"
        aria-label={`${t('inbox.select')}: ${i.title ?? i.fileName}`}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onCheck(e.target.checked)}
      />
      <button
        type="button"
        className="inbox-item-text"
        onClick={props.onPreview}
        aria-pressed={props.previewed}
      >
        <strong>{i.title ?? i.fileName}</strong>
        <span className="hint">
          {i.documentType} · {t('inbox.dossier', { code: i.dossierCode })} ·{' '}
          {t('inbox.preparedBy', { name: i.preparedBy })}
        </span>
        <span className="hint">
          {t('inbox.arrived', { time: formatDateTime(i.arrivedAt, language) })}
          {i.dueAt !== null && <> · {t('inbox.due', { time: formatDateTime(i.dueAt, language) })}</>}
        </span>
      </button>
      <span className="inbox-item-badges">
        {i.stepKind && (
          <span className={`status-badge ${i.stepKind === 'issue' ? 'indeterminate' : 'valid'}`}>
            {t(`inbox.step.${i.stepKind}`)}
          </span>
        )}
        {i.overdue && <span className="status-badge invalid">{t('inbox.overdue')}</span>}
      </span>
    </li>
  );
}
