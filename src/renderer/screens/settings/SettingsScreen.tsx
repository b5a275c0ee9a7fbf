// "Cài đặt": per certificate, the handwritten signature and the agency seal the visible signatures
// draw (Decree 30: a blue signature, a red seal at its real size), imported from PNG or JPEG with the
// engine's warnings, shown as the next signature will show them; what signing starts with ("Mặc
// định khi ký"); the interface language.
import { useCallback, useEffect, useState } from 'react';
import type { ContractError, ImageKind, ResultOf, TokenModuleView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { CertificatePicker } from '../sign/CertificatePicker.js';
import { choicesOf, type CertificateChoice } from '../sign/sign-state.js';
import { ImageCard } from './ImageCard.js';
import { LanguageCard } from './LanguageCard.js';
import { SigningDefaultsCard } from './SigningDefaultsCard.js';

interface SettingsState {
  readonly choices: readonly CertificateChoice[] | null;
  readonly choicesError: ContractError | null;
  readonly selected: string | null;
  readonly images: ResultOf<'images.get'> | null;
  readonly revision: number;
  readonly busy: boolean;
  readonly error: ContractError | null;
}

export function SettingsScreen({ active }: { active: boolean }) {
  const { client, t } = useApp();
  const [state, setState] = useState<SettingsState>({
    choices: null,
    choicesError: null,
    selected: null,
    images: null,
    revision: 0,
    busy: false,
    error: null,
  });
  const [loaded, setLoaded] = useState(false);
  const choice = state.choices?.find((c) => c.key === state.selected) ?? null;

  const loadTokens = useCallback(async () => {
    const r = await client.call('tokens.list', {});
    const modules: readonly TokenModuleView[] = r.ok ? r.value.modules : [];
    const choices = choicesOf(modules);
    setState((s) => ({
      ...s,
      choices,
      choicesError: r.ok ? null : r.error,
      selected: s.selected ?? (choices.length === 1 ? (choices[0]?.key ?? null) : null),
    }));
  }, [client]);

  useEffect(() => {
    if (active && !loaded) {
      setLoaded(true);
      void loadTokens();
    }
  }, [active, loaded, loadTokens]);

  const sha = choice?.certificate.sha256 ?? null;
  useEffect(() => {
    if (sha === null) return;
    let gone = false;
    void client.call('images.get', { certificateSha256: sha }).then((r) => {
      if (gone) return;
      setState((s) =>
        r.ok ? { ...s, images: r.value, error: null } : { ...s, images: null, error: r.error },
      );
    });
    return () => {
      gone = true;
    };
  }, [client, sha, state.revision]);

  const importImage = async (kind: ImageKind): Promise<void> => {
    if (sha === null) return;
    const chosen = await client.call('dialog.openImage', {});
    if (!chosen.ok) return setState((s) => ({ ...s, error: chosen.error }));
    if (!chosen.value.path) return;
    setState((s) => ({ ...s, busy: true }));
    const r = await client.call('images.import', { certificateSha256: sha, kind, path: chosen.value.path });
    setState((s) => ({
      ...s,
      busy: false,
      error: r.ok ? null : r.error,
      revision: r.ok ? s.revision + 1 : s.revision,
    }));
  };

  const removeImage = async (kind: ImageKind): Promise<void> => {
    if (sha === null) return;
    setState((s) => ({ ...s, busy: true }));
    const r = await client.call('images.remove', { certificateSha256: sha, kind });
    setState((s) => ({ ...s, busy: false, error: r.ok ? null : r.error, revision: s.revision + 1 }));
  };

  return (
    <div className="screen" hidden={!active}>
      <header className="screen-header">
        <h1>{t('settings.title')}</h1>
      </header>
      <div className="screen-scroll">
        <p className="intro">{t('settings.intro')}</p>
        <section className="card">
          <h2>{t('settings.certificate')}</h2>
          <CertificatePicker
            choices={state.choices}
            error={state.choicesError}
            selected={state.selected}
            onSelect={(key) => setState((s) => ({ ...s, selected: key, images: null }))}
            onReload={() => void loadTokens()}
          />
        </section>
        {state.error && <ErrorMessage error={state.error} />}
        {choice && state.images && (
          <div className="image-cards">
            {(['signature', 'seal'] as const).map((kind) => (
              <ImageCard
                key={kind}
                kind={kind}
                image={state.images?.[kind] ?? null}
                certificate={choice.ref}
                revision={state.revision}
                busy={state.busy}
                onImport={() => void importImage(kind)}
                onRemove={() => void removeImage(kind)}
              />
            ))}
          </div>
        )}
        {active && <SigningDefaultsCard />}
        <LanguageCard />
      </div>
    </div>
  );
}
