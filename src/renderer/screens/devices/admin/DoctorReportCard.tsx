// "Báo cáo chẩn đoán": the doctor report (what `kyso doctor` prints), shown in the app language,
// saved where IT staff choose (text or JSON by the name's extension) or copied for a help desk.
import { useState } from 'react';
import type { ContractError, DoctorReportView } from '../../../../shared/contract/index.js';
import { useApp } from '../../../app-context.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';

type Note = { readonly kind: 'saved'; readonly path: string } | { readonly kind: 'copied' | 'copyFailed' };

export function DoctorReportCard() {
  const { client, t } = useApp();
  const [report, setReport] = useState<DoctorReportView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const [note, setNote] = useState<Note | null>(null);

  const make = async (): Promise<void> => {
    setBusy(true);
    setNote(null);
    const r = await client.call('doctor.report', {});
    setBusy(false);
    setError(r.ok ? null : r.error);
    if (r.ok) setReport(r.value);
  };

  const save = async (): Promise<void> => {
    if (report === null) return;
    const chosen = await client.call('dialog.saveAs', { defaultPath: report.fileName });
    if (!chosen.ok) return setError(chosen.error);
    if (chosen.value.path === null) return;
    const format = chosen.value.path.toLowerCase().endsWith('.json') ? 'json' : 'text';
    const r = await client.call('doctor.save', { output: chosen.value.path, format });
    setError(r.ok ? null : r.error);
    if (r.ok) setNote({ kind: 'saved', path: r.value.output });
  };

  const copy = async (): Promise<void> => {
    if (report === null) return;
    try {
      await navigator.clipboard.writeText(report.text);
      setNote({ kind: 'copied' });
    } catch {
      setNote({ kind: 'copyFailed' });
    }
  };

  return (
    <section className="card" data-testid="doctor-card">
      <h2>{t('doctor.title')}</h2>
      <p className="hint">{t('doctor.intro')}</p>
      <div className="button-row">
        <button type="button" className="button" disabled={busy} onClick={() => void make()}>
          {busy ? t('doctor.making') : t('doctor.make')}
        </button>
        {report && (
          <>
            <button type="button" className="button" onClick={() => void save()}>
              {t('doctor.save')}
            </button>
            <button type="button" className="button" onClick={() => void copy()}>
              {t('doctor.copy')}
            </button>
            <span className="hint">{t('doctor.warnings', { count: report.warningCount })}</span>
          </>
        )}
      </div>
      {note && (
        <p className="notice" role="status">
          {note.kind === 'saved' ? t('doctor.saved', { path: note.path }) : t(`doctor.${note.kind}`)}
        </p>
      )}
      {error && <ErrorMessage error={error} />}
      {report && (
        <pre className="doctor-report" data-testid="doctor-report" tabIndex={0}>
          {report.text}
        </pre>
      )}
    </section>
  );
}
