// The web host's wire codec: the constants and the JSON encoding of the contract's messages, shared by
// the host (src/main/web-host) and the browser adapter (src/renderer/bridge/web-bridge.ts). Free of
// zod on purpose: the renderer's first screen must not load and build the contract's schemas (zod is
// a third of the renderer's script); the host parses what it receives with wire.ts's schemas.
import type { BridgeEvent } from './bridge.js';
import type { Result } from './result.js';

/** WebSocket path; the URL carries the per-run token as ?token=… (the page's own URL has it too). */
export const WIRE_PATH = '/__kyso/ws';
/** The query parameter and the HTTP header that carry the token. */
export const TOKEN_PARAM = 'token';
export const TOKEN_HEADER = 'x-kyso-token';

/** Host → browser. */
export type ServerMessage =
  | { readonly type: 'result'; readonly callId: string; readonly result: Result<unknown> }
  | { readonly type: 'path'; readonly callId: string; readonly path: string | null }
  | { readonly type: 'event'; readonly event: BridgeEvent };

// ---------------------------------------------------------------------------------------------
// Binary values inside JSON

export interface EncodedBytes {
  readonly $bytes: string;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000; // String.fromCharCode takes its arguments on the stack
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function isEncodedBytes(value: unknown): value is EncodedBytes {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { $bytes?: unknown }).$bytes === 'string'
  );
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** JSON text of a message, Uint8Array (and Node Buffers) as { $bytes }. */
export function encodeWire(message: unknown): string {
  const walk = (value: unknown): unknown => {
    if (value instanceof Uint8Array) return { $bytes: toBase64(value) };
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (v !== undefined) define(out, k, walk(v));
      return out;
    }
    return value;
  };
  return JSON.stringify(walk(message));
}

/** The value of a message's JSON text, { $bytes } back to Uint8Array. Throws SyntaxError on bad JSON. */
export function decodeWire(text: string): unknown {
  const walk = (value: unknown): unknown => {
    if (isEncodedBytes(value)) return fromBase64(value.$bytes);
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      // defineProperty: a "__proto__" key stays a plain key, never the object's prototype
      for (const [k, v] of Object.entries(value)) define(out, k, walk(v));
      return out;
    }
    return value;
  };
  return walk(JSON.parse(text));
}
