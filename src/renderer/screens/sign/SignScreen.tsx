// "Ký văn bản": open the decision, see it, put the signature where it belongs, choose the
// certificate, type the PIN, done; then "Ký tiếp" for the clerk's seal on the signed file.
import { useSigningDefaults } from '../../policy/use-signing-defaults.js';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type {
  AppearanceTemplateName,
  ContractError,
  OpenedDocument,
} from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { DropZone } from '../../components/DropZone.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { OpenPdfButton } from '../../components/OpenPdfButton.js';
import { usePdfDrop } from '../../components/use-pdf-drop.js';
import { DocumentViewer } from '../../pdf/DocumentViewer.js';
import { useRangeDocument } from '../../pdf/use-range-document.js';
import { CertificatePicker } from './CertificatePicker.js';
import { ConfirmOverwrite } from './ConfirmOverwrite.js';
import { defaultPlacement } from './default-placement.js';
import { PinDialog } from './PinDialog.js';
import { PlacementSection } from './PlacementSection.js';
import { SignatureBox } from './SignatureBox.js';
import { SignProgress } from './SignProgress.js';
import { SignResult } from './SignResult.js';
import { SendToDossier } from '../outbox/SendToDossier.js';
import { initialSignState, selectedChoice, signReducer } from './sign-state.js';
import { TemplatePicker } from './TemplatePicker.js';
import { useAppearancePreview } from './use-appearance-preview.js';

export function SignScreen({
  active,
  openRequest,
}: {
  active: boolean;
  openRequest: { path: string; serial: number } | null;
}) {
  const { client, t } = useApp();
  const [state, dispatch] = useReducer(signReducer, initialSignState);
  const { pdf, error: viewError } = useRangeDocument(state.doc);
  const abort = useRef<AbortController | null>(null);
  const docRef = useRef<OpenedDocument | null>(null);
  docRef.current = state.doc;
  const choice = selectedChoice(state);
  // A document opens with the template of "Mặc định khi ký" (a visible one: Decree 30 wants the
  // signature seen on the page; the batch may sign without one).
  const defaults = useSigningDefaults(active);
  const defaultTemplate =
    defaults === null || defaults.template === 'invisible' ? undefined : defaults.template;

  const loadCertificates = useCallback(async () => {
    const r = await client.call('tokens.list', {});
    dispatch(
      r.ok
        ? { type: 'certificates', modules: r.value.modules }
        : { type: 'certificates-failed', error: r.error },
    );
  }, [client]);

  const loaded = useRef(false);
  useEffect(() => {
    if (!active || loaded.current) return;
    loaded.current = true;
    void loadCertificates();
  }, [active, loadCertificates]);

  const place = useCallback(
    async (doc: OpenedDocument, template: AppearanceTemplateName) => {
      const r = await client.call('document.suggestPlacement', { documentId: doc.documentId, template });
      if (docRef.current?.documentId !== doc.documentId) return;
      const suggestion = r.ok ? r.value : null;
      dispatch({ type: 'placed', placement: suggestion ?? defaultPlacement(doc, template), suggestion });
    },
    [client],
  );

  const open = useCallback(
    async (path: string, template?: AppearanceTemplateName) => {
      dispatch({ type: 'opening' });
      const r = await client.call('document.open', { path });
      if (!r.ok) {
        dispatch({ type: 'open-failed', error: r.error });
        return;
      }
      const previous = docRef.current;
      if (previous) void client.call('document.close', { documentId: previous.documentId });
      docRef.current = r.value;
      const chosen = template ?? defaultTemplate;
      dispatch({ type: 'opened', doc: r.value, ...(chosen ? { template: chosen } : {}) });
      // The box is proposed once the first page is on screen (onPageShown): the anchor search
      // reads the document too, and the page comes first.
    },
    [client, defaultTemplate],
  );
  const placed = useRef<string | null>(null);
  const onPageShown = (): void => {
    const doc = state.doc;
    if (!doc || placed.current === doc.documentId || state.phase === 'done') return;
    placed.current = doc.documentId;
    void place(doc, state.template);
  };

  const lastRequest = useRef(0);
  useEffect(() => {
    if (openRequest && openRequest.serial !== lastRequest.current) {
      lastRequest.current = openRequest.serial;
      void open(openRequest.path);
    }
  }, [openRequest, open]);

  const { pdf: preview, error: previewError } = useAppearancePreview({
    template: state.template,
    width: state.placement?.rect.width ?? 0,
    height: state.placement?.rect.height ?? 0,
    certificate: choice?.ref ?? null,
    docNumber: state.docNumber,
    agency: state.agency,
  });

  const sign = async (pin: string | null, allowFinalTry: boolean): Promise<void> => {
    const doc = state.doc;
    if (!doc || !choice || !state.placement) return;
    const controller = new AbortController();
    abort.current = controller;
    dispatch({ type: 'signing' });
    performance.mark('kyso:sign-start');
    const r = await client.call(
      'sign.run',
      {
        documentId: doc.documentId,
        output: state.output,
        overwrite: state.overwrite,
        template: state.template,
        page: state.placement.page,
        rect: state.placement.rect,
        certificate: choice.ref,
        pin,
        allowFinalTry,
        ...(state.docNumber ? { docNumber: state.docNumber } : {}),
        ...(state.agency ? { agency: state.agency } : {}),
      },
      {
        signal: controller.signal,
        onProgress: (p) => {
          performance.mark(`kyso:sign-stage:${p.stage}`);
          dispatch({ type: 'progress', stage: p.stage });
        },
      },
    );
    performance.mark('kyso:sign-end');
    abort.current = null;
    if (r.ok) {
      const opened = await client.call('document.open', { path: r.value.output });
      if (opened.ok) {
        void client.call('document.close', { documentId: doc.documentId });
        docRef.current = opened.value;
      }
      dispatch({ type: 'signed', result: r.value, doc: opened.ok ? opened.value : null });
    } else dispatch({ type: 'sign-failed', error: r.error });
    // The token's PIN state may have changed (a wrong PIN, a successful login resets the counter).
    void loadCertificates();
  };

  const chooseOutput = async (): Promise<void> => {
    const r = await client.call('dialog.saveAs', { defaultPath: state.output });
    if (r.ok && r.value.path) dispatch({ type: 'output', path: r.value.path });
  };

  const showError = (error: ContractError): void => dispatch({ type: 'error', error });
  const drop = usePdfDrop((path) => void open(path), showError);
  const marked = new Set(state.placement ? [state.placement.page] : []);

  return (
    <div className="screen" hidden={!active} {...drop.props}>
      <header className="screen-header">
        <h1>{t('sign.title')}</h1>
        {state.doc && (
          <span className="file-name" title={state.doc.path}>
            {state.doc.name} · {t('common.pages', { count: state.doc.pageCount })}
          </span>
        )}
        <span className="spacer" />
        {state.doc && <OpenPdfButton onPath={(p) => void open(p)} />}
      </header>
      {!state.doc ? (
        <div className="screen-body" style={{ flexDirection: 'column' }}>
          {state.error && (
            <div style={{ margin: '16px 24px 0' }}>
              <ErrorMessage error={state.error} />
            </div>
          )}
          {state.phase === 'opening' ? (
            <p className="intro" style={{ padding: 24 }} role="status">
              {t('common.working')}
            </p>
          ) : (
            <DropZone intro={t('sign.intro')} onPath={(p) => void open(p)} onError={showError} />
          )}
        </div>
      ) : (
        <div className="screen-body">
          <DocumentViewer
            doc={state.doc}
            pdf={pdf}
            page={state.page}
            onPage={(page) => dispatch({ type: 'page', page })}
            marked={marked}
            onPageShown={onPageShown}
            overlay={(scale) =>
              state.placement?.page === state.page &&
              state.phase !== 'done' && (
                <SignatureBox
                  rect={state.placement.rect}
                  scale={scale}
                  label={t(`template.${state.template}`)}
                  preview={preview}
                  onChange={(rect) => dispatch({ type: 'move-box', rect })}
                />
              )
            }
          />
          <aside className="side-panel" aria-label={t('sign.title')}>
            {viewError && <ErrorMessage error={viewError} />}
            {state.error && <ErrorMessage error={state.error} />}
            {state.phase === 'done' && state.result ? (
              <>
                <SignResult
                  result={state.result}
                  onOpenFolder={() => {
                    if (state.result) void client.call('dialog.showInFolder', { path: state.result.output });
                  }}
                  onSignNext={() => {
                    dispatch({ type: 'sign-next' });
                    if (state.doc) {
                      placed.current = state.doc.documentId;
                      void place(state.doc, 'seal');
                    }
                  }}
                  onNewDocument={() => dispatch({ type: 'reset' })}
                />
                <SendToDossier
                  state={state.dossier}
                  dispatch={(action) => dispatch({ type: 'dossier', action })}
                  output={state.result.output}
                  docNumber={state.docNumber}
                />
              </>
            ) : (
              <>
                <TemplatePicker
                  template={state.template}
                  docNumber={state.docNumber}
                  agency={state.agency}
                  onTemplate={(template) => {
                    dispatch({ type: 'template', template });
                    if (state.doc) void place(state.doc, template);
                  }}
                  onText={(field, value) => dispatch({ type: 'text', field, value })}
                />
                <PlacementSection
                  placement={state.placement}
                  suggested={state.suggestion !== null}
                  previewError={previewError}
                  viewedPage={state.page}
                  onReset={() => dispatch({ type: 'reset-box' })}
                  onMoveHere={() => dispatch({ type: 'box-to-page', page: state.page })}
                />
                <CertificatePicker
                  choices={state.certificates}
                  error={state.certificatesError}
                  selected={state.selected}
                  onSelect={(key) => dispatch({ type: 'select', key })}
                  onReload={() => void loadCertificates()}
                />
                <section className="panel-section">
                  <h2>{t('sign.step.output')}</h2>
                  <div className="path" data-testid="output-path">
                    {state.output}
                  </div>
                  <p className="hint">
                    <button type="button" className="button small" onClick={() => void chooseOutput()}>
                      {t('output.change')}
                    </button>
                  </p>
                </section>
                <div className="panel-footer">
                  {!choice && state.certificates !== null && (
                    <p className="hint">{t('sign.needCertificate')}</p>
                  )}
                  <button
                    type="button"
                    className="button primary large"
                    disabled={!choice || !state.placement || state.phase !== 'ready'}
                    onClick={() => dispatch({ type: 'ask-pin' })}
                  >
                    {t('sign.action')}
                  </button>
                </div>
              </>
            )}
          </aside>
        </div>
      )}
      {state.phase === 'pin' && choice && (
        <PinDialog
          choice={choice}
          pinState={state.pinState}
          error={state.pinError}
          onSubmit={(pin, allowFinalTry) => void sign(pin, allowFinalTry)}
          onCancel={() => dispatch({ type: 'close-pin' })}
        />
      )}
      {state.phase === 'signing' && (
        <SignProgress stage={state.progress} onCancel={() => abort.current?.abort()} />
      )}
      {state.phase === 'confirm-overwrite' && (
        <ConfirmOverwrite
          path={state.output}
          onAnswer={(overwrite) => dispatch({ type: 'confirm-overwrite', overwrite })}
        />
      )}
    </div>
  );
}
