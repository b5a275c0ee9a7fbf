// What a viewer needs to lay out a document before showing it: each page's size as displayed (after
// /Rotate, within the CropBox), how many fields are signed, and where each signature's box is on its
// page in display coordinates (the app highlights a signature there, and places new boxes the same way).
import { PdfReader } from '../pdf/index.js';
import { signedWidgets } from './existing-signatures.js';
import { pageGeometry, userRectToDisplay, type DisplayRect, type Rotation } from './placement.js';

export interface PageLayout {
  /** Points, as displayed: width and height swap for /Rotate 90 and 270. */
  readonly width: number;
  readonly height: number;
  readonly rotation: Rotation;
}

export interface DocumentLayout {
  readonly pages: readonly PageLayout[];
  /** Signature fields that carry a value (signed), whatever their validity. */
  readonly signatureCount: number;
}

export interface SignatureBox {
  readonly fieldName: string;
  /** 1-based. */
  readonly page: number;
  /** The widget on the displayed page (top-left origin, points). */
  readonly rect: DisplayRect;
}

export async function documentLayout(input: string): Promise<DocumentLayout> {
  const reader = await PdfReader.open(input);
  try {
    const count = await reader.pageCount();
    const pages: PageLayout[] = [];
    for (let i = 0; i < count; i++) {
      const g = pageGeometry(await reader.getPage(i));
      pages.push({ width: g.width, height: g.height, rotation: g.rotate });
    }
    const fields = new Set((await signedWidgets(reader)).map((w) => w.fieldName));
    return { pages, signatureCount: fields.size };
  } finally {
    await reader.close();
  }
}

/** The boxes of the signed fields' widgets; widgets that no page lists, or without size, are left out. */
export async function signatureBoxes(input: string): Promise<SignatureBox[]> {
  const reader = await PdfReader.open(input);
  try {
    const out: SignatureBox[] = [];
    for (const w of await signedWidgets(reader)) {
      if (w.pageIndex === null || w.rect[2] - w.rect[0] <= 0 || w.rect[3] - w.rect[1] <= 0) continue;
      const g = pageGeometry(await reader.getPage(w.pageIndex));
      out.push({ fieldName: w.fieldName, page: w.pageIndex + 1, rect: userRectToDisplay(g, w.rect) });
    }
    return out;
  } finally {
    await reader.close();
  }
}
