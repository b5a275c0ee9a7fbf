// The appearance of an issued document (Decree 30/2020: the clerk's signature carries the number
// and the issue date the system gave): the `text` block at the top right of page 1 with the agency,
// "Số: …" and "Ngày ban hành: dd/MM/yyyy", or the agency `seal` over the competent person's
// signature with the same two lines under it. Shared by the bridge's SignIssued and the signing
// inbox's issue step, so both write the number and date the same way.
import {
  templateStyle,
  type AppearanceRequest,
  type AppearanceSettings,
  type DisplayRect,
  type ExistingSignature,
} from './index.js';

export interface IssuedAppearanceOptions {
  readonly template: 'text' | 'seal';
  readonly docNumber: string;
  /** dd/MM/yyyy (or as the system wrote it); no line when absent. */
  readonly issuedDate?: string | undefined;
  readonly settings: AppearanceSettings;
  /** The agency name of the text block, instead of the certificate's organisation. */
  readonly organization?: string | undefined;
  /** The seal image (else the one stored for the certificate). */
  readonly sealImage?: string | undefined;
  /** The seal rule's evidence: the document's signatures as the verifier judged them. */
  readonly existingSignatures?: readonly ExistingSignature[] | undefined;
  /** A configured position: a box, an anchor text, or an existing empty field. */
  readonly rect?: DisplayRect | undefined;
  readonly anchor?: string | undefined;
  readonly fieldName?: string | undefined;
}

/**
 * The text template with a "Ngày ban hành: dd/MM/yyyy" line after the number. The date is written
 * into the line itself: it was parsed to digits and slashes, so it cannot hold a placeholder.
 */
export function withIssuedDate(
  settings: AppearanceSettings,
  issuedDate: string | undefined,
): AppearanceSettings {
  if (issuedDate === undefined) return settings;
  const lines = [...templateStyle('text', settings).lines];
  const at = lines.findIndex((l) => l.includes('{docNumber}'));
  lines.splice(at >= 0 ? at + 1 : lines.length, 0, `Ngày ban hành: ${issuedDate}`);
  return { ...settings, templates: { ...settings.templates, text: { ...settings.templates.text, lines } } };
}

/** The seal template with "Số: …" and "Ngày ban hành: dd/MM/yyyy" lines under the seal image. */
export function withIssuedLines(
  settings: AppearanceSettings,
  issuedDate: string | undefined,
): AppearanceSettings {
  const lines = ['Số: {docNumber}', ...(issuedDate !== undefined ? [`Ngày ban hành: ${issuedDate}`] : [])];
  return { ...settings, templates: { ...settings.templates, seal: { ...settings.templates.seal, lines } } };
}

export function issuedAppearance(options: IssuedAppearanceOptions): AppearanceRequest {
  const position = {
    ...(options.rect !== undefined ? { rect: options.rect } : {}),
    ...(options.anchor !== undefined ? { anchor: options.anchor } : {}),
    ...(options.fieldName !== undefined ? { fieldName: options.fieldName } : {}),
  };
  if (options.template === 'seal') {
    return {
      template: 'seal',
      settings: withIssuedLines(options.settings, options.issuedDate),
      docNumber: options.docNumber,
      ...position,
      ...(options.existingSignatures !== undefined ? { existingSignatures: options.existingSignatures } : {}),
      ...(options.sealImage !== undefined ? { image: options.sealImage } : {}),
    };
  }
  return {
    template: 'text',
    settings: withIssuedDate(options.settings, options.issuedDate),
    docNumber: options.docNumber,
    ...position,
    ...(options.organization !== undefined ? { organization: options.organization } : {}),
  };
}
