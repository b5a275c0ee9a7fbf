// Before a certificate enters the trust store: what the file holds (subject, validity, root or
// intermediate, the whole SHA-256 to compare with ca.gov.vn / rootca.gov.vn), and a confirmation.
import type { TrustCertificateView } from '../../../../shared/contract/index.js';
import { useApp } from '../../../app-context.js';
import { Dialog } from '../../../components/Dialog.js';
import { formatDate } from '../../../i18n/format.js';

export function TrustAddDialog(props: {
  certificates: readonly TrustCertificateView[];
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t, language } = useApp();
  return (
    <Dialog title={t('trust.previewTitle')} onCancel={props.onCancel} testId="trust-add-dialog">
      <p className="hint">{t('trust.previewCheck')}</p>
      {props.certificates.map((c) => (
        <dl className="details" key={c.fingerprint}>
          <dt>{t('trust.subject')}</dt>
          <dd>{c.subject}</dd>
          <dt>{t('trust.fingerprint')}</dt>
          <dd className="fingerprint" data-testid="trust-preview-fingerprint">
            {c.fingerprint}
          </dd>
          <dt>{c.anchor ? t('trust.root') : t('trust.intermediate')}</dt>
          <dd>
            {t('trust.validity', {
              from: formatDate(c.notBefore, language),
              to: formatDate(c.notAfter, language),
            })}
          </dd>
        </dl>
      ))}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={props.onCancel}>
          {t('trust.cancel')}
        </button>
        <button
          type="button"
          className="button primary"
          disabled={props.busy}
          onClick={props.onConfirm}
          data-autofocus
        >
          {t('trust.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
