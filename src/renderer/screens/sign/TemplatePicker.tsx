// Step 1: which appearance the engine will draw.
import type { AppearanceTemplateName } from '../../../shared/contract/index.js';

/** In the order a clerk meets them (the contract's schema module is not loaded for this list). */
const TEMPLATES = [
  'personal',
  'seal',
  'text',
  'certified-copy',
] as const satisfies readonly AppearanceTemplateName[];
import { useApp } from '../../app-context.js';

export function TemplatePicker(props: {
  template: AppearanceTemplateName;
  docNumber: string;
  agency: string;
  onTemplate: (t: AppearanceTemplateName) => void;
  onText: (field: 'docNumber' | 'agency', value: string) => void;
}) {
  const { t } = useApp();
  return (
    <section className="panel-section">
      <fieldset className="choice-list">
        <legend>
          <h2>{t('sign.step.template')}</h2>
        </legend>
        {TEMPLATES.map((name) => (
          <label key={name} className="choice">
            <input
              type="radio"
              name="template"
              value={name}
              checked={props.template === name}
              onChange={() => props.onTemplate(name)}
            />
            <span>
              <span className="choice-title">{t(`template.${name}`)}</span>
              <span className="choice-hint">{t(`template.${name}.hint`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {(props.template === 'text' || props.template === 'certified-copy') && (
        <>
          <label className="field">
            {t('template.agency')}
            <input
              value={props.agency}
              maxLength={500}
              onChange={(e) => props.onText('agency', e.target.value)}
            />
          </label>
          <label className="field">
            {t('template.docNumber')}
            <input
              value={props.docNumber}
              maxLength={500}
              onChange={(e) => props.onText('docNumber', e.target.value)}
            />
          </label>
        </>
      )}
    </section>
  );
}
