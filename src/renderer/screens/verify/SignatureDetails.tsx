// One signature in full: verdict, signer, time and where the time comes from, level, and what
// changed in the document after it was signed.
import type { VerifySignatureView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { commonName, formatDateTime } from '../../i18n/format.js';

export function SignatureDetails({ signature }: { signature: VerifySignatureView }) {
  const { t, language } = useApp();
  const s = signature;
  // What the verdict's sentence counts as warnings or failures, said in full without opening the checks.
  const notes = s.checks.filter((c) => c.result === 'warning' || c.result === 'failed');
  const time = s.signingTime ? formatDateTime(s.signingTime, language) : '—';
  const proof =
    s.signingTimeSource === 'timestamp'
      ? t('verify.time.timestamp', { tsa: commonName(s.timestamp?.tsa ?? null) || 'TSA' })
      : t('verify.time.claimed');
  return (
    <div data-testid="signature-details">
      <dl className="details">
        <dt>{t('verify.reason')}</dt>
        <dd>
          <StatusBadge status={s.status} />
          <div>{s.reason}</div>
        </dd>
        <dt>{t('verify.signer')}</dt>
        <dd>{s.signer.name ?? commonName(s.signer.dn)}</dd>
        {s.signer.organization && (
          <>
            <dt>{t('verify.organization')}</dt>
            <dd>{s.signer.organization}</dd>
          </>
        )}
        {s.issuer && (
          <>
            <dt>{t('verify.issuer')}</dt>
            <dd>{commonName(s.issuer)}</dd>
          </>
        )}
        <dt>{t('verify.time')}</dt>
        <dd>
          {time}
          <div className="hint">{proof}</div>
        </dd>
        <dt>{t('verify.level')}</dt>
        <dd>PAdES {s.level}</dd>
        <dt>{t('verify.coverage')}</dt>
        <dd>
          {s.coverage.wholeDocument
            ? t('verify.coverage.whole')
            : t('verify.coverage.partial', {
                revision: s.coverage.revision,
                revisions: s.coverage.revisions,
              })}
        </dd>
      </dl>
      <h3 style={{ fontSize: 15, margin: '12px 0 4px' }}>{t('verify.changes')}</h3>
      {s.changesAfter.length === 0 ? (
        <p className="hint">{t('verify.changes.none')}</p>
      ) : (
        <ul className="change-list" data-testid="changes-after">
          {s.changesAfter.map((c, i) => (
            <li key={i} className={c.allowed ? undefined : 'not-allowed'}>
              {t('verify.change.revision', {
                revision: c.revision,
                description: c.description.replace(/\.$/, ''),
                allowed: c.allowed ? t('verify.change.allowed') : t('verify.change.notAllowed'),
              })}
            </li>
          ))}
        </ul>
      )}
      {notes.length > 0 && (
        <>
          <h3 style={{ fontSize: 15, margin: '12px 0 4px' }}>{t('verify.warnings')}</h3>
          <ul className="change-list" data-testid="signature-notes">
            {notes.map((c) => (
              <li key={c.id} className={c.result === 'failed' ? 'not-allowed' : undefined}>
                {c.detail}
              </li>
            ))}
          </ul>
        </>
      )}
      <details style={{ marginTop: 10 }}>
        <summary>{t('verify.checks')}</summary>
        <ul className="change-list">
          {s.checks.map((c) => (
            <li key={c.id} className={c.result === 'failed' ? 'not-allowed' : undefined}>
              {c.detail} — {t(`check.${c.result}`)}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
