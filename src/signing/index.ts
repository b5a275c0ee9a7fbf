// The engine's public entry: what the CLI, the desktop app, the batch runner and other programs use.
export { KysoError, isKysoError, ERROR_CODES, type ErrorCode } from '../shared/errors.js';
export { Secret } from '../shared/secret.js';
export { kysoHome } from './home.js';
export { loadSettings, settingsPath, SettingsSchema, type Settings } from './settings.js';
export { parseCertificate, allowsSigning, type CertificateInfo } from './x509/certificate-info.js';
export type { Signer, DigestAlgorithm, SignatureScheme, KeyAlgorithm } from './cms/signer.js';
export * from './pkcs11/index.js';
export {
  takeInventory,
  type InventoryLogin,
  type InventoryModule,
  type InventoryToken,
  type InventoryCertificate,
} from './pkcs11/token-inventory.js';
export { diagnose, type DiagnosticReport, type DiagnosticWarning } from './diagnostics.js';
export { readCertificateFiles, parseCertificateBundle } from './x509/certificate-files.js';
export {
  KeySigner,
  openP12,
  openDemoIdentity,
  demoRootCertificate,
  isDemoCertificate,
  DEMO_NOTICE,
} from './identity/index.js';
export {
  signPdf,
  type SignPdfRequest,
  type SignPdfResult,
  type PdfSignOptions,
  type SignProgress,
  type SignatureLevel,
  type CertifyLevel,
  type TsaOptions,
} from './sign/sign-pdf.js';
export type { TsaAuth, TsaEvent } from './cms/index.js';
