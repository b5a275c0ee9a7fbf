// From the engine's settings file (network proxy, revocation section) to the options of a
// RevocationClient, with the cache in <KYSO_HOME>/cache/revocation/.
import { kysoHome } from '../home.js';
import type { Settings } from '../settings.js';
import { defaultRevocationCacheDir } from './revocation-cache.js';
import type { RevocationOptions } from './revocation-client.js';

export function revocationOptionsFromSettings(
  settings: Settings,
  home: string = kysoHome(),
  signal?: AbortSignal,
): RevocationOptions {
  const r = settings.revocation;
  const proxy = settings.network.proxy;
  return {
    mode: r.mode,
    prefer: r.prefer,
    timeoutMs: r.timeoutMs,
    retries: r.retries,
    cacheDir: r.cache ? defaultRevocationCacheDir(home) : null,
    ...(proxy !== undefined ? { proxy: { url: proxy, noProxy: settings.network.noProxy } } : {}),
    ...(signal !== undefined ? { signal } : {}),
  };
}
