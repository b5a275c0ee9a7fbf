// The pdf.js document of an opened document, read by ranges through the contract; destroyed when the
// document changes or the screen goes away.
import { useEffect, useState } from 'react';
import type { ContractError, OpenedDocument } from '../../shared/contract/index.js';
import { useApp } from '../app-context.js';
import type { RangeDocument } from './open-range-document.js';
import type { PDFDocumentProxy } from './pdfjs.js';

class ReadFailed extends Error {
  constructor(readonly error: ContractError) {
    super(error.message);
  }
}

export function useRangeDocument(doc: OpenedDocument | null): {
  pdf: PDFDocumentProxy | null;
  error: ContractError | null;
} {
  const { client } = useApp();
  const [state, setState] = useState<{ pdf: PDFDocumentProxy | null; error: ContractError | null }>({
    pdf: null,
    error: null,
  });
  const documentId = doc?.documentId ?? null;
  const size = doc?.size ?? 0;

  useEffect(() => {
    setState({ pdf: null, error: null });
    if (documentId === null) return;
    let opened: RangeDocument | null = null;
    let gone = false;
    const read = async (offset: number, length: number): Promise<Uint8Array> => {
      const r = await client.call('document.read', { documentId, offset, length });
      if (!r.ok) throw new ReadFailed(r.error);
      return r.value.bytes;
    };
    const readMany = async (ranges: readonly { offset: number; length: number }[]): Promise<Uint8Array[]> => {
      const r = await client.call('document.readMany', { documentId, ranges: [...ranges] });
      if (!r.ok) throw new ReadFailed(r.error);
      return [...r.value.parts];
    };
    // pdf.js loads on first use: the first screen does not wait for it.
    import('./open-range-document.js')
      .then(({ openRangeDocument }) => openRangeDocument(size, read, readMany))
      .then(
        (d) => {
          if (gone) void d.destroy();
          else {
            opened = d;
            setState({ pdf: d.pdf, error: null });
          }
        },
        (e: unknown) => {
          if (gone) return;
          setState({
            pdf: null,
            error: e instanceof ReadFailed ? e.error : { code: 'PDF_MALFORMED', message: String(e) },
          });
        },
      );
    return () => {
      gone = true;
      void opened?.destroy();
    };
  }, [client, documentId, size]);

  return state;
}
