// Step 3: the signing certificate, with what a chairman must know before signing: who holds it, who
// issued it, until when, and whether something is wrong with it.
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { commonName, formatDate } from '../../i18n/format.js';
import type { ContractError } from '../../../shared/contract/index.js';
import { usable, type CertificateChoice } from './sign-state.js';

export function CertificatePicker(props: {
  choices: readonly CertificateChoice[] | null;
  error: ContractError | null;
  selected: string | null;
  onSelect: (key: string) => void;
  onReload: () => void;
}) {
  const { t, language } = useApp();
  const usableChoices = props.choices?.filter(usable) ?? [];
  const otherChoices = props.choices?.filter((c) => !usable(c)) ?? [];
  const choiceItem = (c: CertificateChoice) => {
    const cert = c.certificate;
    return (
      <label key={c.key} className="choice" data-testid="certificate-choice">
        <input
          type="radio"
          name="certificate"
          value={c.key}
          checked={props.selected === c.key}
          onChange={() => props.onSelect(c.key)}
        />
        <span>
          <span className="choice-title">{cert.subjectCN ?? commonName(cert.subjectDN)}</span>
          <span className="choice-hint">
            {t('cert.issuer')}: {commonName(cert.issuerDN)}
          </span>
          <span className="choice-hint">
            {t('cert.validity')}:{' '}
            {t('cert.validRange', {
              from: formatDate(cert.notBefore, language),
              to: formatDate(cert.notAfter, language),
            })}
          </span>
          <span className="choice-hint">
            {t('cert.token')}: {c.token.label}
          </span>
          {cert.warnings.length > 0 && (
            <ul className="warning-list">
              {cert.warnings.map((w) => (
                <li key={w} className={w === 'expiring-soon' ? 'warning' : 'warning bad'}>
                  ⚠ {t(`cert.warning.${w}`)}
                </li>
              ))}
            </ul>
          )}
        </span>
      </label>
    );
  };
  return (
    <section className="panel-section">
      <fieldset className="choice-list" aria-describedby="cert-hint">
        <legend>
          <h2>{t('sign.step.certificate')}</h2>
        </legend>
        {props.choices === null && <p className="hint">{t('cert.loading')}</p>}
        {props.error && <ErrorMessage error={props.error} />}
        {props.choices?.length === 0 && !props.error && <p className="hint">{t('cert.none')}</p>}
        {usableChoices.map(choiceItem)}
        {otherChoices.length > 0 && (
          <details className="other-certificates">
            <summary>{t('cert.others', { count: otherChoices.length })}</summary>
            {otherChoices.map(choiceItem)}
          </details>
        )}
      </fieldset>
      <p id="cert-hint" className="hint">
        <button type="button" className="button small" onClick={props.onReload}>
          {t('cert.reload')}
        </button>
      </p>
    </section>
  );
}
