// What the certificate chooser warns about, against now: expired, not yet valid, expiring within 30
// days, or a key usage that does not allow signatures.
import type { CertificateWarning } from '../../shared/contract/index.js';

const SOON_MS = 30 * 24 * 60 * 60 * 1000;

export function certificateWarnings(
  cert: {
    readonly notBefore: string;
    readonly notAfter: string;
    readonly keyUsage: readonly string[] | null;
  },
  now: Date,
): CertificateWarning[] {
  const warnings: CertificateWarning[] = [];
  const notBefore = Date.parse(cert.notBefore);
  const notAfter = Date.parse(cert.notAfter);
  if (now.getTime() > notAfter) warnings.push('expired');
  else if (notAfter - now.getTime() <= SOON_MS) warnings.push('expiring-soon');
  if (now.getTime() < notBefore) warnings.push('not-yet-valid');
  if (
    cert.keyUsage !== null &&
    !cert.keyUsage.includes('digitalSignature') &&
    !cert.keyUsage.includes('nonRepudiation')
  ) {
    warnings.push('no-signing-usage');
  }
  return warnings;
}
