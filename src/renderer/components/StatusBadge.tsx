// A verdict in words and colour (never colour alone).
import { useApp } from '../app-context.js';

export type Verdict = 'valid' | 'invalid' | 'indeterminate';

const MARK: Record<Verdict, string> = { valid: '✔', invalid: '✖', indeterminate: '?' };

export function StatusBadge({ status }: { status: Verdict }) {
  const { t } = useApp();
  return (
    <span className={`status-badge ${status}`}>
      <span aria-hidden="true">{MARK[status]}</span>
      {t(`status.${status}`)}
    </span>
  );
}
