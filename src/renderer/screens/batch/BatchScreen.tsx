// "Ký hàng loạt": documents and folders in, one PIN, every document signed (or explained) into the
// output folder, with a pause that can be resumed — also after the app was closed or crashed, from
// the batch's journal — and the results filtered, the output folder opened, the report exported.
import { useSigningDefaults } from '../../policy/use-signing-defaults.js';
import { useEffect, useReducer, useRef } from 'react';
import type { BatchRunProgress } from '../../../shared/contract/index.js';
import { isPinError, pinStateOfError } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { CertificatePicker } from '../sign/CertificatePicker.js';
import { PinDialog } from '../sign/PinDialog.js';
import { useTokenList } from '../sign/use-token-list.js';
import { BatchProgressPanel } from './BatchProgressPanel.js';
import { BatchResults } from './BatchResults.js';
import { BatchSources } from './BatchSources.js';
import { batchReducer, initialBatchState, selectedBatchChoice } from './batch-state.js';
import { UnfinishedBanner } from './UnfinishedBanner.js';

export function BatchScreen({ active }: { active: boolean }) {
  const { client, t } = useApp();
  const [state, dispatch] = useReducer(batchReducer, initialBatchState);
  const abort = useRef<AbortController | null>(null);
  const loaded = useRef(false);
  const defaults = useSigningDefaults(active);
  useEffect(() => {
    if (defaults !== null) dispatch({ type: 'defaults', defaults });
  }, [defaults]);

  const loadTokens = useTokenList(active, dispatch);

  // A batch cut short is offered the first time the screen is shown.
  useEffect(() => {
    if (!active || loaded.current) return;
    loaded.current = true;
    void client.call('batch.unfinished', {}).then((r) => {
      if (r.ok) dispatch({ type: 'unfinished', batch: r.value.batch });
    });
  }, [active, client]);

  const run = async (pin: string | null, allowFinalTry: boolean): Promise<void> => {
    const choice = selectedBatchChoice(state);
    if (!choice || state.outDir === null) return;
    const controller = new AbortController();
    abort.current = controller;
    dispatch({ type: 'started' });
    const r = await client.call(
      'batch.run',
      {
        inputs: [...state.inputs],
        recursive: state.recursive,
        outDir: state.outDir,
        suffix: state.suffix,
        template: state.template,
        anchor: state.anchor,
        reason: '',
        certificate: choice.ref,
        pin,
        allowFinalTry,
        resume: state.resume,
        retryFailed: state.retryFailed,
      },
      {
        signal: controller.signal,
        onProgress: (event: BatchRunProgress) => dispatch({ type: 'progress', event }),
      },
    );
    abort.current = null;
    if (r.ok) dispatch({ type: 'finished', result: r.value });
    else if (isPinError(r.error.code))
      dispatch({ type: 'pinFailed', error: r.error, pinState: pinStateOfError(r.error) });
    else dispatch({ type: 'runFailed', error: r.error });
  };

  const resumeUnfinished = (): void => {
    const b = state.unfinished;
    if (!b) return;
    dispatch({ type: 'prepareResume', batch: b });
    // With a certificate chosen, straight to the PIN; otherwise the user chooses it first.
    if (selectedBatchChoice(state)) dispatch({ type: 'askPin', resume: true, retryFailed: false });
  };

  const forgetUnfinished = async (): Promise<void> => {
    const b = state.unfinished;
    if (!b) return;
    await client.call('batch.forget', { outDir: b.outDir });
    dispatch({ type: 'unfinished', batch: null });
  };

  const exportReport = async (format: 'csv' | 'json'): Promise<void> => {
    if (!state.result) return;
    const name = `bao-cao-ky-hang-loat.${format}`;
    const chosen = await client.call('dialog.saveAs', { defaultPath: `${state.result.outDir}/${name}` });
    if (!chosen.ok) return dispatch({ type: 'error', error: chosen.error });
    if (!chosen.value.path) return;
    const r = await client.call('batch.exportReport', {
      outDir: state.result.outDir,
      format,
      output: chosen.value.path,
    });
    if (!r.ok) dispatch({ type: 'error', error: r.error });
    else dispatch({ type: 'notice', text: t('batch.exported', { path: r.value.output }) });
  };

  const choice = selectedBatchChoice(state);
  const ready = state.inputs.length > 0 && state.outDir !== null && choice !== null;
  const result = state.result;

  return (
    <div className="screen" hidden={!active}>
      <header className="screen-header">
        <h1>{t('batch.title')}</h1>
      </header>
      <div className="screen-scroll">
        <p className="intro">{t('batch.intro')}</p>
        {state.unfinished && state.phase === 'setup' && (
          <UnfinishedBanner
            batch={state.unfinished}
            onResume={resumeUnfinished}
            onForget={() => void forgetUnfinished()}
          />
        )}
        {state.error && <ErrorMessage error={state.error} />}
        {state.notice && (
          <p className="notice" role="status">
            {state.notice}
          </p>
        )}
        {state.phase === 'setup' && (
          <>
            <BatchSources state={state} dispatch={dispatch} />
            <section className="card">
              <h2>{t('batch.certificate')}</h2>
              <CertificatePicker
                choices={state.choices}
                error={state.choicesError}
                selected={state.certificateKey}
                onSelect={(key) => dispatch({ type: 'set', patch: { certificateKey: key } })}
                onReload={() => void loadTokens()}
              />
            </section>
            <div className="button-row">
              <button
                type="button"
                className="button primary"
                disabled={!ready}
                onClick={() => dispatch({ type: 'askPin', resume: state.resume, retryFailed: false })}
              >
                {t('batch.start')}
              </button>
              {!ready && <span className="hint">{t('batch.needs')}</span>}
            </div>
          </>
        )}
        {state.phase === 'running' && (
          <BatchProgressPanel
            stage={state.stage}
            progress={state.progress}
            onPause={() => abort.current?.abort()}
          />
        )}
        {state.phase === 'finished' && result && (
          <section className="card" data-testid="batch-summary">
            <p style={{ margin: 0 }}>
              <strong>
                {t('batch.summary', {
                  signed: result.signed,
                  failed: result.failed,
                  pending: result.pending,
                  total: result.total,
                })}
              </strong>
            </p>
            {result.cancelled && (
              <p className="hint">{t('batch.summaryCancelled', { pending: result.pending })}</p>
            )}
            {result.stopped && (
              <p className="warning bad">{t('batch.stopped', { message: result.stopped.message })}</p>
            )}
            <div className="button-row">
              {result.pending > 0 && (
                <button
                  type="button"
                  className="button primary"
                  onClick={() => dispatch({ type: 'askPin', resume: true, retryFailed: false })}
                >
                  {t('batch.resume')}
                </button>
              )}
              {result.failed > 0 && result.pending === 0 && (
                <button
                  type="button"
                  className="button"
                  onClick={() => dispatch({ type: 'askPin', resume: true, retryFailed: true })}
                >
                  {t('batch.retryFailed')}
                </button>
              )}
              <button
                type="button"
                className="button"
                onClick={() => void client.call('dialog.showInFolder', { path: result.outDir })}
              >
                {t('batch.openOutDir')}
              </button>
              <button type="button" className="button" onClick={() => void exportReport('csv')}>
                {t('batch.exportCsv')}
              </button>
              <button type="button" className="button" onClick={() => void exportReport('json')}>
                {t('batch.exportJson')}
              </button>
              <button type="button" className="button" onClick={() => dispatch({ type: 'newBatch' })}>
                {t('batch.newBatch')}
              </button>
            </div>
          </section>
        )}
        {(state.phase === 'running' ||
          state.phase === 'finished' ||
          (state.phase === 'pin' && state.documents.length > 0)) && (
          <BatchResults
            documents={state.documents}
            filter={state.filter}
            onFilter={(filter) => dispatch({ type: 'set', patch: { filter } })}
          />
        )}
        {state.phase === 'pin' && choice && (
          <PinDialog
            choice={choice}
            pinState={state.pinState}
            error={state.pinError}
            onSubmit={(pin, allowFinalTry) => void run(pin, allowFinalTry)}
            onCancel={() => dispatch({ type: 'cancelPin' })}
          />
        )}
      </div>
    </div>
  );
}
