// Software identities behind the signer seam: PKCS#12 files and the demo identity.
export { KeySigner } from './key-signer.js';
export { openP12 } from './p12-identity.js';
export type { DemoIdentityPaths } from './demo-identity.js';
export {
  DEMO_NOTICE,
  DEMO_ROOT_COMMON_NAME,
  DEMO_USER_COMMON_NAME,
  DEMO_USER_ORGANIZATION,
  demoIdentityPaths,
  demoRootCertificate,
  isDemoCertificate,
  openDemoIdentity,
} from './demo-identity.js';
