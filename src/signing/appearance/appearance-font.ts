// Which TrueType font draws the appearance text (Decree 30, Appendix I: Times New Roman, Unicode
// TCVN 6909:2001): a file the admin configures, else the system's Times New Roman, else the bundled
// Noto Serif (@expo-google-fonts/noto-serif), else a system serif. Every candidate must have every
// Vietnamese letter, upper and lower case, with every tone mark.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Fontkit from '@cantoo/fontkit';
import type { Font } from '@cantoo/fontkit';
import { KysoError } from '../../shared/errors.js';

export interface AppearanceFont {
  /** Where the font was read from. */
  readonly file: string;
  readonly font: Font;
  /** The PostScript name, made safe for a PDF name. */
  readonly postscriptName: string;
}

/** Every Vietnamese letter with every tone, NFC, lower then upper case, plus đ/Đ. */
export const VIETNAMESE_LETTERS: readonly string[] = (() => {
  const bases = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
  const tones = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
  const out = new Set<string>(['đ', 'Đ']);
  for (const b of bases) {
    for (const t of tones) {
      const c = (b + t).normalize('NFC');
      out.add(c);
      out.add(c.toUpperCase());
    }
  }
  return [...out];
})();

/** The letters of VIETNAMESE_LETTERS (and ASCII letters and digits) the font has no glyph for. */
export function missingVietnamese(font: Font): string[] {
  const needed = [
    ...VIETNAMESE_LETTERS,
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:.,+-',
  ];
  return needed.filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!));
}

const require = createRequire(import.meta.url);

/** The bundled serif, when its package is installed. */
export function bundledFontFile(): string | null {
  try {
    return require.resolve('@expo-google-fonts/noto-serif/400Regular/NotoSerif_400Regular.ttf');
  } catch {
    return null;
  }
}

/** Times New Roman where each system keeps it. */
export function systemTimesNewRoman(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  switch (platform) {
    case 'win32': {
      const windir = env['WINDIR'] ?? env['SystemRoot'] ?? 'C:\\Windows';
      return [path.win32.join(windir, 'Fonts', 'times.ttf')];
    }
    case 'darwin':
      return ['/System/Library/Fonts/Supplemental/Times New Roman.ttf', '/Library/Fonts/Times New Roman.ttf'];
    default:
      return [
        '/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf',
        '/usr/share/fonts/truetype/msttcorefonts/times.ttf',
        '/usr/share/fonts/TTF/times.ttf',
      ];
  }
}

/** Serif fonts with full Vietnamese coverage that Linux distributions ship (last resort). */
const SYSTEM_SERIFS = [
  '/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf',
  '/usr/share/fonts/noto/NotoSerif-Regular.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
  '/usr/share/fonts/dejavu/DejaVuSerif.ttf',
];

/** The candidates, in order, when no font is configured. */
export function defaultFontCandidates(): string[] {
  const bundled = bundledFontFile();
  return [...systemTimesNewRoman(), ...(bundled ? [bundled] : []), ...SYSTEM_SERIFS];
}

const cache = new Map<string, AppearanceFont>();

/** Opens a font file: FONT_UNREADABLE when it is missing or not a TrueType font, FONT_NO_VIETNAMESE when it lacks letters. */
export async function openAppearanceFont(file: string): Promise<AppearanceFont> {
  const cached = cache.get(file);
  if (cached) return cached;
  let font: Font;
  try {
    const bytes = await readFile(file);
    // CFF-flavoured OpenType ('OTTO') would need FontFile3; this module writes TrueType (FontFile2).
    const tag = bytes.toString('latin1', 0, 4);
    if (tag !== '\0\x01\0\0' && tag !== 'true' && tag !== 'ttcf')
      throw new Error(`not a TrueType font (${JSON.stringify(tag)})`);
    // fontkit is loaded on first use: it is the slowest module to import, and only visible
    // signatures need it. require() rather than import(), which the bundled CLI cannot run.
    const { create } = require('@cantoo/fontkit') as typeof Fontkit;
    const opened = create(bytes);
    const first = 'fonts' in opened ? opened.fonts[0] : opened;
    if (!first || !('hasGlyphForCodePoint' in first)) throw new Error('no font in the file');
    font = first;
  } catch (cause) {
    throw new KysoError('FONT_UNREADABLE', `${file} cannot be read as a TrueType font.`, {
      details: { path: file },
      cause,
    });
  }
  const missing = missingVietnamese(font);
  if (missing.length > 0) {
    throw new KysoError('FONT_NO_VIETNAMESE', `${file} has no glyph for ${missing.slice(0, 12).join('')}…`, {
      details: { path: file, missing: missing.join('') },
    });
  }
  const loaded: AppearanceFont = {
    file,
    font,
    postscriptName:
      (font.postscriptName ?? path.basename(file, path.extname(file))).replace(/[^A-Za-z0-9-]/g, '') ||
      'Font',
  };
  cache.set(file, loaded);
  return loaded;
}

/**
 * The configured font (it must be usable: no silent fallback from what an admin chose), or the first
 * default candidate that exists and has every Vietnamese letter.
 */
export async function loadAppearanceFont(configured?: string): Promise<AppearanceFont> {
  if (configured !== undefined) return openAppearanceFont(configured);
  const tried: string[] = [];
  for (const file of defaultFontCandidates()) {
    try {
      return await openAppearanceFont(file);
    } catch (err) {
      if (!(err instanceof KysoError)) throw err;
      tried.push(file);
    }
  }
  throw new KysoError(
    'FONT_NO_VIETNAMESE',
    `No font with Vietnamese letters was found (tried ${tried.join(', ')}).`,
    {
      details: { path: tried.join(', ') || '—' },
    },
  );
}
