// "Mở tệp PDF": the open dialog is a service (native in Electron, answered by the web host here).
import { useApp } from '../app-context.js';
import { Icon } from './Icon.js';

export function OpenPdfButton({ onPath, primary }: { onPath: (path: string) => void; primary?: boolean }) {
  const { client, t } = useApp();
  return (
    <button
      type="button"
      className={primary ? 'button primary' : 'button'}
      onClick={() => {
        void client.call('dialog.openPdf', {}).then((r) => {
          if (r.ok && r.value.path) onPath(r.value.path);
        });
      }}
    >
      <Icon name="open" size={18} />
      {t('common.openPdf')}
    </button>
  );
}
