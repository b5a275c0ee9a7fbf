// The app's own preferences (the interface language) in <KYSO_HOME>/app.json, apart from the engine's
// settings.json that IT staff preset: the app never rewrites their file. Parsed on read (a broken file
// means the defaults), written atomically.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { LanguageSchema, type Language } from '../../shared/contract/index.js';
import { kysoHome } from '../../signing/settings.js';
import { writeFileAtomic } from './atomic-write.js';

// Loose: other sections (the local bridge's `bridge`) are kept when the language is saved.
const AppSettingsSchema = z
  .looseObject({ language: LanguageSchema.catch('vi').default('vi') })
  .catch({ language: 'vi' });
export type AppSettings = z.infer<typeof AppSettingsSchema>;

export function appSettingsPath(home: string = kysoHome()): string {
  return path.join(home, 'app.json');
}

export async function loadAppSettings(home?: string): Promise<AppSettings> {
  try {
    return AppSettingsSchema.parse(JSON.parse(await readFile(appSettingsPath(home), 'utf8')));
  } catch {
    // Missing or unreadable: Vietnamese, the default.
    return { language: 'vi' };
  }
}

export async function saveAppSettings(settings: AppSettings, home?: string): Promise<void> {
  await writeFileAtomic(appSettingsPath(home), `${JSON.stringify(settings, null, 2)}\n`);
}

export async function saveLanguage(language: Language, home?: string): Promise<void> {
  await saveAppSettings({ ...(await loadAppSettings(home)), language }, home);
}
