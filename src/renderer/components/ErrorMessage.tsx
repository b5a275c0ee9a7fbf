// An error as the user sees it: the service's translated message and its stable code, never a stack.
import type { ContractError } from '../../shared/contract/index.js';
import { useApp } from '../app-context.js';

export function ErrorMessage({ error, children }: { error: ContractError; children?: React.ReactNode }) {
  const { t } = useApp();
  return (
    <div className="error-box" role="alert">
      <div className="error-message">{error.message}</div>
      <div className="error-code">{t('error.code', { code: error.code })}</div>
      {children}
    </div>
  );
}
