// The machine policy as the settings forms need it: which keys are locked and why (policy.get). Read
// when the form shows and again after a save, so a policy changed by IT staff shows without restart.
import { useCallback, useEffect, useState } from 'react';
import type { PolicyView, SettingLockView } from '../../shared/contract/index.js';
import { useApp } from '../app-context.js';

export interface PolicyLocks {
  readonly view: PolicyView | null;
  /** The lock on a settings key ("upload.server"), or null when the user may change it. */
  readonly lockOf: (key: string) => SettingLockView | null;
  readonly reload: () => Promise<void>;
}

export function usePolicy(): PolicyLocks {
  const { client } = useApp();
  const [view, setView] = useState<PolicyView | null>(null);
  const reload = useCallback(async () => {
    const r = await client.call('policy.get', {});
    // Without an answer nothing shows as locked; the services still refuse a locked change.
    if (r.ok) setView(r.value);
  }, [client]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const lockOf = useCallback(
    (key: string) => view?.settings.find((s) => s.key === key)?.locked ?? null,
    [view],
  );
  return { view, lockOf, reload };
}
