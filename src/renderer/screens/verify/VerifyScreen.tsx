// "Kiểm tra chữ ký": open a PDF, the verdict of each signature, its box highlighted on the page, the
// signed revision, and the HTML report.
import { useCallback, useReducer, useRef } from 'react';
import type { ContractError, VerifySignatureView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { DropZone } from '../../components/DropZone.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { OpenPdfButton } from '../../components/OpenPdfButton.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { usePdfDrop } from '../../components/use-pdf-drop.js';
import { commonName } from '../../i18n/format.js';
import { DocumentViewer } from '../../pdf/DocumentViewer.js';
import { useRangeDocument } from '../../pdf/use-range-document.js';
import { SignatureDetails } from './SignatureDetails.js';
import { initialVerifyState, verifyReducer } from './verify-state.js';

function label(s: VerifySignatureView, t: ReturnType<typeof useApp>['t']): string {
  return s.type === 'document-timestamp'
    ? t('verify.timestampN', { n: s.index })
    : t('verify.signatureN', { n: s.index });
}

export function VerifyScreen({ active }: { active: boolean }) {
  const { client, t } = useApp();
  const [state, dispatch] = useReducer(verifyReducer, initialVerifyState);
  const shown = state.revision?.doc ?? state.doc;
  const { pdf, error: viewError } = useRangeDocument(shown);
  const docs = useRef<string[]>([]);
  const abort = useRef<AbortController | null>(null);

  const closeAll = useCallback(() => {
    for (const documentId of docs.current) void client.call('document.close', { documentId });
    docs.current = [];
  }, [client]);

  const open = useCallback(
    async (path: string) => {
      abort.current?.abort();
      dispatch({ type: 'opening' });
      const opened = await client.call('document.open', { path });
      if (!opened.ok) {
        dispatch({ type: 'failed', error: opened.error });
        return;
      }
      closeAll();
      docs.current.push(opened.value.documentId);
      dispatch({ type: 'opened', doc: opened.value });
      const controller = new AbortController();
      abort.current = controller;
      const r = await client.call('verify.run', { path: opened.value.path }, { signal: controller.signal });
      if (abort.current === controller) abort.current = null;
      dispatch(r.ok ? { type: 'verified', report: r.value } : { type: 'failed', error: r.error });
    },
    [client, closeAll],
  );

  const viewRevision = async (index: number): Promise<void> => {
    const s = state.report?.signatures[index];
    if (!s || !state.doc) return;
    const r = await client.call('verify.extractRevision', {
      path: state.doc.path,
      revision: s.coverage.revision,
    });
    if (!r.ok) return dispatch({ type: 'failed', error: r.error });
    const opened = await client.call('document.open', { path: r.value.path });
    if (!opened.ok) return dispatch({ type: 'failed', error: opened.error });
    docs.current.push(opened.value.documentId);
    dispatch({ type: 'revision', doc: opened.value, signature: s.index, revision: s.coverage.revision });
  };

  const saveReport = async (): Promise<void> => {
    if (!state.doc) return;
    const defaultPath = state.doc.path.replace(/\.pdf$/i, '') + '-bao-cao.html';
    const chosen = await client.call('dialog.saveAs', { defaultPath });
    if (!chosen.ok || !chosen.value.path) return;
    const r = await client.call('verify.saveReport', { path: state.doc.path, output: chosen.value.path });
    if (!r.ok) return dispatch({ type: 'failed', error: r.error });
    dispatch({ type: 'notice', text: t('verify.reportSaved', { path: r.value.output }) });
  };

  const showError = (error: ContractError): void => dispatch({ type: 'failed', error });
  const drop = usePdfDrop((p) => void open(p), showError);
  const report = state.report;
  const selected = state.selected === null ? null : (report?.signatures[state.selected] ?? null);
  const widget = !state.revision && selected?.widget?.page === state.page ? selected.widget : null;

  return (
    <div className="screen" hidden={!active} {...drop.props}>
      <header className="screen-header">
        <h1>{t('verify.title')}</h1>
        {state.doc && (
          <span className="file-name" title={state.doc.path}>
            {state.doc.name}
          </span>
        )}
        <span className="spacer" />
        {state.doc && (
          <button type="button" className="button" disabled={!report} onClick={() => void saveReport()}>
            {t('verify.saveReport')}
          </button>
        )}
        {state.doc && <OpenPdfButton onPath={(p) => void open(p)} />}
      </header>
      {!state.doc || !shown ? (
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
            <DropZone intro={t('verify.intro')} onPath={(p) => void open(p)} onError={showError} />
          )}
        </div>
      ) : (
        <div className="screen-body">
          <div className="page-area">
            {state.revision && (
              <div className="banner" role="status">
                <span>
                  {t('verify.viewingRevision', {
                    n: state.revision.signature,
                    revision: state.revision.revision,
                  })}
                </span>
                <button type="button" className="button small" onClick={() => dispatch({ type: 'back' })}>
                  {t('verify.backToCurrent')}
                </button>
              </div>
            )}
            <DocumentViewer
              doc={shown}
              pdf={pdf}
              page={state.page}
              onPage={(page) => dispatch({ type: 'page', page })}
              marked={new Set(report?.signatures.flatMap((s) => (s.widget ? [s.widget.page] : [])) ?? [])}
              overlay={(scale) =>
                widget && (
                  <div
                    className="highlight-box"
                    data-testid="signature-highlight"
                    style={{
                      left: `${widget.rect.x * scale}px`,
                      top: `${widget.rect.y * scale}px`,
                      width: `${widget.rect.width * scale}px`,
                      height: `${widget.rect.height * scale}px`,
                    }}
                  />
                )
              }
            />
          </div>
          <aside className="side-panel" aria-label={t('verify.title')}>
            {viewError && <ErrorMessage error={viewError} />}
            {state.error && <ErrorMessage error={state.error} />}
            {state.notice && (
              <div className="notice" role="status">
                {state.notice}
              </div>
            )}
            {state.phase === 'verifying' && (
              <div className="progress" role="status">
                <span>{t('verify.running')}</span>
                <button type="button" className="button small" onClick={() => abort.current?.abort()}>
                  {t('common.cancel')}
                </button>
              </div>
            )}
            {report && (
              <>
                <div className="overall-status" data-testid="overall-status">
                  {report.status === 'unsigned' ? (
                    <span className="status-badge unsigned">{t('verify.overall.unsigned')}</span>
                  ) : (
                    <span className={`status-badge ${report.status}`}>
                      {t(`verify.overall.${report.status}`)}
                    </span>
                  )}
                </div>
                {report.signatures.length === 0 ? (
                  <p className="hint">{t('verify.none')}</p>
                ) : (
                  <section className="panel-section">
                    <h2>{t('verify.signatures', { count: report.signatures.length })}</h2>
                    <ul className="signature-list">
                      {report.signatures.map((s, i) => (
                        <li key={i}>
                          <button
                            type="button"
                            className="signature-item"
                            aria-pressed={state.selected === i}
                            data-testid="signature-item"
                            onClick={() => dispatch({ type: 'select', index: i })}
                          >
                            <span className="hint" style={{ margin: 0 }}>
                              {label(s, t)}
                            </span>
                            <span className="signer">{s.signer.name ?? commonName(s.signer.dn)}</span>
                            <StatusBadge status={s.status} />
                          </button>
                        </li>
                      ))}
                    </ul>
                  </section>
                )}
                {selected && (
                  <section className="panel-section">
                    <h2>{label(selected, t)}</h2>
                    <SignatureDetails signature={selected} />
                    {!selected.widget && <p className="hint">{t('verify.noWidget')}</p>}
                    <p>
                      <button
                        type="button"
                        className="button"
                        onClick={() => void viewRevision(state.selected ?? 0)}
                      >
                        {t('verify.viewRevision')}
                      </button>
                    </p>
                  </section>
                )}
                {report.warnings.length > 0 && (
                  <section className="panel-section">
                    <h2>{t('verify.warnings')}</h2>
                    <ul className="change-list">
                      {report.warnings.map((w, i) => (
                        <li key={i}>{w}</li>
                      ))}
                    </ul>
                  </section>
                )}
              </>
            )}
          </aside>
        </div>
      )}
    </div>
  );
}
