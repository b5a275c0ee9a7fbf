// pdf.js, set up once for the app: its worker is a file of the bundle (a strict CSP allows
// worker-src 'self'), no eval, and its fonts and CMaps come from beside the bundle (vite.config.ts).
import { GlobalWorkerOptions } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export const pdfjsAssets = {
  standardFontDataUrl: new URL('./pdfjs/standard_fonts/', document.baseURI).href,
  cMapUrl: new URL('./pdfjs/cmaps/', document.baseURI).href,
  cMapPacked: true,
  isEvalSupported: false,
} as const;

export * from 'pdfjs-dist';
