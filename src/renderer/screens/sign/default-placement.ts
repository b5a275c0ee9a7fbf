// Where the box goes when the engine finds no anchor ("CHỦ TỊCH"…) on the page: the template's
// usual size (the engine's defaults) at its usual place, for the user to drag where it belongs.
import type { AppearanceTemplateName, OpenedDocument, Placement } from '../../../shared/contract/index.js';

const SIZE: Record<AppearanceTemplateName, { width: number; height: number }> = {
  personal: { width: 200, height: 100 },
  seal: { width: 113, height: 113 },
  text: { width: 240, height: 48 },
  'certified-copy': { width: 260, height: 100 },
};

export function defaultPlacement(doc: OpenedDocument, template: AppearanceTemplateName): Placement {
  const pageNumber = template === 'certified-copy' ? doc.pageCount : 1;
  const page = doc.pages[pageNumber - 1] ?? { width: 595, height: 842 };
  const { width, height } = SIZE[template];
  const w = Math.min(width, page.width);
  const h = Math.min(height, page.height);
  const x = Math.max(0, page.width - w - 50);
  const y = template === 'text' ? 40 : Math.max(0, Math.min(page.height * 0.62, page.height - h - 60));
  return { page: pageNumber, rect: { x, y, width: w, height: h } };
}
