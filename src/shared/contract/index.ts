// The one contract between the app's main side and its renderer (issue 13): import only this.
export * from './result.js';
export * from './requests.js';
export * from './bridge.js';
export * from './client.js';
export * from './wire.js';
export * from './local-bridge.js';
export * from './policy.js';
export * from './token-admin.js';
export * from './batch.js';
export * from './images.js';
export * from './network.js';
export * from './trust.js';
export * from './pin-errors.js';
export * from './inbox.js';
export * from './signing-defaults.js';
