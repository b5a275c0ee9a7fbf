// The outbox's states as the contract names them. Free of zod, so that the renderer can import the
// list without loading the contract's schemas (see wire-codec.ts).
export const OUTBOX_STATE_NAMES = ['queued', 'sending', 'delivered', 'failed', 'cancelled'] as const;
export type OutboxStateName = (typeof OUTBOX_STATE_NAMES)[number];
