// Public entry: software identities behind the signer seam (PKCS#12 files, the demo identity).
export {
  KeySigner,
  openP12,
  openDemoIdentity,
  demoRootCertificate,
  isDemoCertificate,
  DEMO_NOTICE,
} from './identity/index.js';
