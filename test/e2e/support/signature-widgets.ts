// Where a signed file's signature widgets are, read from the PDF itself (pdf-lib, independent of the
// app and of the engine's own placement code), in the app's display coordinates: points from the
// top-left corner of the page as displayed, after /Rotate.
import { readFileSync } from 'node:fs';
import { PDFArray, PDFDocument, PDFName, PDFSignature } from '@cantoo/pdf-lib';

export interface DisplayRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SignatureWidget {
  field: string;
  /** 1-based. */
  page: number;
  rect: DisplayRect;
}

/** A user-space rectangle on a page (box = its CropBox) as seen on screen after rotating by `rotation`. */
export function toDisplay(
  r: { x1: number; y1: number; x2: number; y2: number },
  box: { x: number; y: number; width: number; height: number },
  rotation: number,
): DisplayRect {
  const w = r.x2 - r.x1;
  const h = r.y2 - r.y1;
  switch (((rotation % 360) + 360) % 360) {
    case 90:
      return { x: r.y1 - box.y, y: r.x1 - box.x, width: h, height: w };
    case 180:
      return { x: box.x + box.width - r.x2, y: r.y1 - box.y, width: w, height: h };
    case 270:
      return { x: box.y + box.height - r.y2, y: box.x + box.width - r.x2, width: h, height: w };
    default:
      return { x: r.x1 - box.x, y: box.y + box.height - r.y2, width: w, height: h };
  }
}

export async function signatureWidgets(file: string): Promise<SignatureWidget[]> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const pages = doc.getPages();
  const out: SignatureWidget[] = [];
  for (const field of doc.getForm().getFields()) {
    if (!(field instanceof PDFSignature)) continue;
    for (const widget of field.acroField.getWidgets()) {
      const widgetRef = doc.context.getObjectRef(widget.dict);
      const pageRef = widget.dict.get(PDFName.of('P'));
      // /P is optional: else the page whose /Annots lists the widget.
      const index = pages.findIndex(
        (p) =>
          (pageRef !== undefined && p.ref === pageRef) ||
          (widgetRef !== undefined &&
            (p.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []).includes(widgetRef)),
      );
      const page = pages[index];
      if (!page) continue;
      const r = widget.getRectangle();
      out.push({
        field: field.getName(),
        page: index + 1,
        rect: toDisplay(
          { x1: r.x, y1: r.y, x2: r.x + r.width, y2: r.y + r.height },
          page.getCropBox(),
          page.getRotation().angle,
        ),
      });
    }
  }
  return out;
}
