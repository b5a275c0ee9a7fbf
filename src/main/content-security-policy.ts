// The renderer's Content-Security-Policy, one text for the Electron window and the web host: only the
// app's own files run (no inline script, no eval, no remote content), and it talks only to its host.
// pdf.js needs its worker from 'self' and blob:/data: images for thumbnails.

export function contentSecurityPolicy(options: { readonly connect?: readonly string[] } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${(options.connect ?? []).map((c) => ` ${c}`).join('')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
