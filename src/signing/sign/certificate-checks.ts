// Checks before signing (issue: the certificate is inside its validity period now and allows
// signing): a refused certificate is named with the date that makes it unusable.
import { KysoError } from '../../shared/errors.js';
import { allowsSigning, type CertificateInfo } from '../x509/certificate-info.js';

const day = (d: Date): string => d.toISOString().slice(0, 10);

export function assertCertificateCanSign(cert: CertificateInfo, now: Date = new Date()): void {
  if (now.getTime() > cert.notAfter.getTime()) {
    throw new KysoError(
      'CERT_EXPIRED',
      `The certificate of ${cert.subjectCN ?? cert.subjectDN} expired on ${day(cert.notAfter)}.`,
      {
        details: { notAfter: day(cert.notAfter), subject: cert.subjectCN ?? cert.subjectDN },
      },
    );
  }
  if (now.getTime() < cert.notBefore.getTime()) {
    throw new KysoError(
      'CERT_NOT_YET_VALID',
      `The certificate of ${cert.subjectCN ?? cert.subjectDN} is valid only from ${day(cert.notBefore)}.`,
      { details: { notBefore: day(cert.notBefore), subject: cert.subjectCN ?? cert.subjectDN } },
    );
  }
  if (!allowsSigning(cert)) {
    throw new KysoError(
      'CERT_NO_SIGNING_USAGE',
      `The certificate of ${cert.subjectCN ?? cert.subjectDN} does not allow digital signatures (key usage).`,
      { details: { subject: cert.subjectCN ?? cert.subjectDN } },
    );
  }
}
