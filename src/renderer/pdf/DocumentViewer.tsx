// A document on screen: thumbnails, the page toolbar (page, zoom) and the current page, with a layer
// above the page for what the screen draws there (the signature box, a highlighted signature).
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { OpenedDocument } from '../../shared/contract/index.js';
import { useApp } from '../app-context.js';
import { PageCanvas } from './PageCanvas.js';
import type { PDFDocumentProxy } from './pdfjs.js';
import { Thumbnails } from './Thumbnails.js';

const ZOOM_STEPS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3];
const PAGE_MARGIN = 48;

export interface DocumentViewerProps {
  readonly doc: OpenedDocument;
  readonly pdf: PDFDocumentProxy | null;
  /** 1-based. */
  readonly page: number;
  readonly onPage: (page: number) => void;
  /** Drawn over the current page; `scale` is CSS pixels per point. */
  readonly overlay?: (scale: number) => ReactNode;
  readonly marked?: ReadonlySet<number>;
  readonly onPageShown?: () => void;
}

export function DocumentViewer({
  doc,
  pdf,
  page,
  onPage,
  overlay,
  marked,
  onPageShown,
}: DocumentViewerProps) {
  const { t } = useApp();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [available, setAvailable] = useState(0);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [shown, setShown] = useState<{ page: number; doc: string } | null>(null);
  const [failed, setFailed] = useState(false);
  const info = doc.pages[page - 1] ?? doc.pages[0];

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setAvailable(el.clientWidth));
    observer.observe(el);
    setAvailable(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  useEffect(() => setFailed(false), [doc.documentId, page]);

  const width = info?.width ?? 595;
  const height = info?.height ?? 842;
  const fit = available > 0 ? Math.max(0.25, Math.min(2, (available - PAGE_MARGIN) / width)) : 1;
  const scale = zoom === 'fit' ? fit : zoom;
  const percent = Math.round(scale * 100);

  const stepZoom = (direction: 1 | -1): void => {
    const next =
      direction > 0
        ? ZOOM_STEPS.find((z) => z > scale + 0.01)
        : [...ZOOM_STEPS].reverse().find((z) => z < scale - 0.01);
    if (next !== undefined) setZoom(next);
  };
  const go = (p: number): void => onPage(Math.min(doc.pageCount, Math.max(1, p)));
  const firstShown = shown !== null && shown.doc === doc.documentId;

  return (
    <div className="viewer">
      <Thumbnails
        pdf={pdf}
        pages={doc.pages}
        current={page}
        marked={marked ?? new Set()}
        enabled={firstShown}
        onSelect={go}
      />
      <section className="page-area" aria-label={t('viewer.label')}>
        <div className="page-toolbar">
          <button
            type="button"
            className="button small icon-button"
            aria-label={t('viewer.prevPage')}
            disabled={page <= 1}
            onClick={() => go(page - 1)}
          >
            ‹
          </button>
          <span className="page-number" aria-live="polite">
            {t('viewer.page', { page, count: doc.pageCount })}
          </span>
          <button
            type="button"
            className="button small icon-button"
            aria-label={t('viewer.nextPage')}
            disabled={page >= doc.pageCount}
            onClick={() => go(page + 1)}
          >
            ›
          </button>
          <span style={{ flex: 1 }} />
          <button
            type="button"
            className="button small icon-button"
            aria-label={t('viewer.zoomOut')}
            onClick={() => stepZoom(-1)}
          >
            −
          </button>
          <span aria-live="polite">{t('viewer.zoom', { percent })}</span>
          <button
            type="button"
            className="button small icon-button"
            aria-label={t('viewer.zoomIn')}
            onClick={() => stepZoom(1)}
          >
            +
          </button>
          <button
            type="button"
            className="button small"
            aria-pressed={zoom === 'fit'}
            onClick={() => setZoom('fit')}
          >
            {t('viewer.fitWidth')}
          </button>
        </div>
        <div
          ref={scrollRef}
          className="page-scroll"
          tabIndex={-1}
          onKeyDown={(e) => {
            if (e.key === 'PageDown') go(page + 1);
            else if (e.key === 'PageUp') go(page - 1);
          }}
        >
          <div
            className="page-frame"
            data-page={page}
            data-scale={scale}
            data-shown={shown?.page === page && shown.doc === doc.documentId ? 'true' : undefined}
            style={{ width: `${width * scale}px`, height: `${height * scale}px` }}
          >
            {pdf && available > 0 && (
              <PageCanvas
                pdf={pdf}
                pageNumber={page}
                scale={scale}
                label={t('viewer.page', { page, count: doc.pageCount })}
                onRendered={() => {
                  performance.mark('kyso:page-shown');
                  setShown({ page, doc: doc.documentId });
                  onPageShown?.();
                }}
                onFailed={() => setFailed(true)}
              />
            )}
            {failed ? (
              <div className="page-status">{t('viewer.renderFailed')}</div>
            ) : (
              !firstShown && <div className="page-status">{t('viewer.rendering')}</div>
            )}
            {overlay?.(scale)}
          </div>
        </div>
      </section>
    </div>
  );
}
