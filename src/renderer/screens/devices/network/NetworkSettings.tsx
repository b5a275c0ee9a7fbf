// "Mạng và dấu thời gian" on Thiết bị ký, for IT staff: the TSA that makes signatures B-T, the HTTP
// proxy of the office (with the hosts reached directly), whether revocation is checked online, and
// "Kiểm tra kết nối" — one real timestamp request, so a wrong URL, proxy or firewall shows here and
// not in the middle of a chairman's signature. Keys the machine policy locks are shown locked.
import { useEffect, useState, type FormEvent } from 'react';
import type { ContractError, TsaCheckView } from '../../../../shared/contract/index.js';
import { useApp } from '../../../app-context.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { LockedNote } from '../../../components/LockedNote.js';
import { TextSetting } from '../../../components/TextSetting.js';
import { usePolicy } from '../../../policy/use-policy.js';
import { formatDateTime } from '../../../i18n/format.js';

interface Form {
  readonly tsaUrl: string;
  readonly proxy: string;
  readonly noProxy: string;
  readonly revocationMode: 'online' | 'offline';
}

type Check =
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking' }
  | { readonly kind: 'ok'; readonly result: TsaCheckView }
  | { readonly kind: 'failed'; readonly error: ContractError };

export function NetworkSettings() {
  const { client, t, language } = useApp();
  const policy = usePolicy();
  const [form, setForm] = useState<Form | null>(null);
  const [saved, setSaved] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<ContractError | null>(null);
  const [check, setCheck] = useState<Check>({ kind: 'idle' });

  // The form starts from the settings in force (policy.get lists every key with its value).
  useEffect(() => {
    if (form !== null || policy.view === null) return;
    const value = (key: string): unknown => policy.view?.settings.find((s) => s.key === key)?.value ?? null;
    const noProxy = value('network.noProxy');
    setForm({
      tsaUrl: typeof value('tsa.url') === 'string' ? (value('tsa.url') as string) : '',
      proxy: typeof value('network.proxy') === 'string' ? (value('network.proxy') as string) : '',
      noProxy: Array.isArray(noProxy) ? noProxy.join(', ') : '',
      revocationMode: value('revocation.mode') === 'offline' ? 'offline' : 'online',
    });
  }, [form, policy.view]);

  if (form === null) return null;
  const set = (patch: Partial<Form>): void => {
    setForm({ ...form, ...patch });
    setSaved('idle');
  };

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setSaved('saving');
    const r = await client.call('network.settings.set', {
      tsaUrl: form.tsaUrl.trim() === '' ? null : form.tsaUrl.trim(),
      proxy: form.proxy.trim() === '' ? null : form.proxy.trim(),
      noProxy: form.noProxy
        .split(/[,\s]+/)
        .map((h) => h.trim())
        .filter((h) => h !== ''),
      revocationMode: form.revocationMode,
    });
    setError(r.ok ? null : r.error);
    setSaved(r.ok ? 'saved' : 'idle');
    await policy.reload();
  };

  const checkTsa = async (): Promise<void> => {
    setCheck({ kind: 'checking' });
    const r = await client.call('network.checkTsa', { url: form.tsaUrl.trim() });
    setCheck(r.ok ? { kind: 'ok', result: r.value } : { kind: 'failed', error: r.error });
  };

  const lock = policy.lockOf;
  return (
    <section className="card" data-testid="network-settings">
      <h2>{t('network.title')}</h2>
      <p className="hint">{t('network.intro')}</p>
      <form onSubmit={(e) => void save(e)}>
        <TextSetting
          settingKey="tsa.url"
          label={t('network.tsaUrl')}
          value={form.tsaUrl}
          placeholder="http://tsa.example.gov.vn"
          lock={lock('tsa.url')}
          onChange={(tsaUrl) => set({ tsaUrl })}
        >
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={form.tsaUrl.trim() === '' || check.kind === 'checking'}
              onClick={() => void checkTsa()}
            >
              {check.kind === 'checking' ? t('network.checking') : t('network.check')}
            </button>
          </div>
          {check.kind === 'ok' && (
            <p className="notice" role="status" data-testid="tsa-check-ok">
              {t('network.checkOk', {
                name: check.result.tsaName ?? check.result.url,
                time: formatDateTime(check.result.genTime, language),
                ms: check.result.elapsedMs,
              })}
            </p>
          )}
          {check.kind === 'failed' && <ErrorMessage error={check.error} />}
        </TextSetting>
        <TextSetting
          settingKey="network.proxy"
          label={t('network.proxy')}
          value={form.proxy}
          placeholder="http://proxy.so-tttt.gov.vn:8080"
          lock={lock('network.proxy')}
          onChange={(proxy) => set({ proxy })}
        />
        <TextSetting
          settingKey="network.noProxy"
          label={t('network.noProxy')}
          value={form.noProxy}
          placeholder=".gov.vn, 10.0.0.5"
          lock={lock('network.noProxy')}
          onChange={(noProxy) => set({ noProxy })}
        />
        <fieldset className="choice-list" disabled={lock('revocation.mode') !== null}>
          <legend style={{ fontWeight: 600 }}>{t('network.revocation')}</legend>
          {(['online', 'offline'] as const).map((mode) => (
            <label key={mode} className="choice">
              <input
                type="radio"
                name="revocation-mode"
                checked={form.revocationMode === mode}
                onChange={() => set({ revocationMode: mode })}
              />
              <span className="choice-title">{t(`network.revocation.${mode}`)}</span>
            </label>
          ))}
          <LockedNote settingKey="revocation.mode" lock={lock('revocation.mode')} />
        </fieldset>
        {error && <ErrorMessage error={error} />}
        <div className="button-row">
          <button type="submit" className="button primary" disabled={saved === 'saving'}>
            {t('network.save')}
          </button>
          {saved === 'saved' && (
            <span role="status" className="hint" data-testid="network-saved">
              {t('network.saved')}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
