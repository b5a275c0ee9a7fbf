// The signature box on the page: dragged and resized with the mouse (or the arrow keys), showing
// the engine's real appearance for its size. Coordinates are points from the page's top-left as
// displayed; `scale` is CSS pixels per point.
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { DisplayRectValue } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { PageCanvas } from '../../pdf/PageCanvas.js';
import type { PDFDocumentProxy } from '../../pdf/pdfjs.js';

interface Drag {
  readonly mode: 'move' | 'resize';
  readonly startX: number;
  readonly startY: number;
  readonly rect: DisplayRectValue;
}

export interface SignatureBoxProps {
  readonly rect: DisplayRectValue;
  readonly scale: number;
  readonly label: string;
  readonly preview: PDFDocumentProxy | null;
  readonly onChange: (rect: DisplayRectValue) => void;
}

export function SignatureBox({ rect, scale, label, preview, onChange }: SignatureBoxProps) {
  const { t } = useApp();
  const drag = useRef<Drag | null>(null);
  const [dragging, setDragging] = useState(false);

  const start = (mode: Drag['mode']) => (e: PointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { mode, startX: e.clientX, startY: e.clientY, rect };
    setDragging(true);
  };
  const move = (e: PointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = (e.clientX - d.startX) / scale;
    const dy = (e.clientY - d.startY) / scale;
    onChange(
      d.mode === 'move'
        ? { ...d.rect, x: d.rect.x + dx, y: d.rect.y + dy }
        : { ...d.rect, width: d.rect.width + dx, height: d.rect.height + dy },
    );
  };
  const end = (e: PointerEvent<HTMLElement>) => {
    if (!drag.current) return;
    move(e);
    drag.current = null;
    setDragging(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 10 : 1;
    const delta: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const d = delta[e.key];
    if (!d) return;
    e.preventDefault();
    onChange(
      e.altKey
        ? { ...rect, width: rect.width + d[0], height: rect.height + d[1] }
        : { ...rect, x: rect.x + d[0], y: rect.y + d[1] },
    );
  };

  const round = (v: number): number => Math.round(v);
  const previewScale = preview ? scale : 0;
  return (
    <div
      className={dragging ? 'signature-box dragging' : 'signature-box'}
      role="group"
      tabIndex={0}
      aria-roledescription={t('place.boxRole')}
      aria-describedby="signature-box-help"
      aria-label={`${label}. ${t('place.moved', {
        x: round(rect.x),
        y: round(rect.y),
        width: round(rect.width),
        height: round(rect.height),
      })}`}
      data-testid="signature-box"
      data-rect={JSON.stringify(rect)}
      style={{
        left: `${rect.x * scale}px`,
        top: `${rect.y * scale}px`,
        width: `${rect.width * scale}px`,
        height: `${rect.height * scale}px`,
      }}
      onPointerDown={start('move')}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
      onKeyDown={onKeyDown}
    >
      <span id="signature-box-help" className="visually-hidden">
        {t('place.box')}
      </span>
      <span className="box-label" aria-hidden="true">
        {label}
      </span>
      {preview && <PageCanvas pdf={preview} pageNumber={1} scale={previewScale} label={t('place.preview')} />}
      <span
        className="resize-handle"
        role="presentation"
        title={t('place.resize')}
        data-testid="signature-box-resize"
        onPointerDown={start('resize')}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
      />
    </div>
  );
}
