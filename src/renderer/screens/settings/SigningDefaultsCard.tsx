// "Mặc định khi ký": the template, the text the box goes under, the folder and the name of signed
// copies that the signing and batch screens open with; saved in settings.json through
// settings.signing.set. Keys the machine policy locks are shown locked.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ContractError, SignTemplateName, SigningDefaults } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { LockedNote } from '../../components/LockedNote.js';
import { TextSetting } from '../../components/TextSetting.js';
import { usePolicy } from '../../policy/use-policy.js';
import { signingDefaultsOf } from '../../policy/use-signing-defaults.js';

const TEMPLATES: readonly SignTemplateName[] = ['personal', 'seal', 'text', 'certified-copy', 'invisible'];

export function SigningDefaultsCard() {
  const { client, t } = useApp();
  const policy = usePolicy();
  const [form, setForm] = useState<SigningDefaults | null>(null);
  const [saved, setSaved] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<ContractError | null>(null);
  const templateId = useId();

  useEffect(() => {
    if (form === null) setForm(signingDefaultsOf(policy.view));
  }, [form, policy.view]);

  if (form === null) return null;
  const set = (patch: Partial<SigningDefaults>): void => {
    setForm({ ...form, ...patch });
    setSaved('idle');
  };
  const lock = policy.lockOf;

  const chooseFolder = async (): Promise<void> => {
    const r = await client.call('dialog.openFolder', {});
    if (!r.ok) return setError(r.error);
    if (r.value.path !== null) set({ outputFolder: r.value.path });
  };

  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setSaved('saving');
    const r = await client.call('settings.signing.set', { ...form, anchorText: form.anchorText.trim() });
    setError(r.ok ? null : r.error);
    setSaved(r.ok ? 'saved' : 'idle');
    await policy.reload();
  };

  const example = `${form.outputFolder === null ? '' : `${form.outputFolder}/`}quyet-dinh-12${form.outputSuffix}.pdf`;
  return (
    <section className="card" data-testid="signing-defaults">
      <h2>{t('defaults.title')}</h2>
      <p className="hint">{t('defaults.intro')}</p>
      <form onSubmit={(e) => void save(e)}>
        <div className="field">
          <label htmlFor={templateId} style={{ fontWeight: 600 }}>
            {t('defaults.template')}
          </label>
          <select
            id={templateId}
            className="text-input"
            value={form.template}
            disabled={lock('signing.template') !== null}
            onChange={(e) => set({ template: TEMPLATES.find((n) => n === e.target.value) ?? 'personal' })}
          >
            {TEMPLATES.map((name) => (
              <option key={name} value={name}>
                {t(`batch.template.${name}`)}
              </option>
            ))}
          </select>
          <LockedNote settingKey="signing.template" lock={lock('signing.template')} />
        </div>
        <TextSetting
          settingKey="signing.anchorText"
          label={t('defaults.anchor')}
          value={form.anchorText}
          placeholder="TM. ỦY BAN NHÂN DÂN"
          lock={lock('signing.anchorText')}
          onChange={(anchorText) => set({ anchorText })}
        >
          <span className="hint">{t('defaults.anchorHint')}</span>
        </TextSetting>
        <div className="field">
          <span style={{ fontWeight: 600 }}>{t('defaults.outputFolder')}</span>
          <span className="path" data-testid="defaults-output-folder">
            {form.outputFolder ?? t('defaults.outputBeside')}
          </span>
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={lock('signing.outputFolder') !== null}
              onClick={() => void chooseFolder()}
            >
              {t('defaults.chooseFolder')}
            </button>
            {form.outputFolder !== null && (
              <button
                type="button"
                className="button"
                disabled={lock('signing.outputFolder') !== null}
                onClick={() => set({ outputFolder: null })}
              >
                {t('defaults.besideButton')}
              </button>
            )}
          </div>
          <LockedNote settingKey="signing.outputFolder" lock={lock('signing.outputFolder')} />
        </div>
        <TextSetting
          settingKey="signing.outputSuffix"
          label={t('defaults.suffix')}
          value={form.outputSuffix}
          placeholder="-da-ky"
          lock={lock('signing.outputSuffix')}
          onChange={(outputSuffix) => set({ outputSuffix })}
        >
          <span className="hint">{t('defaults.example', { name: example })}</span>
        </TextSetting>
        {error && <ErrorMessage error={error} />}
        <div className="button-row">
          <button type="submit" className="button primary" disabled={saved === 'saving'}>
            {t('defaults.save')}
          </button>
          {saved === 'saved' && (
            <span role="status" className="hint" data-testid="defaults-saved">
              {t('defaults.saved')}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
