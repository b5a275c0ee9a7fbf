// A web page's request to sign (the local bridge, issue 16), on top of any screen: the requesting
// site first and large, what it asks in plain words, the document (name, pages, page 1 drawn by the
// same pdf.js view as the signing screen), number and date, the certificate, where the signed file
// goes; Đồng ý leads to the PIN dialog (the signing screen's own), Từ chối answers no at once. The
// PIN goes straight into bridge.answer and is never kept in React state.
import { useEffect, useMemo, useState } from 'react';
import type {
  BridgePreview,
  BridgeRequestView,
  ContractError,
  OpenedDocument,
} from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { formatDate } from '../../i18n/format.js';
import { PageCanvas } from '../../pdf/PageCanvas.js';
import { useRangeDocument } from '../../pdf/use-range-document.js';
import { PinDialog } from '../sign/PinDialog.js';
import { choicesOf, type CertificateChoice } from '../sign/sign-state.js';
import './bridge.css';

/** The width page 1 is drawn at, in CSS pixels. */
const PREVIEW_WIDTH = 300;

function PagePreview({ requestId }: { requestId: number }) {
  const { client, t } = useApp();
  const [preview, setPreview] = useState<BridgePreview | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    let gone = false;
    void client.call('bridge.preview', { requestId }).then((r) => {
      if (gone) return;
      if (r.ok) setPreview(r.value);
      else setError(r.error);
    });
    return () => {
      gone = true;
    };
  }, [client, requestId]);
  // The viewer's hook needs only the id and the size of an opened document.
  const doc = useMemo<OpenedDocument | null>(
    () =>
      preview && {
        documentId: preview.documentId,
        path: preview.name,
        name: preview.name,
        size: preview.size,
        pageCount: preview.pageCount,
        pages: [],
        signatureCount: 0,
        suggestedOutput: '',
      },
    [preview],
  );
  const { pdf, error: readError } = useRangeDocument(doc);
  const [scale, setScale] = useState<number | null>(null);
  useEffect(() => {
    setScale(null);
    if (!pdf) return;
    void pdf.getPage(1).then((page) => setScale(PREVIEW_WIDTH / page.getViewport({ scale: 1 }).width));
  }, [pdf]);
  const failure = error ?? readError;
  return (
    <figure className="bridge-preview" data-testid="bridge-preview" data-shown={shown || undefined}>
      {failure ? (
        <ErrorMessage error={failure} />
      ) : pdf && scale !== null ? (
        <PageCanvas
          pdf={pdf}
          pageNumber={1}
          scale={scale}
          label={t('bridge.request.preview')}
          onRendered={() => setShown(true)}
        />
      ) : (
        <p role="status">{t('bridge.request.previewLoading')}</p>
      )}
      <figcaption>{t('bridge.request.preview')}</figcaption>
    </figure>
  );
}

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

type Step =
  | { readonly kind: 'ask' }
  | { readonly kind: 'pin'; readonly choice: CertificateChoice }
  | { readonly kind: 'sending' }
  | { readonly kind: 'ended'; readonly outcome: string; readonly message: string | null };

export function BridgeRequestDialog(props: {
  request: BridgeRequestView;
  /** Requests waiting behind this one. */
  more: number;
  /** Set once the bridge says how the request ended. */
  ended: { outcome: string; message: string | null } | null;
  onDone: () => void;
}) {
  const { client, t, language } = useApp();
  const { request } = props;
  const [step, setStep] = useState<Step>({ kind: 'ask' });
  const [error, setError] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);

  const current: Step = props.ended
    ? { kind: 'ended', outcome: props.ended.outcome, message: props.ended.message }
    : step;

  const answer = async (accept: boolean, pin?: string | null, allowFinalTry?: boolean): Promise<void> => {
    setBusy(true);
    if (accept) setStep({ kind: 'sending' });
    const r = await client.call('bridge.answer', {
      requestId: request.requestId,
      accept,
      ...(accept ? { pin: pin ?? null, allowFinalTry: allowFinalTry ?? false } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      setStep({ kind: 'ask' });
    }
  };

  const agree = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await client.call('tokens.list', {});
    setBusy(false);
    if (!r.ok) return setError(r.error);
    const ref = request.certificateRef;
    const choice = choicesOf(r.value.modules).find(
      (c) =>
        c.ref.modulePath === ref.modulePath &&
        c.ref.tokenSerial === ref.tokenSerial &&
        c.ref.slotId === ref.slotId &&
        c.ref.keyId.toLowerCase() === ref.keyId.toLowerCase(),
    );
    if (!choice) {
      setError({ code: 'PKCS11_KEY_NOT_FOUND', message: t('bridge.request.noCertificate') });
      return;
    }
    setStep({ kind: 'pin', choice });
  };

  if (current.kind === 'pin') {
    return (
      <PinDialog
        choice={current.choice}
        pinState={null}
        error={null}
        onSubmit={(pin, allowFinalTry) => void answer(true, pin, allowFinalTry)}
        onCancel={() => setStep({ kind: 'ask' })}
      />
    );
  }

  const kb = Math.max(1, Math.round(request.bytes / 1024));
  return (
    <Dialog
      title={t('bridge.request.title')}
      role="alertdialog"
      testId="bridge-request"
      {...(current.kind === 'ask' && !busy ? { onCancel: () => void answer(false) } : {})}
    >
      <div className="bridge-request" data-request-id={request.requestId}>
        <div className="bridge-site">
          <span className="bridge-site-label">{t('bridge.request.site')}</span>
          <strong className="bridge-site-origin" data-testid="bridge-site">
            {request.site}
          </strong>
          <span className="hint">{t('bridge.request.siteNote')}</span>
        </div>
        <div className="bridge-body">
          <PagePreview requestId={request.requestId} />
          <dl className="bridge-facts">
            <Fact label={t('bridge.request.action')} testId="bridge-endpoint">
              <strong>{t(`bridge.endpoint.${request.endpoint}`)}</strong>
            </Fact>
            <Fact label={t('bridge.request.file')} testId="bridge-file">
              {request.fileName}
              <br />
              <span className="hint">{t('bridge.request.pages', { count: request.pages, size: kb })}</span>
            </Fact>
            {request.docNumber !== null && (
              <Fact label={t('bridge.request.number')}>{request.docNumber}</Fact>
            )}
            {request.issuedDate !== null && (
              <Fact label={t('bridge.request.date')}>{request.issuedDate}</Fact>
            )}
            <Fact label={t('bridge.request.certificate')} testId="bridge-certificate">
              {t('bridge.request.certificateLine', {
                subject: request.certificate.subject,
                date: formatDate(request.certificate.notAfter, language),
              })}
            </Fact>
            <Fact label={t('bridge.request.destination')}>{request.destination}</Fact>
          </dl>
        </div>
        {error && <ErrorMessage error={error} />}
        {props.more > 0 && <p className="hint">{t('bridge.request.more', { count: props.more })}</p>}
        {current.kind === 'sending' && (
          <p role="status" className="notice" data-testid="bridge-sending">
            {t('bridge.request.signing')}
          </p>
        )}
        {current.kind === 'ended' && (
          <div
            role="status"
            className={current.outcome === 'delivered' ? 'notice' : 'error-box'}
            data-testid="bridge-outcome"
            data-outcome={current.outcome}
          >
            <div>{t(`bridge.outcome.${current.outcome as 'delivered'}`)}</div>
            {current.message && <div>{current.message}</div>}
          </div>
        )}
      </div>
      <div className="dialog-actions">
        {current.kind === 'ended' ? (
          <button type="button" className="button primary" data-autofocus onClick={props.onDone}>
            {t('bridge.close')}
          </button>
        ) : (
          <>
            <button
              type="button"
              className="button danger"
              disabled={busy || current.kind !== 'ask'}
              onClick={() => void answer(false)}
            >
              {t('bridge.request.refuse')}
            </button>
            <button
              type="button"
              className="button primary"
              disabled={busy || current.kind !== 'ask'}
              onClick={() => void agree()}
            >
              {t('bridge.request.accept')}
            </button>
          </>
        )}
      </div>
    </Dialog>
  );
}
