// Public entry: verification of signed PDFs, the trust store and the report types. The verifier's
// own index is already exactly its public face.
export * from './verify/index.js';
