// Every key of settings.json a machine policy can preset and lock: each section and each of its
// members, as dotted paths ("tsa", "tsa.url", "pkcs11.modules"). Read off the settings schema, so a
// setting added there is lockable without a change here. The "appearance" member is read with zod by
// the commands that draw (appearance/, kept off the signing path's start-up), so its keys are listed
// by hand; a test checks them against AppearanceSettingsSchema.
import { isObjectSchema, type Shape } from '../schema/plain-schema.js';
import { SettingsSchema } from '../settings-schema.js';

const TEMPLATE_KEYS = ['personal', 'seal', 'text', 'certified-copy'] as const;

export const APPEARANCE_KEYS: readonly string[] = [
  'appearance',
  'appearance.font',
  'appearance.timeFormat',
  'appearance.utcOffsetMinutes',
  'appearance.organization',
  'appearance.sealDiameterMm',
  'appearance.templates',
  ...TEMPLATE_KEYS.map((t) => `appearance.templates.${t}`),
];

function keysOf(shape: Shape, prefix: string): string[] {
  const keys: string[] = [];
  for (const [name, member] of Object.entries(shape)) {
    const key = `${prefix}${name}`;
    keys.push(key);
    if (isObjectSchema(member)) keys.push(...keysOf(member.shape, `${key}.`));
  }
  return keys;
}

/** Every lockable key, sections before their members. */
export const SETTING_KEYS: readonly string[] = [...keysOf(SettingsSchema.shape, ''), ...APPEARANCE_KEYS];

const KEY_SET = new Set(SETTING_KEYS);

export function isSettingKey(key: string): boolean {
  return KEY_SET.has(key);
}

/** A key with members of its own (a section such as "tsa" or "appearance.templates"). */
export function isSectionKey(key: string): boolean {
  return SETTING_KEYS.some((k) => k.startsWith(`${key}.`));
}

/** The key and the sections above it: "tsa.url" → ["tsa", "tsa.url"]. */
export function keyAndAncestors(key: string): string[] {
  const parts = key.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}
