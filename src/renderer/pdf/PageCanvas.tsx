// One PDF page drawn on a canvas at the screen's real pixel density (devicePixelRatio), so text stays
// sharp on high-DPI screens. `scale` is CSS pixels per PDF point.
import { useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy, RenderTask } from './pdfjs.js';

export interface PageCanvasProps {
  readonly pdf: PDFDocumentProxy;
  /** 1-based. */
  readonly pageNumber: number;
  readonly scale: number;
  readonly className?: string;
  readonly label?: string;
  readonly onRendered?: () => void;
  readonly onFailed?: (error: unknown) => void;
}

export function PageCanvas({
  pdf,
  pageNumber,
  scale,
  className,
  label,
  onRendered,
  onFailed,
}: PageCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  // Callbacks change identity on each render of the parent: read them through a ref.
  const callbacks = useRef({ onRendered, onFailed });
  callbacks.current = { onRendered, onFailed };

  useEffect(() => {
    let task: RenderTask | null = null;
    let cancelled = false;
    void (async () => {
      try {
        const page = await pdf.getPage(pageNumber);
        if (cancelled) return;
        const viewport = page.getViewport({ scale });
        const ratio = window.devicePixelRatio || 1;
        const canvas = canvasRef.current;
        if (!canvas) return;
        canvas.width = Math.max(1, Math.floor(viewport.width * ratio));
        canvas.height = Math.max(1, Math.floor(viewport.height * ratio));
        setSize({ width: viewport.width, height: viewport.height });
        task = page.render({
          canvas,
          viewport,
          transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
        });
        await task.promise;
        if (!cancelled) callbacks.current.onRendered?.();
      } catch (error) {
        if (cancelled || (error instanceof Error && error.name === 'RenderingCancelledException')) return;
        callbacks.current.onFailed?.(error);
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, pageNumber, scale]);

  return (
    <canvas
      ref={canvasRef}
      className={className}
      role="img"
      aria-label={label}
      style={size ? { width: `${size.width}px`, height: `${size.height}px` } : undefined}
    />
  );
}
