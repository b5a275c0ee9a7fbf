// An outbox state in words, colour and a mark (never colour alone).
import type { OutboxStateName } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';

const LOOK: Record<OutboxStateName, { mark: string; color: string; background: string }> = {
  queued: { mark: '◷', color: 'var(--unknown)', background: 'var(--unknown-bg)' },
  sending: { mark: '↑', color: 'var(--primary)', background: 'var(--primary-soft)' },
  delivered: { mark: '✔', color: 'var(--valid)', background: 'var(--valid-bg)' },
  failed: { mark: '✖', color: 'var(--invalid)', background: 'var(--invalid-bg)' },
  cancelled: { mark: '–', color: 'var(--ink-soft)', background: '#eceff3' },
};

export function OutboxStateBadge({ state }: { state: OutboxStateName }) {
  const { t } = useApp();
  const look = LOOK[state];
  return (
    <span
      className="status-badge"
      data-state={state}
      style={{ color: look.color, background: look.background }}
    >
      <span aria-hidden="true">{look.mark}</span>
      {t(`outboxState.${state}`)}
    </span>
  );
}
