// The engine's settings file (<KYSO_HOME>/settings.json): token libraries, and later TSA, revocation
// and appearance defaults. IT staff may preset it; it is parsed, never trusted as it is.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { KysoError } from '../shared/errors.js';
import { kysoHome } from './home.js';

export const SettingsSchema = z
  .object({
    pkcs11: z
      .object({
        /** Extra PKCS#11 library paths an admin added. */
        modules: z.array(z.string().min(1)).default([]),
        /** Also search the catalogue of known Vietnamese token libraries. */
        searchCatalogue: z.boolean().default(true),
      })
      .prefault({}),
    /** Intermediate CA certificates (PEM or DER files) used to complete signers' chains. */
    intermediates: z.array(z.string().min(1)).default([]),
  })
  .prefault({});

export type Settings = z.infer<typeof SettingsSchema>;

export function settingsPath(home: string = kysoHome()): string {
  return path.join(home, 'settings.json');
}

export async function loadSettings(home: string = kysoHome()): Promise<Settings> {
  const file = settingsPath(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return SettingsSchema.parse({});
    throw new KysoError('SETTINGS_INVALID', `Cannot read ${file}.`, {
      details: { reason: file },
      cause: err,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new KysoError('SETTINGS_INVALID', `${file} is not valid JSON.`, {
      details: { reason: `${file}: JSON` },
      cause,
    });
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new KysoError('SETTINGS_INVALID', `${file}: ${reason}`, {
      details: { reason: `${file}: ${reason}` },
    });
  }
  return parsed.data;
}
