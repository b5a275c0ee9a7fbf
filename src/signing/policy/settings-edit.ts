// Changing one key of the user's settings.json (`kyso settings set / unset`): refused with
// SETTING_LOCKED when the machine policy (or settings.json's own trust.locked) locks the key, a
// section above it or a member below it; the result is checked against the schema before anything
// is written (SETTINGS_INVALID, the file untouched), and written whole (temporary file, rename).
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import { kysoHome } from '../home.js';
import { loadEffectiveSettings, readUserSettings, settingsPath } from '../settings.js';
import { SettingsSchema } from '../settings-schema.js';
import { deletePath, setPath, type JsonObject } from './json-paths.js';
import { isSettingKey } from './setting-keys.js';

function assertKnown(key: string): void {
  if (!isSettingKey(key)) {
    throw new KysoError('USAGE', `"${key}" is not a setting key.`, {
      details: { reason: `"${key}" is not a setting key (kyso settings list shows them)` },
    });
  }
}

async function checkValid(raw: JsonObject, file: string): Promise<void> {
  const { appearance, ...engine } = raw;
  const problems: string[] = [];
  const parsed = SettingsSchema.safeParse(engine);
  if (!parsed.success) {
    for (const i of parsed.error.issues) problems.push(`${i.path.join('.')}: ${i.message}`);
  }
  if (appearance !== undefined) {
    // zod, loaded only when the appearance section is there (as the drawing commands do).
    const { AppearanceSettingsSchema } = await import('../appearance/appearance-settings.js');
    const checked = AppearanceSettingsSchema.safeParse(appearance);
    if (!checked.success) {
      for (const i of checked.error.issues) problems.push(`appearance.${i.path.join('.')}: ${i.message}`);
    }
  }
  if (problems.length > 0) {
    const reason = `${file}: ${problems.join('; ')}`;
    throw new KysoError('SETTINGS_INVALID', reason, { details: { reason } });
  }
}

async function writeWhole(file: string, raw: JsonObject): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(raw, null, 2)}\n`, 'utf8');
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

async function edit(
  key: string,
  change: (raw: JsonObject) => void,
  options: { home?: string; policyFile?: string; option?: string },
): Promise<void> {
  assertKnown(key);
  const home = options.home ?? kysoHome();
  const effective = await loadEffectiveSettings(home, {
    ...(options.policyFile !== undefined ? { policyFile: options.policyFile } : {}),
  });
  effective.assertUnlocked(key, options.option);
  const raw = await readUserSettings(home);
  change(raw);
  const file = settingsPath(home);
  await checkValid(raw, file);
  await writeWhole(file, raw);
}

/** Sets `key` (a dotted setting key) to a JSON value in settings.json. */
export async function setUserSetting(
  key: string,
  value: unknown,
  options: { home?: string; policyFile?: string; option?: string } = {},
): Promise<void> {
  await edit(key, (raw) => setPath(raw, key, value), options);
}

/** Removes `key` from settings.json: the policy's preset, or the default, applies again. */
export async function unsetUserSetting(
  key: string,
  options: { home?: string; policyFile?: string; option?: string } = {},
): Promise<void> {
  await edit(key, (raw) => deletePath(raw, key), options);
}
