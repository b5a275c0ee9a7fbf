// After signing: where the file is, the verifier's reading of it, and the next steps ("Ký tiếp" for
// the clerk's seal on this very file).
import type { SignRunResult } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatDateTime } from '../../i18n/format.js';

export function SignResult(props: {
  result: SignRunResult;
  onOpenFolder: () => void;
  onSignNext: () => void;
  onNewDocument: () => void;
}) {
  const { t, language } = useApp();
  const { result } = props;
  return (
    <section className="panel-section" aria-labelledby="result-title" data-testid="sign-result">
      <h2 id="result-title" style={{ fontSize: '18px', color: 'var(--valid)' }}>
        ✔ {t('result.title')}
      </h2>
      <p style={{ margin: '0 0 4px' }}>{t('result.saved')}</p>
      <div className="path" data-testid="output-path">
        {result.output}
      </div>
      <p>
        <button type="button" className="button" onClick={props.onOpenFolder}>
          {t('result.openFolder')}
        </button>
      </p>
      <h2>{t('result.verification')}</h2>
      <ul className="signature-list">
        {result.verification.signatures.map((s, i) => (
          <li key={i} className="signature-item" style={{ cursor: 'default' }}>
            <span className="signer">{s.signer ?? t('verify.signatureN', { n: i + 1 })}</span>
            <StatusBadge status={s.status} />
            {s.signingTime && <span className="hint">{formatDateTime(s.signingTime, language)}</span>}
          </li>
        ))}
      </ul>
      <div style={{ display: 'flex', flexDirection: 'column', gap: '8px', marginTop: '16px' }}>
        <button type="button" className="button primary large" onClick={props.onSignNext}>
          {t('result.signNext')}
        </button>
        <p className="hint" style={{ marginTop: 0 }}>
          {t('result.signNextHint')}
        </p>
        <button type="button" className="button" onClick={props.onNewDocument}>
          {t('result.newDocument')}
        </button>
      </div>
    </section>
  );
}
