// The engine's real appearance for the box (appearance.preview: a one-page PDF the size of the box),
// asked again when the size, template or certificate changes, a moment after the last change.
import { useEffect, useState } from 'react';
import type {
  AppearanceTemplateName,
  CertificateRef,
  ContractError,
} from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import type { RangeDocument } from '../../pdf/open-range-document.js';
import type { PDFDocumentProxy } from '../../pdf/pdfjs.js';

const SETTLE_MS = 250;

export function useAppearancePreview(request: {
  template: AppearanceTemplateName;
  width: number;
  height: number;
  certificate: CertificateRef | null;
  docNumber: string;
  agency: string;
  /** Changed to ask again when what the drawing uses changed (an image imported in Cài đặt). */
  revision?: number;
}): { pdf: PDFDocumentProxy | null; error: ContractError | null } {
  const { client } = useApp();
  const [preview, setPreview] = useState<RangeDocument | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const { template, certificate, docNumber, agency } = request;
  const revision = request.revision ?? 0;
  // Whole points: a fraction of a point does not change the drawing, and would re-ask on every move.
  const width = Math.round(request.width);
  const height = Math.round(request.height);
  const certificateKey = certificate ? JSON.stringify(certificate) : '';

  // Another template or signer draws something else: never show the previous one meanwhile. (A new
  // size keeps the old drawing, stretched, until the new one comes.)
  useEffect(() => {
    setPreview(null);
    setError(null);
  }, [template, certificateKey, docNumber, agency, revision]);

  useEffect(() => {
    if (width <= 0 || height <= 0) return;
    let gone = false;
    const timer = setTimeout(() => {
      void (async () => {
        const r = await client.call('appearance.preview', {
          template,
          width,
          height,
          ...(certificateKey ? { certificate: JSON.parse(certificateKey) as CertificateRef } : {}),
          ...(docNumber ? { docNumber } : {}),
          ...(agency ? { agency } : {}),
        });
        if (gone) return;
        if (!r.ok) {
          setPreview(null);
          setError(r.error);
          return;
        }
        const { openBytesDocument } = await import('../../pdf/open-range-document.js');
        const doc = await openBytesDocument(r.value.pdf);
        if (gone) void doc.destroy();
        else {
          setError(null);
          setPreview(doc); // the effect below destroys the one it replaces
        }
      })();
    }, SETTLE_MS);
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [client, template, width, height, certificateKey, docNumber, agency, revision]);

  useEffect(() => () => void preview?.destroy(), [preview]);
  return { pdf: preview?.pdf ?? null, error };
}
