// One token: its identity, PIN state and certificates.
import type { TokenView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { commonName, formatDate } from '../../i18n/format.js';

const PIN_CLASS: Record<TokenView['pinState'], string> = {
  ok: 'valid',
  'count-low': 'indeterminate',
  'final-try': 'invalid',
  locked: 'invalid',
  'not-initialized': 'indeterminate',
  'to-be-changed': 'indeterminate',
};

export function TokenSection({ token }: { token: TokenView }) {
  const { t, language } = useApp();
  return (
    <div className="token" data-testid="token" data-label={token.label}>
      <h3>{t('devices.token', { label: token.label })}</h3>
      <dl className="details">
        <dt>{t('devices.manufacturer')}</dt>
        <dd>{token.manufacturer}</dd>
        <dt>{t('devices.model')}</dt>
        <dd>{token.model}</dd>
        <dt>{t('devices.serial')}</dt>
        <dd>{token.serial}</dd>
        <dt>{t('devices.pinState')}</dt>
        <dd>
          <span className={`status-badge ${PIN_CLASS[token.pinState]}`} data-testid="token-pin-state">
            {t(`pinState.${token.pinState}`)}
          </span>
        </dd>
        <dt>{t('devices.pinLength')}</dt>
        <dd>
          {token.minPinLength}–{token.maxPinLength}
        </dd>
        {token.flags.protectedAuthenticationPath && (
          <>
            <dt>{t('devices.pinPad')}</dt>
            <dd>{t('common.yes')}</dd>
          </>
        )}
      </dl>
      {token.error && <p className="warning bad">{token.error.message}</p>}
      <h3 style={{ fontSize: 15 }}>{t('devices.certificates', { count: token.certificates.length })}</h3>
      {token.certificates.length === 0 ? (
        <p className="hint">{t('devices.noCertificates')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('cert.holder')}</th>
              <th scope="col">{t('cert.issuer')}</th>
              <th scope="col">{t('cert.validity')}</th>
              <th scope="col">{t('devices.key')}</th>
            </tr>
          </thead>
          <tbody>
            {token.certificates.map((c) => (
              <tr key={`${c.id}-${c.sha256}`} data-testid="certificate-row">
                <td>
                  <strong>{c.subjectCN ?? commonName(c.subjectDN)}</strong>
                  {c.warnings.map((w) => (
                    <div key={w} className={w === 'expiring-soon' ? 'warning' : 'warning bad'}>
                      ⚠ {t(`cert.warning.${w}`)}
                    </div>
                  ))}
                </td>
                <td>{commonName(c.issuerDN)}</td>
                <td>
                  {formatDate(c.notBefore, language)} – {formatDate(c.notAfter, language)}
                </td>
                <td>
                  {c.hasPrivateKey === null
                    ? t('devices.key.unknown')
                    : c.hasPrivateKey
                      ? t('devices.key.yes')
                      : t('devices.key.no')}
                  <div className="hint">
                    {c.keyType.toUpperCase()} {c.curve ?? c.keySize}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
