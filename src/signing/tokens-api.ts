// Public entry: PKCS#11 libraries, tokens, sessions, the token signer, the token inventory and the
// doctor report (diagnose, and its text for people).
export * from './pkcs11/index.js';
export {
  takeInventory,
  type InventoryLogin,
  type InventoryModule,
  type InventoryModuleError,
  type InventoryToken,
  type InventoryCertificate,
} from './pkcs11/token-inventory.js';
export { formatInventory } from './pkcs11/inventory-text.js';
export {
  diagnose,
  type DiagnosticReport,
  type DiagnosticWarning,
  type DiagnosticPolicy,
} from './diagnostics.js';
export { diagnosticReportText, diagnosticReportFileName } from './diagnostic-report-text.js';
