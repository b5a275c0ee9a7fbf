// One token: its identity, PIN state ("Đổi mã PIN" beside it) and certificates.
import { useState } from 'react';
import type { ContractError, TokenView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { commonName, formatDate } from '../../i18n/format.js';
import { ChangePinDialog, type PinChange } from './ChangePinDialog.js';

type ChangePinState =
  | { readonly kind: 'closed'; readonly done: boolean }
  | { readonly kind: 'open'; readonly busy: boolean; readonly error: ContractError | null };

const PIN_CLASS: Record<TokenView['pinState'], string> = {
  ok: 'valid',
  'count-low': 'indeterminate',
  'final-try': 'invalid',
  locked: 'invalid',
  'not-initialized': 'indeterminate',
  'to-be-changed': 'indeterminate',
};

export function TokenSection(props: {
  token: TokenView;
  modulePath: string;
  slotId: number;
  /** The token list is read again (the PIN state changed). */
  onChanged: () => void;
}) {
  const { token } = props;
  const { t, language, client } = useApp();
  const [pinChange, setPinChange] = useState<ChangePinState>({ kind: 'closed', done: false });

  const change = async (request: PinChange): Promise<void> => {
    setPinChange({ kind: 'open', busy: true, error: null });
    const r = await client.call('tokens.changePin', {
      modulePath: props.modulePath,
      tokenSerial: token.serial,
      slotId: props.slotId,
      ...request,
    });
    if (r.ok) {
      setPinChange({ kind: 'closed', done: true });
      props.onChanged();
      return;
    }
    setPinChange({ kind: 'open', busy: false, error: r.error });
    // A wrong PIN changed the tries left: show the token's new state.
    props.onChanged();
  };

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
          </span>{' '}
          {!token.flags.protectedAuthenticationPath && token.pinState !== 'locked' && (
            <button
              type="button"
              className="button"
              data-testid="change-pin"
              onClick={() => setPinChange({ kind: 'open', busy: false, error: null })}
            >
              {t('changePin.open')}
            </button>
          )}
          {pinChange.kind === 'closed' && pinChange.done && (
            <div className="notice" role="status" data-testid="change-pin-done">
              {t('changePin.done', { token: token.label })}
            </div>
          )}
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
      {pinChange.kind === 'open' && (
        <ChangePinDialog
          token={token}
          busy={pinChange.busy}
          error={pinChange.error}
          onSubmit={(request) => void change(request)}
          onCancel={() => setPinChange({ kind: 'closed', done: false })}
        />
      )}
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
