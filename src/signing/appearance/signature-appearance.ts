// The visible signature of Decree 30/2020/NĐ-CP, Appendix I: which page, where on it, and the
// widget's normal appearance (a form XObject, ISO 32000-1 §8.10, §12.5.5) for each template —
// personal (signature image, "Ký bởi", "Thời gian ký"), seal (the seal at its real size over the
// left third of the personal signature image), text (agency, number, time; top right of page 1) and
// certified-copy (the certification statement on the last page). `prepareAppearance` checks every
// input against the document before any PIN is asked; the returned callback draws the appearance
// inside signPdf with the signer's certificate and the /M time.
import { KysoError } from '../../shared/errors.js';
import { kysoHome } from '../home.js';
import {
  PdfArray,
  PdfReader,
  PdfRef,
  PdfStream,
  pdfArray,
  pdfDict,
  pdfInt,
  pdfName,
  pdfReal,
  type IncrementalUpdate,
  type PdfRect,
  type PdfValue,
} from '../pdf/index.js';
import { loadAppearanceFont } from './appearance-font.js';
import {
  AppearanceSettingsSchema,
  fillLines,
  rgbOf,
  templateStyle,
  type AppearanceSettings,
  type AppearanceTemplate,
  type TemplateStyle,
} from './appearance-settings.js';
import { EmbeddedFont } from './embedded-font.js';
import {
  assertSealAllowed,
  signaturesInDocument,
  signedWidgets,
  type ExistingSignature,
  type SignedWidget,
} from './existing-signatures.js';
import { findText, readRect, scanPage } from './page-content.js';
import {
  assertInsidePage,
  clampIntoPage,
  displayRectToUser,
  pageGeometry,
  uprightMatrix,
  userRectToDisplay,
  type DisplayRect,
  type PageGeometry,
} from './placement.js';
import {
  addImageXObject,
  naturalSizePt,
  readSignatureImage,
  type SignatureImage,
} from './signature-image.js';
import { imageWarnings, storedImagePath, type ImageWarning } from './signature-image-store.js';
import { wallClock } from '../../shared/vietnam-time.js';
import { formatSigningTime } from './signing-time-format.js';
import { BASELINE, LINE_HEIGHT, layoutText, type TextLayout } from './text-layout.js';

/** The facts of the signer's certificate an appearance shows (CertificateInfo provides them). */
export interface AppearanceSigner {
  readonly subjectCN: string | undefined;
  readonly subjectDN: string;
  readonly subjectOrganization: string | undefined;
  readonly subjectTitle: string | undefined;
  /** SHA-256 of the certificate, hex: the key of the signer's stored images. */
  readonly sha256: string;
}

/** What signPdf hands an appearance (its AppearanceContext). */
export interface AppearanceContext {
  readonly reader: PdfReader;
  readonly pageIndex: number;
  readonly certificate: AppearanceSigner;
  readonly signingTime: Date;
}

/** What signPdf takes back (its WidgetAppearance): the widget's /Rect and the appearance builder. */
export interface AppearanceWidget {
  readonly rect: readonly [number, number, number, number];
  readonly build: (update: IncrementalUpdate) => PdfRef;
}

export interface AppearanceRequest {
  readonly template: AppearanceTemplate;
  /** The signature or seal image; the signer's stored image (per certificate) when absent. */
  readonly image?: string;
  /** Where the box goes on the displayed page (top-left origin, points). */
  readonly rect?: DisplayRect;
  /** Place the box below this text of the page (e.g. "CHỦ TỊCH"). */
  readonly anchor?: string;
  /**
   * Without `anchor` (or a box, or a field): the first of these texts the document has (on the
   * last page that has it) places the box, as `anchor` would; none found: the template's usual
   * place, not an error. For documents of many shapes signed unattended (the signing inbox).
   */
  readonly anchorCandidates?: readonly string[];
  /** Sign into this existing empty field: its widget gives page and box. */
  readonly fieldName?: string;
  /** "Số: …" of the text template. */
  readonly docNumber?: string;
  /** The agency shown by the text template, instead of the certificate's organisation. */
  readonly organization?: string;
  /** The certification number and register book of a certified copy. */
  readonly certification?: { readonly number?: string; readonly book?: string };
  /** The seal's diameter in mm, instead of the settings' or the image's DPI. */
  readonly sealDiameterMm?: number;
  /** Seal a document that carries no signature of a competent person (the user insisted). */
  readonly allowSealWithoutSignature?: boolean;
  /**
   * The document's signatures as the verifier judged them (verifyPdf's report mapped by the caller):
   * the seal rule reads these. Without them it counts every signed field as valid.
   */
  readonly existingSignatures?: readonly ExistingSignature[];
  /** Parsed appearance settings; the defaults when absent. */
  readonly settings?: AppearanceSettings;
  /** The data folder holding stored images (KYSO_HOME by default). */
  readonly home?: string;
}

export type AppearanceWarning =
  ImageWarning | { readonly code: 'SEAL_SIZE_ASSUMED'; readonly vi: string; readonly en: string };

export interface PreparedAppearance {
  /** 1-based page for signPdf's `page` option. */
  readonly page: number;
  readonly appearance: (ctx: AppearanceContext) => Promise<AppearanceWidget>;
  readonly warnings: readonly AppearanceWarning[];
}

/** The seal's width when nothing says its real size (a commune seal is 35–42 mm across). */
const ASSUMED_SEAL_MM = 40;
const SEAL_SIZE_ASSUMED: AppearanceWarning = {
  code: 'SEAL_SIZE_ASSUMED',
  vi: `Không rõ kích thước thật của con dấu (ảnh không ghi DPI, chưa cấu hình đường kính): dùng ${ASSUMED_SEAL_MM} mm.`,
  en: `The seal's real size is unknown (no DPI in the image, no diameter configured): using ${ASSUMED_SEAL_MM} mm.`,
};
const MARGIN = 36;
const TEXT_MARGIN = 14; // 5 mm from the top and right edges
const PAD = 2;
const ANCHOR_GAP = 4;

const mmToPt = (mm: number): number => (mm / 25.4) * 72;

function settingsOf(request: AppearanceRequest): AppearanceSettings {
  return request.settings ?? AppearanceSettingsSchema.parse({});
}

/** Page number (1-based, negative from the end) to index; PDF_PAGE_OUT_OF_RANGE. */
function pageIndexOf(page: number, pages: number): number {
  const index = page > 0 ? page - 1 : pages + page;
  if (!Number.isInteger(page) || page === 0 || index < 0 || index >= pages) {
    throw new KysoError(
      'PDF_PAGE_OUT_OF_RANGE',
      `The document has ${pages} pages; there is no page ${page}.`,
      {
        details: { page, pages },
      },
    );
  }
  return index;
}

interface AnchorFound {
  /** The anchor's box on the displayed page. */
  readonly box: DisplayRect;
  /** Every glyph of the page, displayed: to keep the box above the next line (the printed name). */
  readonly glyphs: readonly DisplayRect[];
}

/** The anchor text on the displayed page, or null. */
async function anchorOnPage(
  reader: PdfReader,
  pageIndex: number,
  anchor: string,
): Promise<AnchorFound | null> {
  const page = await reader.getPage(pageIndex);
  const g = pageGeometry(page);
  const { glyphs } = await scanPage(reader, page);
  const box = findText(glyphs, anchor.normalize('NFC'));
  if (box === null) return null;
  return {
    box: userRectToDisplay(g, box),
    glyphs: glyphs.filter((x) => x.text.trim() !== '').map((x) => userRectToDisplay(g, x.box)),
  };
}

function anchorNotFound(anchor: string, page: number | undefined): KysoError {
  return new KysoError('ANCHOR_NOT_FOUND', `"${anchor}" was not found on the page.`, {
    details: { anchor, ...(page !== undefined ? { page } : {}) },
  });
}

/** The existing field's widget: its page and its /Rect. */
async function fieldPlacement(
  reader: PdfReader,
  fieldName: string,
): Promise<{ pageIndex: number; rect: PdfRect }> {
  const field = await reader.findField(fieldName);
  const widget = field.widgets[0];
  const rect = widget ? await readRect(reader, widget.dict.get('Rect')) : null;
  if (!widget || rect === null || rect[2] - rect[0] <= 0 || rect[3] - rect[1] <= 0) {
    throw new KysoError('RECT_OUTSIDE_PAGE', `The field "${fieldName}" has no visible box.`, {
      details: { field: fieldName },
    });
  }
  const p = widget.dict.getRef('P');
  const count = await reader.pageCount();
  for (let i = 0; i < count; i++) {
    const page = await reader.getPage(i);
    if (p ? page.ref.equals(p) : false) return { pageIndex: i, rect };
    const annots = await reader.resolve(page.dict.get('Annots') ?? null);
    if (annots instanceof PdfArray && annots.items.some((a) => a instanceof PdfRef && a.equals(widget.ref))) {
      return { pageIndex: i, rect };
    }
  }
  return { pageIndex: 0, rect };
}

/** The request with `anchor` set to the first of its anchorCandidates the document has, if any. */
async function withFoundAnchor(reader: PdfReader, request: AppearanceRequest): Promise<AppearanceRequest> {
  const candidates = request.anchorCandidates ?? [];
  if (
    candidates.length === 0 ||
    request.anchor !== undefined ||
    request.rect !== undefined ||
    request.fieldName !== undefined
  )
    return request;
  const pages = await reader.pageCount();
  for (const text of candidates) {
    for (let i = pages - 1; i >= 0; i--)
      if ((await anchorOnPage(reader, i, text)) !== null) return { ...request, anchor: text };
  }
  return request;
}

/** The page a template goes on when the user names none. */
async function defaultPageIndex(reader: PdfReader, request: AppearanceRequest): Promise<number> {
  const pages = await reader.pageCount();
  if (request.anchor !== undefined) {
    // The signature block is near the end: the last page that has the anchor.
    for (let i = pages - 1; i >= 0; i--)
      if ((await anchorOnPage(reader, i, request.anchor)) !== null) return i;
    throw anchorNotFound(request.anchor, undefined);
  }
  switch (request.template) {
    case 'text':
      return 0;
    case 'seal': {
      // The page of the latest signature that shows an image, else of the latest signature.
      const widgets = (await signedWidgets(reader)).filter((w) => w.pageIndex !== null);
      const withImage = widgets.filter((w) => w.imageBoxes.length > 0);
      const chosen = withImage.at(-1) ?? widgets.at(-1);
      return chosen?.pageIndex ?? pages - 1;
    }
    case 'personal':
    case 'certified-copy':
      return pages - 1;
  }
}

/** Decree 30 art. 32, on the verifier's verdicts when the caller passed them. */
async function checkSealRule(reader: PdfReader, request: AppearanceRequest): Promise<void> {
  const signatures = request.existingSignatures ?? (await signaturesInDocument(reader));
  assertSealAllowed(signatures, request.allowSealWithoutSignature ?? false);
}

/**
 * A seal that carries text lines (the clerk's number and issue date, SignIssued) grows below the
 * seal by the lines' height: the seal keeps its real size and the text is written under it.
 */
function withSealLines<T extends { width: number; height: number }>(
  size: T,
  style: TemplateStyle,
  lineCount: number,
): T {
  if (lineCount === 0) return size;
  return { ...size, height: size.height + lineCount * LINE_HEIGHT * style.fontSize + PAD };
}

/** The seal's real size in points: a configured diameter, else the image's DPI, else assumed. */
function sealSize(
  image: SignatureImage,
  request: AppearanceRequest,
  settings: AppearanceSettings,
): { width: number; height: number; assumed: boolean } {
  const ratio = image.height / image.width;
  const diameter = request.sealDiameterMm ?? settings.sealDiameterMm;
  if (diameter !== undefined)
    return { width: mmToPt(diameter), height: mmToPt(diameter) * ratio, assumed: false };
  const natural = naturalSizePt(image);
  if (natural !== null) return { ...natural, assumed: false };
  return { width: mmToPt(ASSUMED_SEAL_MM), height: mmToPt(ASSUMED_SEAL_MM) * ratio, assumed: true };
}

/**
 * Centred horizontally just below the anchor. A box that may change size stops above the next text
 * below the anchor (the signer's printed name under "CHỦ TỊCH"), when that leaves it enough room.
 */
function belowAnchor(
  g: PageGeometry,
  found: AnchorFound,
  width: number,
  height: number,
  fixed: boolean,
): DisplayRect {
  const a = found.box;
  const top = a.y + a.height + ANCHOR_GAP;
  const x = a.x + a.width / 2 - width / 2;
  let h = height;
  if (!fixed) {
    const below = found.glyphs
      .filter((b) => b.y >= a.y + a.height - 0.5 && b.x < x + width && b.x + b.width > x)
      .map((b) => b.y);
    const room = Math.min(...below) - ANCHOR_GAP - top;
    if (room < height && room >= height * 0.4) h = room;
  }
  const box = clampIntoPage(g, { x, y: top, width, height: h });
  assertInsidePage(g, box);
  return box;
}

/** Over the left third of the personal signature image (or of its widget when it has no image). */
function overLeftThird(g: PageGeometry, target: PdfRect, width: number, height: number): DisplayRect {
  const t = userRectToDisplay(g, target);
  return clampIntoPage(g, {
    x: t.x + t.width / 3 - width,
    y: t.y + t.height / 2 - height / 2,
    width,
    height,
  });
}

interface Placement {
  readonly pageIndex: number;
  readonly geometry: PageGeometry;
  readonly box: DisplayRect;
}

/** Where the box goes, for a box of the given size (ignored when the user's rect or a field fixes it). */
async function place(
  reader: PdfReader,
  pageIndex: number,
  request: AppearanceRequest,
  size: { width: number; height: number; fixed: boolean },
  widgets: () => Promise<readonly SignedWidget[]>,
): Promise<Placement> {
  if (request.fieldName !== undefined) {
    const f = await fieldPlacement(reader, request.fieldName);
    const geometry = pageGeometry(await reader.getPage(f.pageIndex));
    return { pageIndex: f.pageIndex, geometry, box: userRectToDisplay(geometry, f.rect) };
  }
  const geometry = pageGeometry(await reader.getPage(pageIndex));
  const { width, height } = size;
  if (request.rect !== undefined) {
    assertInsidePage(geometry, request.rect);
    if (!size.fixed) return { pageIndex, geometry, box: request.rect };
    // A seal keeps its real size: centred on the box the user drew.
    const r = request.rect;
    const box = { x: r.x + r.width / 2 - width / 2, y: r.y + r.height / 2 - height / 2, width, height };
    assertInsidePage(geometry, box);
    return { pageIndex, geometry, box };
  }
  if (request.anchor !== undefined) {
    const anchor = await anchorOnPage(reader, pageIndex, request.anchor);
    if (anchor === null) throw anchorNotFound(request.anchor, pageIndex + 1);
    return { pageIndex, geometry, box: belowAnchor(geometry, anchor, width, height, size.fixed) };
  }
  let box: DisplayRect;
  switch (request.template) {
    case 'seal': {
      const onPage = (await widgets()).filter((w) => w.pageIndex === pageIndex);
      const target = onPage.filter((w) => w.imageBoxes.length > 0).at(-1) ?? onPage.at(-1);
      box = target
        ? overLeftThird(geometry, target.imageBoxes[0] ?? target.rect, width, height)
        : clampIntoPage(geometry, {
            x: geometry.width - MARGIN - width * 1.5,
            y: geometry.height - MARGIN - height,
            width,
            height,
          });
      break;
    }
    case 'text':
      box = clampIntoPage(geometry, {
        x: geometry.width - TEXT_MARGIN - width,
        y: TEXT_MARGIN,
        width,
        height,
      });
      break;
    case 'personal':
      box = clampIntoPage(geometry, {
        x: geometry.width - MARGIN - width,
        y: geometry.height - MARGIN - height,
        width,
        height,
      });
      break;
    case 'certified-copy':
      box = clampIntoPage(geometry, { x: MARGIN, y: geometry.height - MARGIN - height, width, height });
      break;
  }
  assertInsidePage(geometry, box);
  return { pageIndex, geometry, box };
}

const num = (n: number): string => {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
};

interface DrawnText {
  readonly layout: TextLayout;
  /** Baseline y (form space) of the first line. */
  readonly top: number;
}

/** The image box and the text lines inside a w × h box: the image above, the text below it. */
function composeContent(
  w: number,
  h: number,
  style: TemplateStyle,
  image: SignatureImage | null,
  lines: readonly string[],
  font: EmbeddedFont | null,
  textAtTop: boolean,
): { content: string; imageBox: [number, number, number, number] | null } {
  const innerW = Math.max(1, w - 2 * PAD);
  const innerH = Math.max(1, h - 2 * PAD);
  let text: DrawnText | null = null;
  if (font !== null && lines.length > 0) {
    const maxH = image ? innerH * 0.45 : innerH;
    const layout = layoutText(
      font,
      lines,
      { width: innerW, height: maxH },
      style.fontSize,
      style.minFontSize,
    );
    text = { layout, top: textAtTop && !image ? h - PAD : PAD + layout.height };
  }
  const parts: string[] = ['q'];
  let imageBox: [number, number, number, number] | null = null;
  if (image) {
    const textH = text ? text.layout.height + PAD : 0;
    const areaH = Math.max(1, innerH - textH);
    const ratio = image.dpi
      ? image.width / image.dpi.x / (image.height / image.dpi.y)
      : image.width / image.height;
    let dw = innerW;
    let dh = dw / ratio;
    if (dh > areaH) {
      dh = areaH;
      dw = dh * ratio;
    }
    const x = (w - dw) / 2;
    const y = PAD + textH + (areaH - dh) / 2;
    imageBox = [x, y, dw, dh];
    parts.push(`q ${num(dw)} 0 0 ${num(dh)} ${num(x)} ${num(y)} cm /Im1 Do Q`);
  }
  if (text && font) {
    const [r, g, b] = rgbOf(style.color);
    const { layout } = text;
    parts.push('BT', `/F1 ${num(layout.size)} Tf`, `${num(r)} ${num(g)} ${num(b)} rg`);
    layout.lines.forEach((line, i) => {
      const enc = font.encode(line);
      const lw = enc.widthPerPoint * layout.size;
      const x = style.align === 'left' ? PAD : style.align === 'right' ? w - PAD - lw : (w - lw) / 2;
      const y = text.top - (i + 1) * LINE_HEIGHT * layout.size + BASELINE * layout.size;
      parts.push(`1 0 0 1 ${num(x)} ${num(y)} Tm <${enc.hex}> Tj`);
    });
    parts.push('ET');
  }
  parts.push('Q');
  return { content: `${parts.join('\n')}\n`, imageBox };
}

/** The values of the template placeholders. */
function placeholderValues(
  request: AppearanceRequest,
  settings: AppearanceSettings,
  signer: AppearanceSigner,
  signingTime: Date,
): Record<string, string | undefined> {
  const f = wallClock(signingTime, settings.utcOffsetMinutes);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return {
    signer: signer.subjectCN ?? signer.subjectDN,
    title: signer.subjectTitle,
    organization: request.organization ?? settings.organization ?? signer.subjectOrganization,
    time: formatSigningTime(signingTime, settings.timeFormat, settings.utcOffsetMinutes),
    date: `${pad(f.day)}/${pad(f.month)}/${f.year}`,
    day: pad(f.day),
    month: pad(f.month),
    year: String(f.year),
    docNumber: request.docNumber,
    certNumber: request.certification?.number,
    certBook: request.certification?.book,
  };
}

/** The image the template shows: the one given, else the signer's stored one (the seal needs one). */
async function imageFor(
  request: AppearanceRequest,
  signer: AppearanceSigner | null,
): Promise<SignatureImage | null> {
  if (request.image !== undefined) return readSignatureImage(request.image);
  if (request.template === 'text' || request.template === 'certified-copy' || signer === null) return null;
  const kind = request.template === 'seal' ? 'seal' : 'signature';
  const stored = await storedImagePath(signer.sha256, kind, request.home ?? kysoHome());
  if (stored !== null) return readSignatureImage(stored);
  if (request.template === 'seal') {
    throw new KysoError(
      'IMAGE_NOT_FOUND',
      'No seal image was given (--image) or imported for this certificate.',
      {
        details: { path: '(ảnh con dấu / seal image)' },
      },
    );
  }
  return null;
}

/** Draws the appearance for signPdf: every check again, on the reader signPdf holds. */
export async function createAppearance(
  asked: AppearanceRequest,
  ctx: AppearanceContext,
): Promise<AppearanceWidget> {
  const { reader } = ctx;
  const request = await withFoundAnchor(reader, asked);
  const settings = settingsOf(request);
  const style = templateStyle(request.template, settings);
  if (request.template === 'seal') {
    await checkSealRule(reader, request);
  }
  const image = await imageFor(request, ctx.certificate);
  const lines = fillLines(
    style.lines,
    placeholderValues(request, settings, ctx.certificate, ctx.signingTime),
  );
  const font = lines.length > 0 ? new EmbeddedFont(await loadAppearanceFont(settings.font)) : null;

  let size = { width: style.width, height: style.height, fixed: false };
  if (request.template === 'seal' && image)
    size = { ...withSealLines(sealSize(image, request, settings), style, lines.length), fixed: true };
  else if (request.template === 'text' && font && request.rect === undefined) {
    // Sized to its text: as wide as the longest line (up to the template's width), as tall as the lines.
    const widest = Math.max(...lines.map((l) => font.widthOf(l) * style.fontSize));
    const width = Math.min(style.width, widest + 2 * PAD + 1);
    const layout = layoutText(
      font,
      lines,
      { width: width - 2 * PAD, height: Number.MAX_SAFE_INTEGER },
      style.fontSize,
      style.minFontSize,
    );
    size = { width, height: layout.height + 2 * PAD, fixed: false };
  }
  let widgetsCache: readonly SignedWidget[] | null = null;
  const widgets = async (): Promise<readonly SignedWidget[]> =>
    (widgetsCache ??= await signedWidgets(reader));
  const placement = await place(reader, ctx.pageIndex, request, size, widgets);
  const { box, geometry } = placement;
  const { content } = composeContent(
    box.width,
    box.height,
    style,
    image,
    lines,
    font,
    request.template !== 'personal',
  );
  const rect = displayRectToUser(geometry, box);
  const matrix = uprightMatrix(geometry.rotate, box.width, box.height);

  return {
    rect,
    build(update: IncrementalUpdate): PdfRef {
      const resources = pdfDict({});
      if (image) resources.set('XObject', pdfDict({ Im1: addImageXObject(update, image) }));
      if (font) resources.set('Font', pdfDict({ F1: font.write(update) }));
      const real = (n: number): PdfValue =>
        Number.isInteger(n) ? pdfInt(n) : pdfReal(Math.round(n * 1000) / 1000);
      const dict = pdfDict({
        Type: pdfName('XObject'),
        Subtype: pdfName('Form'),
        FormType: pdfInt(1),
        BBox: pdfArray(pdfInt(0), pdfInt(0), real(box.width), real(box.height)),
        Matrix: pdfArray(...matrix.map(real)),
        Resources: resources,
      });
      const ref = update.allocate();
      update.set(ref, PdfStream.fromBytes(dict, Buffer.from(content, 'latin1')));
      return ref;
    },
  };
}

/** The callback for PdfSignOptions.appearance. */
export function appearanceFor(
  request: AppearanceRequest,
): (ctx: AppearanceContext) => Promise<AppearanceWidget> {
  return (ctx) => createAppearance(request, ctx);
}

/**
 * Checks a request against the document before anything is signed (and before the PIN is asked):
 * page, image, font, box, anchor, and for a seal the earlier signature. Returns the page to sign on,
 * the appearance callback, and warnings for the user. `page` is 1-based (negative from the end).
 */
export async function prepareAppearance(
  input: string,
  asked: AppearanceRequest,
  page?: number,
): Promise<PreparedAppearance> {
  let request = asked;
  const settings = settingsOf(request);
  const style = templateStyle(request.template, settings);
  const warnings: AppearanceWarning[] = [];
  const image = request.image !== undefined ? await readSignatureImage(request.image) : null;
  if (image)
    warnings.push(
      ...imageWarnings(image, request.template === 'seal' ? 'seal' : 'signature').filter(
        (w) => w.code !== 'NO_RESOLUTION',
      ),
    );
  if (style.lines.length > 0) await loadAppearanceFont(settings.font);
  const reader = await PdfReader.open(input);
  try {
    request = await withFoundAnchor(reader, request);
    let pageIndex: number;
    if (request.fieldName !== undefined)
      pageIndex = (await fieldPlacement(reader, request.fieldName)).pageIndex;
    else if (page !== undefined) pageIndex = pageIndexOf(page, await reader.pageCount());
    else pageIndex = await defaultPageIndex(reader, request);
    if (request.template === 'seal') {
      await checkSealRule(reader, request);
    }
    let size = { width: style.width, height: style.height, fixed: false };
    if (request.template === 'seal' && image) {
      const s = sealSize(image, request, settings);
      if (s.assumed) warnings.push(SEAL_SIZE_ASSUMED);
      size = { ...withSealLines(s, style, style.lines.length), fixed: true };
    }
    // A stored seal is known only with the certificate: its box is checked when signing.
    if (request.template !== 'seal' || image !== null) {
      await place(reader, pageIndex, request, size, () => signedWidgets(reader));
    }
    return { page: pageIndex + 1, appearance: appearanceFor(request), warnings };
  } finally {
    await reader.close();
  }
}

/**
 * Where the box would go, without signing: the page (1-based) and the box on the displayed page, as
 * prepareAppearance places it (under the anchor when the request names one, else the template's
 * default place). The app proposes it and the user moves it.
 */
export async function placeAppearance(
  input: string,
  asked: AppearanceRequest,
  page?: number,
): Promise<{ readonly page: number; readonly rect: DisplayRect }> {
  const settings = settingsOf(asked);
  const style = templateStyle(asked.template, settings);
  const image = asked.image !== undefined ? await readSignatureImage(asked.image) : null;
  const reader = await PdfReader.open(input);
  try {
    const request = await withFoundAnchor(reader, asked);
    let pageIndex: number;
    if (request.fieldName !== undefined)
      pageIndex = (await fieldPlacement(reader, request.fieldName)).pageIndex;
    else if (page !== undefined) pageIndex = pageIndexOf(page, await reader.pageCount());
    else pageIndex = await defaultPageIndex(reader, request);
    let size = { width: style.width, height: style.height, fixed: false };
    if (request.template === 'seal' && image)
      size = { ...withSealLines(sealSize(image, request, settings), style, style.lines.length), fixed: true };
    const placed = await place(reader, pageIndex, request, size, () => signedWidgets(reader));
    return { page: placed.pageIndex + 1, rect: placed.box };
  } finally {
    await reader.close();
  }
}
