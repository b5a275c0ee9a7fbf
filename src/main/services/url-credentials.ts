// A proxy URL may carry the office's proxy password (http://user:password@proxy:8080). The window
// is shown the settings in force (policy.get) with that password replaced by "***", and a form that
// sends the shown value back unchanged keeps the stored one: the password never reaches the renderer.
const MASK = '***';

/** The URL with its password masked; anything else as it is. */
export function maskUrlPassword(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.password === '') return value;
    url.password = MASK;
    // URL adds a "/" path to a bare host: the original's form is kept.
    const masked = url.toString();
    return value.endsWith('/') || !masked.endsWith('/') ? masked : masked.slice(0, -1);
  } catch {
    return value;
  }
}

/** Every string inside a settings value, masked (sections such as "network" hold the proxy too). */
export function maskCredentials(value: unknown): unknown {
  if (typeof value === 'string') return maskUrlPassword(value);
  if (Array.isArray(value)) return value.map(maskCredentials);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskCredentials(v)]));
  }
  return value;
}

/** The value a form sent: the masked form of the stored URL means "unchanged". */
export function unmaskUrl(sent: string | null, stored: string | null): string | null {
  return sent !== null && stored !== null && sent === maskUrlPassword(stored) ? stored : sent;
}
