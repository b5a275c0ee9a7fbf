// Reads the "appearance" member of <KYSO_HOME>/settings.json with AppearanceSettingsSchema. Kept
// apart from settings.ts until SettingsSchema carries the member itself.
import { readFile } from 'node:fs/promises';
import { KysoError } from '../../shared/errors.js';
import { settingsPath } from '../settings.js';
import { AppearanceSettingsSchema, type AppearanceSettings } from './appearance-settings.js';

export async function loadAppearanceSettings(home?: string): Promise<AppearanceSettings> {
  const file = home === undefined ? settingsPath() : settingsPath(home);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return AppearanceSettingsSchema.parse({});
    throw new KysoError('SETTINGS_INVALID', `${file} cannot be read as JSON.`, {
      details: { reason: file },
      cause: err,
    });
  }
  const member =
    raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['appearance'] : undefined;
  const parsed = AppearanceSettingsSchema.safeParse(member ?? {});
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `appearance.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new KysoError('SETTINGS_INVALID', `${file}: ${reason}`, {
      details: { reason: `${file}: ${reason}` },
    });
  }
  return parsed.data;
}
