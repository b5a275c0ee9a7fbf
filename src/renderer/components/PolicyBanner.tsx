// A broken machine policy is said on every screen: the app runs with the safest settings until IT
// staff fix the file (POLICY_INVALID).
import { useApp } from '../app-context.js';
import { usePolicy } from '../policy/use-policy.js';

export function PolicyBanner() {
  const { t } = useApp();
  const { view } = usePolicy();
  if (view?.status !== 'invalid') return null;
  return (
    <div className="banner" role="alert" data-testid="policy-invalid" data-code="POLICY_INVALID">
      <span>{t('policy.invalid.banner', { file: view.file })}</span>
    </div>
  );
}
