// The appearance settings an admin may preset (the "appearance" member of settings.json), and the
// Decree 30/2020/NĐ-CP defaults of each template: line texts with {placeholders}, font size, colour,
// alignment and box size. A line whose placeholder has no value (no document number given) is left out.
import * as z from 'zod/mini';
import { DEFAULT_TIME_FORMAT, VIETNAM_UTC_OFFSET_MINUTES } from './signing-time-format.js';

export const APPEARANCE_TEMPLATES = ['personal', 'seal', 'text', 'certified-copy'] as const;
export type AppearanceTemplate = (typeof APPEARANCE_TEMPLATES)[number];

export type TextAlign = 'left' | 'center' | 'right';

const Colour = z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written #RRGGBB'));
const range = (min: number, max: number) => z.number().check(z.gte(min), z.lte(max));
const size = (max: number) => z.number().check(z.positive(), z.lte(max));

const TemplateSettingsSchema = z.object({
  /** Lines of text; placeholders: {signer} {title} {organization} {time} {date} {day} {month} {year} {docNumber} {certNumber} {certBook}. */
  lines: z.optional(z.array(z.string()).check(z.maxLength(20))),
  fontSize: z.optional(range(2, 72)),
  minFontSize: z.optional(range(1, 72)),
  color: z.optional(Colour),
  align: z.optional(z.enum(['left', 'center', 'right'])),
  /** Default box size in points when neither --rect nor a field gives one. */
  width: z.optional(size(2000)),
  height: z.optional(size(2000)),
});

export const AppearanceSettingsSchema = z.prefault(
  z.object({
    /** A TrueType font file to use instead of Times New Roman / the bundled serif. */
    font: z.optional(z.string().check(z.minLength(1))),
    timeFormat: z._default(z.string().check(z.minLength(1)), DEFAULT_TIME_FORMAT),
    utcOffsetMinutes: z._default(z.int().check(z.gte(-720), z.lte(840)), VIETNAM_UTC_OFFSET_MINUTES),
    /** The agency's name for the text template, when the certificate's organisation is not the one to show. */
    organization: z.optional(z.string().check(z.minLength(1))),
    /** The seal's real diameter (its image's width) in millimetres; the image's DPI is used otherwise. */
    sealDiameterMm: z.optional(size(200)),
    templates: z.prefault(
      z.object({
        personal: z.prefault(TemplateSettingsSchema, {}),
        seal: z.prefault(TemplateSettingsSchema, {}),
        text: z.prefault(TemplateSettingsSchema, {}),
        'certified-copy': z.prefault(TemplateSettingsSchema, {}),
      }),
      {},
    ),
  }),
  {},
);

export type AppearanceSettings = z.infer<typeof AppearanceSettingsSchema>;

export interface TemplateStyle {
  readonly lines: readonly string[];
  readonly fontSize: number;
  readonly minFontSize: number;
  readonly color: string;
  readonly align: TextAlign;
  readonly width: number;
  readonly height: number;
}

export const TEMPLATE_DEFAULTS: Readonly<Record<AppearanceTemplate, TemplateStyle>> = {
  personal: {
    lines: ['Ký bởi: {signer}', 'Thời gian ký: {time}'],
    fontSize: 8,
    minFontSize: 4,
    color: '#000000',
    align: 'center',
    width: 200,
    height: 100,
  },
  // The seal shows only its image, at its real size: width and height here are not used.
  seal: {
    lines: [],
    fontSize: 8,
    minFontSize: 4,
    color: '#000000',
    align: 'center',
    width: 113,
    height: 113,
  },
  // Appendix I: Times New Roman, regular, 10 pt, black, top right of the first page.
  text: {
    lines: ['{organization}', 'Số: {docNumber}', 'Thời gian ký: {time}'],
    fontSize: 10,
    minFontSize: 5,
    color: '#000000',
    align: 'left',
    width: 240,
    height: 48,
  },
  'certified-copy': {
    lines: [
      'Chứng thực bản sao đúng với bản chính.',
      'Số chứng thực: {certNumber}',
      'Quyển số: {certBook}',
      'Ngày {day} tháng {month} năm {year}',
      'Người ký: {signer}',
      'Thời gian ký: {time}',
    ],
    fontSize: 10,
    minFontSize: 5,
    color: '#000000',
    align: 'left',
    width: 260,
    height: 100,
  },
};

/** The style of a template: the defaults, overridden by what the settings say. */
export function templateStyle(template: AppearanceTemplate, settings: AppearanceSettings): TemplateStyle {
  const d = TEMPLATE_DEFAULTS[template];
  const s = settings.templates[template];
  return {
    lines: s.lines ?? d.lines,
    fontSize: s.fontSize ?? d.fontSize,
    minFontSize: Math.min(s.minFontSize ?? d.minFontSize, s.fontSize ?? d.fontSize),
    color: s.color ?? d.color,
    align: s.align ?? d.align,
    width: s.width ?? d.width,
    height: s.height ?? d.height,
  };
}

/**
 * Fills the placeholders of each line (NFC); a line that names a placeholder without a value is
 * left out. Unknown placeholders are kept as written, so a typo shows instead of vanishing.
 */
export function fillLines(
  lines: readonly string[],
  values: Readonly<Record<string, string | undefined>>,
): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let missing = false;
    const text = line.replace(/\{([A-Za-z]+)\}/g, (whole, key: string) => {
      if (!(key in values)) return whole;
      const v = values[key]?.trim();
      if (v === undefined || v === '') missing = true;
      return v ?? '';
    });
    if (!missing) out.push(text.normalize('NFC'));
  }
  return out;
}

/** "#RRGGBB" as PDF colour components 0..1. */
export function rgbOf(colour: string): [number, number, number] {
  const n = parseInt(colour.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}
