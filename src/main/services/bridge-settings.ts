// The app's settings of the local bridge: the `bridge` section of <KYSO_HOME>/app.json (the app's own
// file; IT staff's settings.json is never rewritten). Whether it starts with the app, its port, the
// sites the user allowed and the certificate it signs with. Parsed on read: a broken section means
// the bridge stays off.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CertificateRefSchema, type CertificateRef } from '../../shared/contract/index.js';
import { KysoError } from '../../shared/errors.js';
import { normalizeOrigin } from '../../signing/bridge-api.js';
import { appSettingsPath } from './app-settings.js';
import { writeFileAtomic } from './atomic-write.js';

export const BridgeAppSettingsSchema = z.object({
  enabled: z.boolean().catch(false).default(false),
  port: z.number().int().min(1).max(65535).optional().catch(undefined),
  allowedOrigins: z.array(z.string()).catch([]).default([]),
  certificate: CertificateRefSchema.nullable().catch(null).default(null),
});

export interface BridgeAppSettings {
  readonly enabled: boolean;
  /** Absent: settings.json's bridge.port (8987 by default). */
  readonly port?: number | undefined;
  readonly allowedOrigins: readonly string[];
  readonly certificate: CertificateRef | null;
}

const OFF: BridgeAppSettings = { enabled: false, allowedOrigins: [], certificate: null };

async function readAppJson(home?: string): Promise<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(await readFile(appSettingsPath(home), 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export async function loadBridgeSettings(home?: string): Promise<BridgeAppSettings> {
  const parsed = BridgeAppSettingsSchema.safeParse((await readAppJson(home))['bridge'] ?? {});
  return parsed.success ? parsed.data : OFF;
}

/** The origins as browsers send them; a value that is not one is refused with the reason. */
export function normalizeOrigins(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    if (value.trim() === '') continue;
    try {
      out.add(normalizeOrigin(value));
    } catch {
      const reason = `"${value.slice(0, 100)}" is not a site address (https://host[:port])`;
      throw new KysoError('CONTRACT_INVALID_REQUEST', reason, {
        details: { channel: 'bridge.settings.set', reason },
      });
    }
  }
  return [...out];
}

/** Saves the section, keeping every other key of app.json (the language). */
export async function saveBridgeSettings(settings: BridgeAppSettings, home?: string): Promise<void> {
  const all = await readAppJson(home);
  all['bridge'] = {
    enabled: settings.enabled,
    ...(settings.port !== undefined ? { port: settings.port } : {}),
    allowedOrigins: settings.allowedOrigins,
    certificate: settings.certificate,
  };
  await writeFileAtomic(appSettingsPath(home), `${JSON.stringify(all, null, 2)}\n`);
}
