// The previewed request: its document as the server holds it (downloaded and checked against its
// SHA-256), and at the clerk's step the number and date the server keeps for it, shown before the
// seal is applied; "Từ chối" sends it back.
import { useEffect, useState } from 'react';
import type { CertificateRef, InboxItemView, OpenedDocument } from '../../../shared/contract/index.js';
import { useApp } from '../../app-context.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { DocumentViewer } from '../../pdf/DocumentViewer.js';
import { useRangeDocument } from '../../pdf/use-range-document.js';
import type { ContractError } from '../../../shared/contract/index.js';

export function InboxPreview(props: {
  item: InboxItemView;
  certificate: CertificateRef;
  reservation: { readonly number: string; readonly issuedDate: string } | null;
  busy: boolean;
  onReserved: (number: string, issuedDate: string) => void;
  onDecline: () => void;
}) {
  const { client, t } = useApp();
  const [doc, setDoc] = useState<OpenedDocument | null>(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<ContractError | null>(null);
  const { pdf } = useRangeDocument(doc);
  const { item, certificate, onReserved } = props;
  const needsNumber = item.stepKind === 'issue' && props.reservation === null;

  useEffect(() => {
    let gone = false;
    let opened: string | null = null;
    setDoc(null);
    setPage(1);
    setError(null);
    void (async () => {
      const got = await client.call('inbox.document', { certificate, id: item.id });
      if (gone) return;
      if (!got.ok) return setError(got.error);
      const r = await client.call('document.open', { path: got.value.path });
      if (!r.ok) return setError(r.error);
      opened = r.value.documentId;
      if (gone) void client.call('document.close', { documentId: opened });
      else setDoc(r.value);
    })();
    return () => {
      gone = true;
      if (opened !== null) void client.call('document.close', { documentId: opened });
    };
  }, [client, certificate, item.id]);

  // The clerk sees the number and date before sealing: the server keeps them for this request.
  useEffect(() => {
    if (!needsNumber) return;
    let gone = false;
    void client.call('inbox.reserve', { certificate, id: item.id }).then((r) => {
      if (gone) return;
      if (r.ok) onReserved(r.value.number, r.value.issuedDate);
      else setError(r.error);
    });
    return () => {
      gone = true;
    };
  }, [client, certificate, item.id, needsNumber, onReserved]);

  return (
    <section className="card inbox-preview" data-testid="inbox-preview">
      <div className="button-row">
        <h2 style={{ flex: 1 }}>{item.title ?? item.fileName}</h2>
        <button type="button" className="button" disabled={props.busy} onClick={props.onDecline}>
          {t('inbox.decline')}
        </button>
      </div>
      {item.stepKind === 'issue' && (
        <p className="notice" data-testid="inbox-issue">
          {props.reservation
            ? t('inbox.issueWillBe', { number: props.reservation.number, date: props.reservation.issuedDate })
            : t('inbox.issueReserving')}
        </p>
      )}
      {error && <ErrorMessage error={error} />}
      {doc && <DocumentViewer doc={doc} pdf={pdf} page={page} onPage={setPage} />}
    </section>
  );
}
