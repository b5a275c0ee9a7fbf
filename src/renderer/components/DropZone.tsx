// The empty screen: a large drop target with the open button.
import type { ContractError } from '../../shared/contract/index.js';
import { useApp } from '../app-context.js';
import { Icon } from './Icon.js';
import { OpenPdfButton } from './OpenPdfButton.js';
import { usePdfDrop } from './use-pdf-drop.js';

export function DropZone(props: {
  intro: string;
  onPath: (path: string) => void;
  onError: (e: ContractError) => void;
}) {
  const { t } = useApp();
  const drop = usePdfDrop(props.onPath, props.onError);
  return (
    <div className={drop.active ? 'drop-zone active' : 'drop-zone'} {...drop.props} data-testid="drop-zone">
      <div className="drop-icon">
        <Icon name="upload" size={48} />
      </div>
      <div className="drop-title">{drop.active ? t('common.dropActive') : t('common.dropHere')}</div>
      <p>{props.intro}</p>
      <p>{t('common.dropHint')}</p>
      <OpenPdfButton primary onPath={props.onPath} />
    </div>
  );
}
