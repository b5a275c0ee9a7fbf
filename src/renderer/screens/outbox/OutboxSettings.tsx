// Where results go (the one-stop server, or a shared folder) and the upload credential. The
// credential is write-only: the field is masked, emptied once saved, and the screen only ever
// learns whether one is there ("đã lưu" / "chưa có").
import { useEffect, useState } from 'react';
import type { ContractError, UploadSettingsView } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { LockedNote } from '../../components/LockedNote.js';
import { usePolicy } from '../../policy/use-policy.js';

export function OutboxSettings({
  settings,
  onSaved,
}: {
  settings: UploadSettingsView | null;
  onSaved: (settings: UploadSettingsView) => void;
}) {
  const { client, t } = useApp();
  const [adapter, setAdapter] = useState<'rest' | 'folder'>('rest');
  const [server, setServer] = useState('');
  const [folder, setFolder] = useState('');
  const [credential, setCredential] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const [saved, setSaved] = useState<'destination' | 'credential' | null>(null);
  // What the machine policy locks shows disabled, with IT staff's reason (the service refuses it too).
  const policy = usePolicy();
  const adapterLock = policy.lockOf('upload.adapter');
  const serverLock = policy.lockOf('upload.server');
  const folderLock = policy.lockOf('upload.folder.path');

  useEffect(() => {
    if (!settings) return;
    setAdapter(settings.adapter);
    setServer(settings.server ?? '');
    setFolder(settings.folderPath ?? '');
  }, [settings]);

  const save = async (
    request: Parameters<typeof client.call<'upload.settings.set'>>[1],
    what: 'destination' | 'credential',
  ): Promise<void> => {
    setBusy(true);
    setError(null);
    setSaved(null);
    const r = await client.call('upload.settings.set', request);
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      if (r.error.code === 'SETTING_LOCKED') void policy.reload();
      return;
    }
    setSaved(what);
    if (what === 'credential') setCredential('');
    onSaved(r.value);
  };

  const credentialState = settings?.credential ?? 'none';
  return (
    <section className="card" aria-labelledby="upload-settings-title" data-testid="upload-settings">
      <h2 id="upload-settings-title">{t('upload.settings')}</h2>
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
          gap: '8px 32px',
          alignItems: 'start',
        }}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save(
              adapter === 'rest'
                ? { adapter, server: server.trim() === '' ? null : server.trim() }
                : { adapter, folderPath: folder.trim() === '' ? null : folder.trim() },
              'destination',
            );
          }}
        >
          <div role="radiogroup" aria-label={t('upload.adapter')} style={{ display: 'flex', gap: '16px' }}>
            {(['rest', 'folder'] as const).map((a) => (
              <label key={a} style={{ display: 'flex', gap: '6px', alignItems: 'center' }}>
                <input
                  type="radio"
                  name="upload-adapter"
                  checked={adapter === a}
                  disabled={adapterLock !== null}
                  onChange={() => setAdapter(a)}
                />
                {t(`upload.adapter.${a}`)}
              </label>
            ))}
          </div>
          <LockedNote settingKey="upload.adapter" lock={adapterLock} />
          {adapter === 'rest' ? (
            <label className="field">
              {t('upload.server')}
              <input
                type="url"
                value={server}
                placeholder="https://motcua.example.gov.vn/api"
                disabled={serverLock !== null}
                onChange={(e) => setServer(e.target.value)}
              />
              <LockedNote settingKey="upload.server" lock={serverLock} />
            </label>
          ) : (
            <label className="field">
              {t('upload.folder')}
              <input
                type="text"
                value={folder}
                disabled={folderLock !== null}
                onChange={(e) => setFolder(e.target.value)}
              />
              <LockedNote settingKey="upload.folder.path" lock={folderLock} />
            </label>
          )}
          <p style={{ margin: '10px 0 0' }}>
            <button type="submit" className="button" disabled={busy}>
              {t('upload.save')}
            </button>
            {saved === 'destination' && (
              <span role="status" className="hint" style={{ marginLeft: '10px' }}>
                {t('upload.saved')}
              </span>
            )}
          </p>
        </form>

        {adapter === 'rest' && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (credential.trim() !== '') void save({ credential: { set: credential } }, 'credential');
            }}
          >
            <p style={{ margin: '8px 0 0' }} data-testid="credential-state">
              {t('upload.credentialState')}{' '}
              <strong data-credential={credentialState}>{t(`upload.credential.${credentialState}`)}</strong>
            </p>
            <label className="field">
              {t('upload.credential')}
              <input
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={credential}
                placeholder={t('upload.credential.placeholder')}
                onChange={(e) => setCredential(e.target.value)}
              />
            </label>
            <p className="hint" style={{ margin: '4px 0 0' }}>
              {t(settings?.credentialStore === 'os' ? 'upload.credential.os' : 'upload.credential.memory')}
            </p>
            <p style={{ margin: '8px 0 0', display: 'flex', gap: '8px', alignItems: 'center' }}>
              <button type="submit" className="button" disabled={busy || credential.trim() === ''}>
                {t('upload.credential.save')}
              </button>
              <button
                type="button"
                className="button"
                disabled={busy || credentialState !== 'stored'}
                onClick={() => void save({ credential: { clear: true } }, 'credential')}
              >
                {t('upload.credential.clear')}
              </button>
              {saved === 'credential' && (
                <span role="status" className="hint">
                  {t('upload.saved')}
                </span>
              )}
            </p>
          </form>
        )}
      </div>
      {error && <ErrorMessage error={error} />}
    </section>
  );
}
