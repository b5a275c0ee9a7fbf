// The tokens and certificates a screen offers, read (tokens.list) the first time the screen is shown
// and again on "Đọc lại": the batch and inbox screens dispatch them into their own state.
import { useCallback, useEffect, useRef } from 'react';
import type { ContractError, TokenModuleView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';

export type TokenListAction =
  { type: 'tokens'; modules: readonly TokenModuleView[] } | { type: 'tokensFailed'; error: ContractError };

/** Returns the reload. */
export function useTokenList(
  active: boolean,
  dispatch: (action: TokenListAction) => void,
): () => Promise<void> {
  const { client } = useApp();
  const loaded = useRef(false);
  const reload = useCallback(async () => {
    const r = await client.call('tokens.list', {});
    dispatch(r.ok ? { type: 'tokens', modules: r.value.modules } : { type: 'tokensFailed', error: r.error });
  }, [client, dispatch]);
  useEffect(() => {
    if (!active || loaded.current) return;
    loaded.current = true;
    void reload();
  }, [active, reload]);
  return reload;
}
