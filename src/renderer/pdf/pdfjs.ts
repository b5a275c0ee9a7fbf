// pdf.js, set up once for the app: its worker is a file of the bundle (a strict CSP allows
// worker-src 'self'), no eval, and its fonts and CMaps come from beside the bundle (vite.config.ts).
import { GlobalWorkerOptions, PDFWorker } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export const pdfjsAssets = {
  standardFontDataUrl: new URL('./pdfjs/standard_fonts/', document.baseURI).href,
  cMapUrl: new URL('./pdfjs/cmaps/', document.baseURI).href,
  cMapPacked: true,
  isEvalSupported: false,
} as const;

let shared: PDFWorker | null = null;

/**
 * One worker for every document the app shows (pages and appearance previews): starting pdf.js's
 * worker (a 1.2 MB script) costs more than reading a page, so it is started once, early.
 */
export function pdfWorker(): PDFWorker {
  shared ??= new PDFWorker();
  return shared;
}

export * from 'pdfjs-dist';
