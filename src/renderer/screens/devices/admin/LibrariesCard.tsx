// "Thư viện token": the PKCS#11 libraries IT staff added by hand (pkcs11.modules, as in force:
// the user's settings or the machine policy's preset),
// with "Thêm thư viện…" (the engine probes the file before saving it: a file that is not a library,
// or one of the wrong architecture, is refused with its reason) and "Gỡ khỏi danh sách".
import { useState } from 'react';
import type { ContractError } from '../../../../shared/contract/index.js';
import { useApp } from '../../../app-context.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { LockedNote } from '../../../components/LockedNote.js';
import { usePolicy } from '../../../policy/use-policy.js';

type Outcome =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'done'; readonly text: string }
  | { readonly kind: 'failed'; readonly error: ContractError };

export function LibrariesCard({ onChanged }: { onChanged: () => void }) {
  const { client, t } = useApp();
  const policy = usePolicy();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const lock = policy.lockOf('pkcs11.modules');
  const inForce = policy.view?.settings.find((s) => s.key === 'pkcs11.modules')?.value;
  const added = Array.isArray(inForce) ? inForce.filter((p): p is string => typeof p === 'string') : [];

  const add = async (): Promise<void> => {
    const chosen = await client.call('dialog.openLibrary', {});
    if (!chosen.ok) return setOutcome({ kind: 'failed', error: chosen.error });
    if (chosen.value.path === null) return;
    setOutcome({ kind: 'busy' });
    const r = await client.call('tokens.libraries.add', { path: chosen.value.path });
    setOutcome(
      r.ok
        ? { kind: 'done', text: t('libraries.added', { path: r.value.path }) }
        : { kind: 'failed', error: r.error },
    );
    if (r.ok) {
      await policy.reload();
      onChanged();
    }
  };

  const remove = async (path: string): Promise<void> => {
    setOutcome({ kind: 'busy' });
    const r = await client.call('tokens.libraries.remove', { path });
    setOutcome(
      r.ok ? { kind: 'done', text: t('libraries.removed', { path }) } : { kind: 'failed', error: r.error },
    );
    if (r.ok) {
      await policy.reload();
      onChanged();
    }
  };

  return (
    <section className="card" data-testid="libraries-card">
      <h2>{t('libraries.title')}</h2>
      <p className="hint">{t('libraries.intro')}</p>
      {added.length > 0 && (
        <ul className="path-list">
          {added.map((libraryPath) => (
            <li key={libraryPath}>
              <span className="path">{libraryPath}</span>
              <button
                type="button"
                className="button"
                disabled={lock !== null || outcome.kind === 'busy'}
                onClick={() => void remove(libraryPath)}
              >
                {t('libraries.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={lock !== null || outcome.kind === 'busy'}
          onClick={() => void add()}
        >
          {outcome.kind === 'busy' ? t('libraries.adding') : t('libraries.add')}
        </button>
        <LockedNote settingKey="pkcs11.modules" lock={lock} />
      </div>
      {outcome.kind === 'done' && (
        <p className="notice" role="status">
          {outcome.text}
        </p>
      )}
      {outcome.kind === 'failed' && <ErrorMessage error={outcome.error} />}
    </section>
  );
}
