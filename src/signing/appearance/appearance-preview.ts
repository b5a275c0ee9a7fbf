// A preview of a visible signature as the engine will write it: a one-page PDF whose page is exactly
// the box, drawn by createAppearance itself (same template, fonts, image and time format) on a blank
// page, so the app overlays the real appearance while the user places it, not a mock-up.
import {
  IncrementalUpdate,
  PdfReader,
  PdfRef,
  PdfStream,
  pdfArray,
  pdfDict,
  pdfInt,
  pdfName,
  pdfReal,
  type PdfValue,
} from '../pdf/index.js';
import { createAppearance, type AppearanceRequest, type AppearanceSigner } from './signature-appearance.js';

export interface AppearancePreviewRequest {
  /** The box's size in points; the preview's page has exactly this size. */
  readonly width: number;
  readonly height: number;
  /** The template and its inputs; rect, anchor and field are ignored (the box is the page). */
  readonly appearance: AppearanceRequest;
  /** The signer shown; a placeholder name when the user has not chosen a certificate yet. */
  readonly signer: AppearanceSigner;
  readonly signingTime: Date;
}

export interface AppearancePreview {
  readonly pdf: Buffer;
}

const r3 = (n: number): string => String(Math.round(n * 1000) / 1000);
/** A size as the box gave it: whole points stay integers (180, not 180.0). */
const num = (n: number): PdfValue => {
  const v = Math.round(n * 1000) / 1000;
  return Number.isInteger(v) ? pdfInt(v) : pdfReal(v);
};

/** A blank one-page PDF of w × h points (objects 1–3), with its cross-reference table. */
function blankPage(width: number, height: number): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${r3(width)} ${r3(height)}] /Resources << >> >>`,
  ];
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n\r\n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * Room around the box on the page the engine draws on: a template of a fixed real size (the seal, as
 * large as its image says, with its text lines below) is centred on the box and may overflow it.
 */
const ROOM = 2000;

export async function renderAppearancePreview(request: AppearancePreviewRequest): Promise<AppearancePreview> {
  const { width, height } = request;
  // The box sits in the middle of a large blank page, so that whatever the engine draws around it is
  // on the page (a box at the page's corner would refuse a seal larger than the box: RECT_OUTSIDE_PAGE).
  const base = blankPage(width + 2 * ROOM, height + 2 * ROOM);
  const reader = await PdfReader.open(base);
  try {
    const { rect: _rect, anchor: _anchor, fieldName: _field, ...rest } = request.appearance;
    const widget = await createAppearance(
      {
        ...rest,
        rect: { x: ROOM, y: ROOM, width, height },
        // A preview signs nothing: the seal rule is checked when signing.
        existingSignatures: [],
        allowSealWithoutSignature: true,
      },
      { reader, pageIndex: 0, certificate: request.signer, signingTime: request.signingTime },
    );
    const update = new IncrementalUpdate(reader);
    const form = widget.build(update);
    // The preview's page: the box, grown to what the engine draws when that is larger (a seal at its
    // real size over a smaller box), so the preview shows all of it.
    const [x1, y1, x2, y2] = widget.rect;
    const left = Math.min(ROOM, x1);
    const bottom = Math.min(ROOM, y1);
    const pageWidth = Math.max(ROOM + width, x2) - left;
    const pageHeight = Math.max(ROOM + height, y2) - bottom;
    const content = update.allocate();
    update.set(
      content,
      PdfStream.fromBytes(
        pdfDict({}),
        Buffer.from(`q 1 0 0 1 ${r3(x1 - left)} ${r3(y1 - bottom)} cm /KysoBox Do Q\n`, 'latin1'),
      ),
    );
    update.set(
      new PdfRef(3, 0),
      pdfDict({
        Type: pdfName('Page'),
        Parent: new PdfRef(2, 0),
        MediaBox: pdfArray(pdfInt(0), pdfInt(0), num(pageWidth), num(pageHeight)),
        Resources: pdfDict({ XObject: pdfDict({ KysoBox: form }) }),
        Contents: content,
      }),
    );
    return { pdf: Buffer.concat([base, update.serialize().bytes]) };
  } finally {
    await reader.close();
  }
}
