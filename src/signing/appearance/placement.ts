// Where a box lies on a page as a person sees it, and where that is in the page's default user
// space. People place boxes on the page as displayed: origin at the top-left corner of the visible
// area (the CropBox), after /Rotate turned the page clockwise (ISO 32000-1 §7.7.3.3, §14.11.2).
// The widget's /Rect is in user space; the appearance's /Matrix turns its content back so that it
// stands upright on the displayed page (§12.5.5, Algorithm 8.1).
import { KysoError } from '../../shared/errors.js';
import type { PdfPage, PdfRect } from '../pdf/index.js';

/** A box on the displayed page, in points, origin at its top-left corner, y downwards. */
export interface DisplayRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type Rotation = 0 | 90 | 180 | 270;

export interface PageGeometry {
  /** The visible area in user space. */
  readonly cropBox: PdfRect;
  readonly rotate: Rotation;
  /** Width and height of the page as displayed (swapped for 90 and 270). */
  readonly width: number;
  readonly height: number;
}

export type Matrix = readonly [number, number, number, number, number, number];

export function pageGeometry(page: Pick<PdfPage, 'cropBox' | 'rotate'>): PageGeometry {
  const [x1, y1, x2, y2] = page.cropBox;
  const swap = page.rotate === 90 || page.rotate === 270;
  return {
    cropBox: page.cropBox,
    rotate: page.rotate,
    width: swap ? y2 - y1 : x2 - x1,
    height: swap ? x2 - x1 : y2 - y1,
  };
}

/** A point of the displayed page (top-left origin) in default user space. */
export function displayToUser(g: PageGeometry, dx: number, dy: number): [number, number] {
  const [x1, y1, x2, y2] = g.cropBox;
  switch (g.rotate) {
    case 0:
      return [x1 + dx, y2 - dy];
    case 90:
      return [x1 + dy, y1 + dx];
    case 180:
      return [x2 - dx, y1 + dy];
    case 270:
      return [x2 - dy, y2 - dx];
  }
}

/** A point of default user space on the displayed page (top-left origin). */
export function userToDisplay(g: PageGeometry, ux: number, uy: number): [number, number] {
  const [x1, y1, x2, y2] = g.cropBox;
  switch (g.rotate) {
    case 0:
      return [ux - x1, y2 - uy];
    case 90:
      return [uy - y1, ux - x1];
    case 180:
      return [x2 - ux, uy - y1];
    case 270:
      return [y2 - uy, x2 - ux];
  }
}

/** The user-space rectangle [x1 y1 x2 y2] covering a displayed box. */
export function displayRectToUser(g: PageGeometry, r: DisplayRect): PdfRect {
  const a = displayToUser(g, r.x, r.y);
  const b = displayToUser(g, r.x + r.width, r.y + r.height);
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
}

/** The displayed box covering a user-space rectangle. */
export function userRectToDisplay(g: PageGeometry, r: PdfRect): DisplayRect {
  const a = userToDisplay(g, r[0], r[1]);
  const b = userToDisplay(g, r[2], r[3]);
  const x = Math.min(a[0], b[0]);
  const y = Math.min(a[1], b[1]);
  return { x, y, width: Math.max(a[0], b[0]) - x, height: Math.max(a[1], b[1]) - y };
}

/**
 * The appearance stream's /Matrix for content drawn upright in a w × h box: a rotation by the page's
 * /Rotate (counter-clockwise in user space, which the viewer's clockwise turn undoes), translated
 * so the rotated box starts at the origin.
 */
export function uprightMatrix(rotate: Rotation, w: number, h: number): Matrix {
  switch (rotate) {
    case 0:
      return [1, 0, 0, 1, 0, 0];
    case 90:
      return [0, 1, -1, 0, h, 0];
    case 180:
      return [-1, 0, 0, -1, w, h];
    case 270:
      return [0, -1, 1, 0, 0, w];
  }
}

const EPSILON = 0.01;

/** RECT_OUTSIDE_PAGE unless the box has a size and lies within the displayed page. */
export function assertInsidePage(g: PageGeometry, r: DisplayRect): void {
  const ok =
    [r.x, r.y, r.width, r.height].every(Number.isFinite) &&
    r.width > 0 &&
    r.height > 0 &&
    r.x >= -EPSILON &&
    r.y >= -EPSILON &&
    r.x + r.width <= g.width + EPSILON &&
    r.y + r.height <= g.height + EPSILON;
  if (!ok) {
    throw new KysoError(
      'RECT_OUTSIDE_PAGE',
      `The box ${fmt(r)} does not fit on the page (${round(g.width)} × ${round(g.height)} pt as displayed).`,
      { details: { rect: fmt(r), pageWidth: round(g.width), pageHeight: round(g.height) } },
    );
  }
}

/** Moves a box into the page when it sticks out (a default placement near an edge). */
export function clampIntoPage(g: PageGeometry, r: DisplayRect): DisplayRect {
  const x = Math.min(Math.max(0, r.x), Math.max(0, g.width - r.width));
  const y = Math.min(Math.max(0, r.y), Math.max(0, g.height - r.height));
  return { x, y, width: r.width, height: r.height };
}

const round = (n: number): number => Math.round(n * 100) / 100;
const fmt = (r: DisplayRect): string => `${round(r.x)},${round(r.y)},${round(r.width)},${round(r.height)}`;

/** Parses "x,y,w,h" (points; spaces allowed); USAGE when it is not four numbers with w, h > 0. */
export function parseDisplayRect(text: string): DisplayRect {
  const parts = text.split(',').map((p) => p.trim());
  const n = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || n.some((v) => !Number.isFinite(v))) {
    const reason = `--rect takes x,y,w,h in points from the top-left corner of the page, not "${text}"`;
    throw new KysoError('USAGE', reason, { details: { reason } });
  }
  const [x, y, width, height] = n as [number, number, number, number];
  if (width <= 0 || height <= 0) {
    const reason = `--rect needs a positive width and height, not "${text}"`;
    throw new KysoError('USAGE', reason, { details: { reason } });
  }
  return { x, y, width, height };
}
