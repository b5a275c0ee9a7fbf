// Public entry: reading X.509 certificates and the files IT staff hand over (PEM, DER, PKCS#7).
export { parseCertificate, allowsSigning, type CertificateInfo } from './x509/certificate-info.js';
export { readCertificateFiles, parseCertificateBundle } from './x509/certificate-files.js';
