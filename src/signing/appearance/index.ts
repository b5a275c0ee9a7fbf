// Visible signatures as Decree 30/2020/NĐ-CP, Appendix I prescribes them: templates, placement on
// rotated and offset pages, subset Unicode fonts, PNG/JPEG images, stored images per certificate.
// The sign layer (src/signing/sign) calls the callback `prepareAppearance` returns.
export {
  createAppearance,
  appearanceFor,
  prepareAppearance,
  placeAppearance,
  type AppearanceContext,
  type AppearanceRequest,
  type AppearanceSigner,
  type AppearanceWarning,
  type AppearanceWidget,
  type PreparedAppearance,
} from './signature-appearance.js';
export {
  APPEARANCE_TEMPLATES,
  AppearanceSettingsSchema,
  TEMPLATE_DEFAULTS,
  fillLines,
  templateStyle,
  type AppearanceSettings,
  type AppearanceTemplate,
  type TemplateStyle,
  type TextAlign,
} from './appearance-settings.js';
export {
  loadAppearanceFont,
  openAppearanceFont,
  missingVietnamese,
  defaultFontCandidates,
  VIETNAMESE_LETTERS,
  type AppearanceFont,
} from './appearance-font.js';
export { parseDisplayRect, type DisplayRect } from './placement.js';
export { readSignatureImage, parseSignatureImage, type SignatureImage } from './signature-image.js';
export {
  importSignatureImage,
  storedImagePath,
  imageWarnings,
  IMAGE_WARNINGS,
  type ImageWarning,
  type ImageWarningCode,
  type ImportedImage,
  type StoredImageKind,
} from './signature-image-store.js';
export {
  assertSealAllowed,
  signaturesInDocument,
  signedWidgets,
  type ExistingSignature,
  type SignedWidget,
} from './existing-signatures.js';
export { formatSigningTime, DEFAULT_TIME_FORMAT, VIETNAM_UTC_OFFSET_MINUTES } from './signing-time-format.js';
export { loadAppearanceSettings } from './appearance-settings-file.js';
export {
  documentLayout,
  signatureBoxes,
  type DocumentLayout,
  type PageLayout,
  type SignatureBox,
} from './page-layout.js';
export {
  renderAppearancePreview,
  type AppearancePreview,
  type AppearancePreviewRequest,
} from './appearance-preview.js';
