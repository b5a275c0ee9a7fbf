// Which web systems the bridge serves: the admin's list of origins (scheme://host[:port]). A page's
// Origin header must be on it at the WebSocket handshake; its files are downloaded, and signed files
// sent, only to the hosts of those origins (plus extra hosts the caller names), so that a page cannot
// make the bridge fetch from, or deliver to, anywhere else.
import { KysoError } from '../../shared/errors.js';

/** scheme://host[:port] in the form browsers send in Origin (lower case, default port left out). */
export function normalizeOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw notAnOrigin(value);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw notAnOrigin(value);
  if (url.username !== '' || url.password !== '' || (url.pathname !== '/' && url.pathname !== '')) {
    throw notAnOrigin(value);
  }
  return url.origin;
}

function notAnOrigin(value: string): KysoError {
  const reason = `"${value}" is not an origin (https://host[:port])`;
  return new KysoError('USAGE', reason, { details: { reason } });
}

export class OriginAllowList {
  readonly origins: ReadonlySet<string>;
  readonly #hosts: ReadonlySet<string>;

  constructor(origins: readonly string[], extraHosts: readonly string[] = []) {
    this.origins = new Set(origins.map(normalizeOrigin));
    this.#hosts = new Set([
      ...[...this.origins].map((o) => new URL(o).hostname.toLowerCase()),
      ...extraHosts.map((h) => h.toLowerCase()),
    ]);
  }

  /** The page's Origin header is on the list (an absent or "null" Origin never is). */
  allowsOrigin(origin: string | undefined): boolean {
    if (origin === undefined || origin === 'null') return false;
    try {
      return this.origins.has(normalizeOrigin(origin));
    } catch {
      return false;
    }
  }

  /**
   * An absolute http(s) URL on an allowed host; a relative one is resolved against the page's origin.
   * Throws BRIDGE_HOST_NOT_ALLOWED (or BRIDGE_REQUEST_INVALID for what is not a URL).
   */
  resolve(value: string, origin: string): URL {
    let url: URL;
    try {
      url = new URL(value, origin);
    } catch {
      const reason = `"${value.slice(0, 200)}" is not a URL`;
      throw new KysoError('BRIDGE_REQUEST_INVALID', reason, { details: { reason } });
    }
    if (
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.username !== '' ||
      url.password !== ''
    ) {
      const reason = `"${url.protocol}" URLs with credentials or other schemes are not fetched`;
      throw new KysoError('BRIDGE_REQUEST_INVALID', reason, { details: { reason } });
    }
    if (!this.#hosts.has(url.hostname.toLowerCase())) {
      throw new KysoError('BRIDGE_HOST_NOT_ALLOWED', `${url.hostname} is not an allowed host.`, {
        details: { host: url.hostname },
      });
    }
    return url;
  }
}
