// Public entry: the local bridge for web one-stop systems (`kyso bridge`, the signing-plugin protocol).
export * from './bridge/index.js';
