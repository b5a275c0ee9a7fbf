// The page list on the left. A thumbnail is drawn only once it scrolls into view (a 120-page scan
// must not be read whole to show its thumbnails), and only after the main page is on screen.
import { useEffect, useRef, useState } from 'react';
import type { PageInfo } from '../../shared/contract/index.js';
import { useApp } from '../app-context.js';
import { PageCanvas } from './PageCanvas.js';
import type { PDFDocumentProxy } from './pdfjs.js';

const WIDTH = 92;

function Thumbnail(props: {
  pdf: PDFDocumentProxy | null;
  page: number;
  info: PageInfo;
  current: boolean;
  marked: boolean;
  enabled: boolean;
  onSelect: () => void;
}) {
  const { t } = useApp();
  const ref = useRef<HTMLButtonElement>(null);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || seen) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setSeen(true);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [seen]);
  const scale = WIDTH / props.info.width;
  const label = t('viewer.thumbnail', { page: props.page });
  return (
    <li>
      <button
        ref={ref}
        type="button"
        className="thumbnail"
        aria-current={props.current}
        aria-label={label}
        onClick={props.onSelect}
      >
        {props.pdf && seen && props.enabled ? (
          <PageCanvas pdf={props.pdf} pageNumber={props.page} scale={scale} />
        ) : (
          <span
            className="thumbnail-placeholder"
            style={{ width: `${WIDTH}px`, height: `${props.info.height * scale}px` }}
          />
        )}
        <span className={props.marked ? 'has-box' : undefined}>
          {props.page}
          {props.marked ? ' ✎' : ''}
        </span>
      </button>
    </li>
  );
}

export function Thumbnails(props: {
  pdf: PDFDocumentProxy | null;
  pages: readonly PageInfo[];
  current: number;
  marked: ReadonlySet<number>;
  enabled: boolean;
  onSelect: (page: number) => void;
}) {
  const { t } = useApp();
  return (
    <ol className="thumbnails" aria-label={t('viewer.thumbnails')}>
      {props.pages.map((info, i) => (
        <Thumbnail
          key={i}
          pdf={props.pdf}
          page={i + 1}
          info={info}
          current={props.current === i + 1}
          marked={props.marked.has(i + 1)}
          enabled={props.enabled}
          onSelect={() => props.onSelect(i + 1)}
        />
      ))}
    </ol>
  );
}
