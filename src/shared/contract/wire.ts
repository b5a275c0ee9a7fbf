// The web host's wire protocol (src/main/web-host): the contract carried over one WebSocket per page.
// The browser adapter (src/renderer/bridge/web-bridge.ts) speaks this; the host parses every message
// it receives with these schemas. JSON text frames; Uint8Array values travel as { $bytes: base64 }
// (wire-codec.ts, which the browser imports without zod).
import { z } from 'zod';

export * from './wire-codec.js';

const CallIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/);

/** Browser → host. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('call'),
    callId: CallIdSchema,
    channel: z.string().max(100),
    request: z.unknown(),
  }),
  z.strictObject({ type: z.literal('cancel'), callId: CallIdSchema }),
  /** A file dropped on the page: the host looks it up by name (and size) in its --files folder. */
  z.strictObject({
    type: z.literal('path-for-file'),
    callId: CallIdSchema,
    name: z.string().min(1).max(1000),
    size: z.number().int().min(0),
  }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
