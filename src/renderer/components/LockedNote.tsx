// Beside a control the machine policy locks: why it cannot be changed, in IT staff's words.
import type { SettingLockView } from '../../shared/contract/index.js';
import { useApp } from '../app-context.js';
import { Icon } from './Icon.js';

export function LockedNote({ settingKey, lock }: { settingKey: string; lock: SettingLockView | null }) {
  const { t } = useApp();
  if (lock === null) return null;
  const text =
    lock.by === 'policy'
      ? lock.reason !== null
        ? t('policy.locked.policy', { reason: lock.reason })
        : t('policy.locked.policyNoReason')
      : lock.by === 'invalid-policy'
        ? t('policy.locked.invalid')
        : t('policy.locked.settings');
  return (
    <span
      className="hint locked-note"
      data-testid="locked-note"
      data-key={settingKey}
      style={{ display: 'flex', gap: '6px', alignItems: 'center' }}
    >
      <Icon name="lock" size={14} />
      {text}
    </span>
  );
}
