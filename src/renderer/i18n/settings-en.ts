// English strings of "Cài đặt" (issue 14 point 3), spread into en.ts.
import type { SettingsMessageKey } from './settings-vi.js';

export const settingsEn: Record<SettingsMessageKey, string> = {
  'nav.settings': 'Settings',
  'settings.title': 'Settings',
  'settings.intro':
    'The handwritten signature and the seal of each certificate (visible signatures use them from the next signature on), the signing defaults and the interface language.',
  'settings.certificate': 'Certificate',
  'settings.image.signature': 'Signature image',
  'settings.image.signature.hint': 'A blue handwritten signature on a transparent background (PNG).',
  'settings.image.seal': 'Seal image',
  'settings.image.seal.hint':
    'A red seal on a transparent background, with its resolution so it prints at its real size.',
  'settings.image.none': 'No image yet.',
  'settings.image.stored': '{format} image, {width}×{height} pixels, {dpi}.',
  'settings.image.noDpi': 'no resolution given',
  'settings.image.preview': 'The signature will look like this',
  'settings.image.import': 'Import an image…',
  'settings.image.remove': 'Remove the image',
};
