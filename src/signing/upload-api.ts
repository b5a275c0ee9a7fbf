// Public entry: delivery of signed results to the one-stop system (kyso upload, kyso outbox, the
// app's outbox screen): dossier codes, the durable outbox, adapters and the flush.
export * from './upload/index.js';
