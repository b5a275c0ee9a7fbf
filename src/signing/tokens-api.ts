// Public entry: PKCS#11 libraries, tokens, sessions, the token signer and the token inventory.
export * from './pkcs11/index.js';
export {
  takeInventory,
  type InventoryLogin,
  type InventoryModule,
  type InventoryModuleError,
  type InventoryToken,
  type InventoryCertificate,
} from './pkcs11/token-inventory.js';
