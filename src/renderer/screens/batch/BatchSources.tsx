// Step 1 and 2 of a batch: the documents (files and folders, dropped or chosen), where the signed
// copies go, and how each is signed (template, the text it is placed under, the name suffix).
import { useState, type DragEvent } from 'react';
import type { SignTemplateName } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import type { BatchAction, BatchState } from './batch-state.js';

const TEMPLATES: readonly SignTemplateName[] = ['personal', 'seal', 'text', 'certified-copy', 'invisible'];

export function BatchSources({ state, dispatch }: { state: BatchState; dispatch: (a: BatchAction) => void }) {
  const { t, client } = useApp();
  const [dropping, setDropping] = useState(false);

  const addFile = async (): Promise<void> => {
    const r = await client.call('dialog.openPdf', {});
    if (!r.ok) dispatch({ type: 'error', error: r.error });
    else if (r.value.path) dispatch({ type: 'addInputs', paths: [r.value.path] });
  };
  const addFolder = async (): Promise<void> => {
    const r = await client.call('dialog.openFolder', {});
    if (!r.ok) dispatch({ type: 'error', error: r.error });
    else if (r.value.path) dispatch({ type: 'addInputs', paths: [r.value.path] });
  };
  const chooseOutDir = async (): Promise<void> => {
    const r = await client.call('dialog.openFolder', {});
    if (!r.ok) dispatch({ type: 'error', error: r.error });
    else if (r.value.path) dispatch({ type: 'set', patch: { outDir: r.value.path } });
  };
  const onDrop = async (e: DragEvent): Promise<void> => {
    e.preventDefault();
    setDropping(false);
    const files = [...e.dataTransfer.files].filter(
      (f) => /\.pdf$/i.test(f.name) || f.type === 'application/pdf',
    );
    const paths: string[] = [];
    for (const file of files) {
      const found = await client.pathForFile({ name: file.name, size: file.size });
      if (found) paths.push(found);
    }
    if (paths.length > 0) dispatch({ type: 'addInputs', paths });
    if (paths.length < e.dataTransfer.files.length)
      dispatch({ type: 'error', error: { code: 'INPUT_NOT_FOUND', message: t('common.dropNoPath') } });
  };

  return (
    <>
      <section className="card">
        <h2>{t('batch.sources')}</h2>
        <div
          className={dropping ? 'drop-zone compact active' : 'drop-zone compact'}
          data-testid="batch-drop-zone"
          onDragOver={(e) => {
            if (!e.dataTransfer.types.includes('Files')) return;
            e.preventDefault();
            setDropping(true);
          }}
          onDragLeave={() => setDropping(false)}
          onDrop={(e) => void onDrop(e)}
        >
          {t('batch.dropHere')}
          <div className="button-row">
            <button type="button" className="button" onClick={() => void addFile()}>
              {t('batch.addFiles')}
            </button>
            <button type="button" className="button" onClick={() => void addFolder()}>
              {t('batch.addFolder')}
            </button>
          </div>
        </div>
        {state.inputs.length === 0 ? (
          <p className="hint">{t('batch.noSources')}</p>
        ) : (
          <ul className="path-list" data-testid="batch-inputs">
            {state.inputs.map((p) => (
              <li key={p}>
                <span className="path">{p}</span>
                <button
                  type="button"
                  className="button small"
                  onClick={() => dispatch({ type: 'removeInput', path: p })}
                >
                  {t('batch.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={state.recursive}
            onChange={(e) => dispatch({ type: 'set', patch: { recursive: e.target.checked } })}
          />
          {t('batch.recursive')}
        </label>
        <div className="field">
          <span style={{ fontWeight: 600 }}>{t('batch.outDir')}</span>
          <div className="button-row">
            <span className="path" data-testid="batch-out-dir">
              {state.outDir ?? t('batch.outDirNone')}
            </span>
            <button type="button" className="button" onClick={() => void chooseOutDir()}>
              {t('batch.chooseOutDir')}
            </button>
          </div>
        </div>
        <div className="field">
          <label htmlFor="batch-suffix" style={{ fontWeight: 600 }}>
            {t('batch.suffix')}
          </label>
          <input
            id="batch-suffix"
            className="text-input"
            value={state.suffix}
            maxLength={64}
            onChange={(e) => dispatch({ type: 'set', patch: { suffix: e.target.value } })}
          />
        </div>
      </section>
      <section className="card">
        <h2>{t('batch.template')}</h2>
        <fieldset className="choice-list">
          <legend className="visually-hidden">{t('batch.template')}</legend>
          {TEMPLATES.map((name) => (
            <label key={name} className="choice">
              <input
                type="radio"
                name="batch-template"
                checked={state.template === name}
                onChange={() => dispatch({ type: 'set', patch: { template: name } })}
              />
              <span className="choice-title">{t(`batch.template.${name}`)}</span>
            </label>
          ))}
        </fieldset>
        {state.template !== 'invisible' && (
          <div className="field">
            <label htmlFor="batch-anchor" style={{ fontWeight: 600 }}>
              {t('batch.anchor')}
            </label>
            <input
              id="batch-anchor"
              className="text-input"
              value={state.anchor}
              maxLength={200}
              aria-describedby="batch-anchor-hint"
              onChange={(e) => dispatch({ type: 'set', patch: { anchor: e.target.value } })}
            />
            <span id="batch-anchor-hint" className="hint">
              {t('batch.anchorHint')}
            </span>
          </div>
        )}
      </section>
    </>
  );
}
