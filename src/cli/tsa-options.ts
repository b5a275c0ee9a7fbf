// Timestamp server options. Credentials come from environment variables, never from argv.
import { Secret } from '../shared/secret.js';
import type { TsaOptions } from '../signing/sign-api.js';
import { usageError } from './cli-io.js';

export const TSA_OPTIONS = {
  tsa: { type: 'string' },
  'tsa-user': { type: 'string' },
  'tsa-password-env': { type: 'string' },
  'tsa-token-env': { type: 'string' },
  'tsa-timeout': { type: 'string' },
} as const;

export function tsaOptionsFrom(values: {
  tsa?: string;
  'tsa-user'?: string;
  'tsa-password-env'?: string;
  'tsa-token-env'?: string;
  'tsa-timeout'?: string;
}): TsaOptions | undefined {
  if (!values.tsa) return undefined;
  let url: URL;
  try {
    url = new URL(values.tsa);
  } catch {
    throw usageError(`--tsa takes an http(s) URL, not "${values.tsa}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError('--tsa takes an http(s) URL');
  let timeoutMs: number | undefined;
  if (values['tsa-timeout'] !== undefined) {
    const s = Number(values['tsa-timeout']);
    if (!(s > 0)) throw usageError(`--tsa-timeout takes seconds, not "${values['tsa-timeout']}"`);
    timeoutMs = s * 1000;
  }
  const secretFrom = (name: string): Secret => {
    const v = process.env[name];
    if (!v) throw usageError(`the environment variable ${name} is empty`);
    return new Secret(v);
  };
  const auth =
    values['tsa-token-env'] !== undefined
      ? { kind: 'bearer' as const, token: secretFrom(values['tsa-token-env']) }
      : values['tsa-user'] !== undefined
        ? {
            kind: 'basic' as const,
            username: values['tsa-user'],
            password: values['tsa-password-env'] ? secretFrom(values['tsa-password-env']) : new Secret(''),
          }
        : undefined;
  return { url: values.tsa, ...(auth ? { auth } : {}), ...(timeoutMs ? { timeoutMs } : {}) };
}
