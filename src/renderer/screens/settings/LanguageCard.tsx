// "Ngôn ngữ giao diện": Vietnamese first, English for those who need it (also in the sidebar).
import type { Language } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';

const LANGUAGES: readonly Language[] = ['vi', 'en'];

export function LanguageCard() {
  const { t, language, setLanguage } = useApp();
  return (
    <section className="card" data-testid="language-card">
      <h2>{t('language.title')}</h2>
      <fieldset className="choice-list">
        <legend className="visually-hidden">{t('language.title')}</legend>
        {LANGUAGES.map((l) => (
          <label key={l} className="choice">
            <input
              type="radio"
              name="app-language"
              checked={language === l}
              onChange={() => setLanguage(l)}
            />
            <span className="choice-title">{t(`lang.${l}`)}</span>
          </label>
        ))}
      </fieldset>
    </section>
  );
}
