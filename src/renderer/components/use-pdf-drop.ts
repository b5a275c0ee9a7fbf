// Drag and drop of a PDF onto a screen: the bridge turns the dropped file into a path the services
// can open (Electron: the file's own path; web host: the file found in its --files folder).
import { useState, type DragEvent } from 'react';
import type { ContractError } from '../../shared/contract/index.js';
import { useApp } from '../app-context.js';

export function usePdfDrop(onPath: (path: string) => void, onError: (error: ContractError) => void) {
  const { client, t } = useApp();
  const [active, setActive] = useState(false);
  const hasFiles = (e: DragEvent): boolean => e.dataTransfer.types.includes('Files');
  return {
    active,
    props: {
      onDragOver(e: DragEvent) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setActive(true);
      },
      onDragLeave(e: DragEvent) {
        if (e.currentTarget === e.target) setActive(false);
      },
      onDrop(e: DragEvent) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        // The drop zone sits inside a screen that accepts drops too: open the file once.
        e.stopPropagation();
        setActive(false);
        const file = e.dataTransfer.files[0];
        if (!file) return;
        if (!/\.pdf$/i.test(file.name) && file.type !== 'application/pdf') {
          onError({ code: 'PDF_NOT_PDF', message: t('common.dropNotPdf') });
          return;
        }
        void client.pathForFile({ name: file.name, size: file.size }).then((path) => {
          if (path) onPath(path);
          else onError({ code: 'INPUT_NOT_FOUND', message: t('common.dropNoPath') });
        });
      },
    },
  };
}
