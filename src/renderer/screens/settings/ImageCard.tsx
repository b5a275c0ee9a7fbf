// One of a certificate's two images (the signature, the seal): what is stored, the engine's
// warnings about it, its drawing as the next signature will show it, and import / remove.
import type {
  AppearanceTemplateName,
  CertificateRef,
  ImageKind,
  StoredImageView,
} from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { PageCanvas } from '../../pdf/PageCanvas.js';
import { useAppearancePreview } from '../sign/use-appearance-preview.js';

const PREVIEW: Record<ImageKind, { template: AppearanceTemplateName; width: number; height: number }> = {
  signature: { template: 'personal', width: 220, height: 110 },
  seal: { template: 'seal', width: 220, height: 110 },
};

export function ImageCard(props: {
  kind: ImageKind;
  image: StoredImageView | null;
  certificate: CertificateRef;
  revision: number;
  busy: boolean;
  onImport: () => void;
  onRemove: () => void;
}) {
  const { t } = useApp();
  const image = props.image;
  return (
    <section className="card" data-testid={`image-card-${props.kind}`}>
      <h2>{t(`settings.image.${props.kind}`)}</h2>
      <p className="hint">{t(`settings.image.${props.kind}.hint`)}</p>
      {image === null ? (
        <p data-testid="image-state">{t('settings.image.none')}</p>
      ) : (
        <p data-testid="image-state">
          {t('settings.image.stored', {
            format: image.format.toUpperCase(),
            width: image.width,
            height: image.height,
            dpi: image.dpi ? `${Math.round(image.dpi.x)} dpi` : t('settings.image.noDpi'),
          })}
        </p>
      )}
      {image?.warnings.map((w) => (
        <p key={w.code} className="warning" data-testid="image-warning" data-code={w.code}>
          ⚠ {w.message}
        </p>
      ))}
      {image !== null && (
        <AppearanceSample kind={props.kind} certificate={props.certificate} revision={props.revision} />
      )}
      <div className="button-row">
        <button type="button" className="button primary" onClick={props.onImport} disabled={props.busy}>
          {t('settings.image.import')}
        </button>
        {image !== null && (
          <button type="button" className="button" onClick={props.onRemove} disabled={props.busy}>
            {t('settings.image.remove')}
          </button>
        )}
      </div>
    </section>
  );
}

/** The signature as the next one will look with the stored image (asked only when there is one). */
function AppearanceSample(props: { kind: ImageKind; certificate: CertificateRef; revision: number }) {
  const { t } = useApp();
  const { template, width, height } = PREVIEW[props.kind];
  const preview = useAppearancePreview({
    template,
    width,
    height,
    certificate: props.certificate,
    docNumber: '',
    agency: '',
    revision: props.revision,
  });
  return (
    <div className="appearance-sample" aria-label={t('settings.image.preview')}>
      {preview.pdf && (
        <PageCanvas pdf={preview.pdf} pageNumber={1} scale={1.5} label={t('settings.image.preview')} />
      )}
      {preview.error && <ErrorMessage error={preview.error} />}
    </div>
  );
}
