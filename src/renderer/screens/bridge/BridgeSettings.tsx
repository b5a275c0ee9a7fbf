// The local bridge's settings (issue 16), on the devices screen: whether it starts with the app, its
// port, the sites allowed to ask for signatures, the certificate it signs with; and how it runs now.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { BridgeStatusView, ContractError } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { LockedNote } from '../../components/LockedNote.js';
import { usePolicy } from '../../policy/use-policy.js';
import { choicesOf, usable, type CertificateChoice } from '../sign/sign-state.js';
import './bridge.css';

const refKey = (r: CertificateChoice['ref']): string =>
  `${r.modulePath}|${r.tokenSerial}|${r.slotId}|${r.keyId.toLowerCase()}`;

export function BridgeSettings({ active }: { active: boolean }) {
  const { client, t } = useApp();
  const [status, setStatus] = useState<BridgeStatusView | null>(null);
  const [choices, setChoices] = useState<readonly CertificateChoice[]>([]);
  const [error, setError] = useState<ContractError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  // What the machine policy locks shows disabled, with IT staff's reason (the service refuses it too).
  const policy = usePolicy();
  const portLock = policy.lockOf('bridge.port');
  const originsLock = policy.lockOf('bridge.allowedOrigins');

  const load = useCallback(async () => {
    const [s, tokens] = await Promise.all([client.call('bridge.status', {}), client.call('tokens.list', {})]);
    if (s.ok) setStatus(s.value);
    else setError(s.error);
    if (tokens.ok) setChoices(choicesOf(tokens.value.modules).filter(usable));
  }, [client]);

  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const chosen = choices.find((c) => c.key === data.get('certificate'));
    setBusy(true);
    setSaved(false);
    setError(null);
    // A disabled (locked) field is not in the form's data: the value in force is sent back.
    const r = await client.call('bridge.settings.set', {
      enabled: data.get('enabled') === 'on',
      port: portLock !== null ? status!.port : Number(data.get('port')),
      allowedOrigins: String(data.get('origins') ?? '')
        .split(/\s+/)
        .filter((o) => o !== ''),
      certificate: chosen ? chosen.ref : null,
    });
    setBusy(false);
    if (!r.ok) {
      if (r.error.code === 'SETTING_LOCKED') void policy.reload();
      return setError(r.error);
    }
    setStatus(r.value);
    setSaved(true);
  };

  if (!status) return null;
  const selected = status.certificateRef
    ? (choices.find((c) => refKey(c.ref) === refKey(status.certificateRef!))?.key ?? '')
    : '';
  return (
    <section
      className="card bridge-settings"
      data-testid="bridge-settings"
      aria-labelledby="bridge-settings-title"
    >
      <h2 id="bridge-settings-title">{t('bridge.settings.title')}</h2>
      <p className="hint">{t('bridge.settings.intro')}</p>
      <p role="status" data-testid="bridge-status" data-running={status.running || undefined}>
        {status.running && status.url
          ? t('bridge.status.running', { url: status.url })
          : t('bridge.status.off')}
        {status.running && <> · {t('bridge.status.queue', { count: status.queueLength })}</>}
      </p>
      {status.error && (
        <ErrorMessage error={{ code: status.error.code as 'INTERNAL', message: status.error.message }} />
      )}
      {status.tlsFingerprint && (
        <p className="hint path">{t('bridge.status.fingerprint', { fingerprint: status.tlsFingerprint })}</p>
      )}
      <form ref={form} onSubmit={(e) => void save(e)} key={JSON.stringify(status)}>
        <label className="choice">
          <input type="checkbox" name="enabled" defaultChecked={status.enabled} />
          <span>{t('bridge.settings.enabled')}</span>
        </label>
        <div className="field">
          <label htmlFor="bridge-port">{t('bridge.settings.port')}</label>
          <input
            id="bridge-port"
            name="port"
            type="number"
            min={1}
            max={65535}
            defaultValue={status.port}
            disabled={portLock !== null}
          />
          <LockedNote settingKey="bridge.port" lock={portLock} />
        </div>
        <div className="field">
          <label htmlFor="bridge-origins">{t('bridge.settings.origins')}</label>
          <textarea
            id="bridge-origins"
            name="origins"
            rows={3}
            spellCheck={false}
            defaultValue={status.allowedOrigins.join('\n')}
            disabled={originsLock !== null}
          />
          <LockedNote settingKey="bridge.allowedOrigins" lock={originsLock} />
          {status.presetOrigins.length > 0 && (
            <span className="hint">
              {t('bridge.settings.preset', { origins: status.presetOrigins.join(', ') })}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="bridge-certificate">{t('bridge.settings.certificate')}</label>
          <select id="bridge-certificate" name="certificate" defaultValue={selected}>
            <option value="">{t('bridge.settings.certificateAuto')}</option>
            {choices.map((c) => (
              <option key={c.key} value={c.key}>
                {`${c.certificate.subjectCN ?? c.certificate.subjectDN} — ${c.token.label}`}
              </option>
            ))}
          </select>
        </div>
        {error && <ErrorMessage error={error} />}
        <div className="dialog-actions" style={{ justifyContent: 'flex-start', marginTop: 12 }}>
          <button type="submit" className="button primary" disabled={busy}>
            {t('bridge.settings.save')}
          </button>
          {saved && <span role="status">{t('bridge.settings.saved')}</span>}
        </div>
      </form>
    </section>
  );
}
