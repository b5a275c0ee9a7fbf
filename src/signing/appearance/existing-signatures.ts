// The signatures a document already carries, as the seal template needs them: where each signed
// widget sits and where its image is drawn (the seal goes over the left third of the competent
// person's signature image), and the Decree 30 art. 32 rule that an agency seals only a document
// that carries a valid signature of the competent person.
import { KysoError } from '../../shared/errors.js';
import { PdfArray, PdfDict, PdfRef, PdfStream, type PdfReader, type PdfRect } from '../pdf/index.js';
import { readRect, scanAppearance } from './page-content.js';

export interface SignedWidget {
  readonly fieldName: string;
  /** 0-based page the widget is on; null when no page lists it. */
  readonly pageIndex: number | null;
  readonly rect: PdfRect;
  /** Boxes (user space) of the images its normal appearance draws, largest first. */
  readonly imageBoxes: readonly PdfRect[];
}

/** The part of a verifier's report the seal rule reads (a verifyPdf result maps onto it). */
export interface ExistingSignature {
  readonly fieldName: string;
  /** Cryptographically valid and made with a certificate the policy trusts. */
  readonly valid: boolean;
}

/** Pages to look through for a widget without /P: beyond this, such a widget is left unplaced. */
const MAX_PAGES_SCANNED = 5000;

async function widgetPages(reader: PdfReader): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const count = Math.min(await reader.pageCount(), MAX_PAGES_SCANNED);
  for (let i = 0; i < count; i++) {
    const page = await reader.getPage(i);
    out.set(`page:${page.ref.key}`, i);
    const annots = await reader.resolve(page.dict.get('Annots') ?? null);
    if (annots instanceof PdfArray) {
      for (const a of annots.items) if (a instanceof PdfRef && !out.has(a.key)) out.set(a.key, i);
    }
  }
  return out;
}

/** Every signed signature field's widgets (fields whose /V is a signature dictionary), in form order. */
export async function signedWidgets(reader: PdfReader): Promise<SignedWidget[]> {
  const fields = (await reader.fields()).filter((f) => f.fieldType === 'Sig');
  const out: SignedWidget[] = [];
  let pages: Map<string, number> | null = null;
  for (const field of fields) {
    const v = await reader.resolve(field.dict.get('V') ?? null);
    if (!(v instanceof PdfDict)) continue;
    for (const widget of field.widgets) {
      const rect = await readRect(reader, widget.dict.get('Rect'));
      if (rect === null) continue;
      pages ??= await widgetPages(reader);
      const p = widget.dict.getRef('P');
      const pageIndex = pages.get(widget.ref.key) ?? (p ? pages.get(`page:${p.key}`) : undefined) ?? null;
      const ap = await reader.resolve(widget.dict.get('AP') ?? null);
      const normal = ap instanceof PdfDict ? await reader.resolve(ap.get('N') ?? null) : null;
      const imageBoxes =
        normal instanceof PdfStream
          ? (await scanAppearance(reader, normal, rect)).images
              .map((i) => i.box)
              .sort((a, b) => (b[2] - b[0]) * (b[3] - b[1]) - (a[2] - a[0]) * (a[3] - a[1]))
          : [];
      out.push({ fieldName: field.fullName, pageIndex, rect, imageBoxes });
    }
  }
  return out;
}

/**
 * The document's own structure, for callers that have no verifier report (AppearanceRequest
 * .existingSignatures): every signed field counts, and `valid` only means "present". The CLI passes
 * verifyPdf's verdicts instead; the library API should too.
 */
export async function signaturesInDocument(reader: PdfReader): Promise<ExistingSignature[]> {
  const out: ExistingSignature[] = [];
  for (const field of await reader.fields()) {
    if (field.fieldType !== 'Sig') continue;
    const v = await reader.resolve(field.dict.get('V') ?? null);
    if (v instanceof PdfDict && v.getName('Type') !== 'DocTimeStamp' && v.has('Contents')) {
      out.push({ fieldName: field.fullName, valid: true });
    }
  }
  return out;
}

/**
 * Decree 30/2020/NĐ-CP art. 32: the agency's signature (the seal) goes only on a document that
 * carries a valid signature of the competent person. SEAL_WITHOUT_SIGNATURE unless `override`.
 */
export function assertSealAllowed(signatures: readonly ExistingSignature[], override: boolean): void {
  if (override || signatures.some((s) => s.valid)) return;
  throw new KysoError(
    'SEAL_WITHOUT_SIGNATURE',
    "The document carries no valid signature of a competent person; the agency's seal is refused (Decree 30, art. 32).",
    { details: { signatures: signatures.length } },
  );
}
