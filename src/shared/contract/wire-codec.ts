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

/** What `replace` answers for a value it leaves to the walk. */
const WALK_ON: unique symbol = Symbol('walk on');

/**
 * A copy of a JSON-like value with some values replaced (bytes ↔ their JSON form). Keys are defined,
 * not assigned, so that a "__proto__" key stays a plain key, never the object's prototype; undefined
 * members are left out, as JSON.stringify would.
 */
function rebuild(value: unknown, replace: (value: unknown) => unknown): unknown {
  const replaced = replace(value);
  if (replaced !== WALK_ON) return replaced;
  if (Array.isArray(value)) return value.map((v) => rebuild(v, replace));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) define(out, k, rebuild(v, replace));
    return out;
  }
  return value;
}

/** JSON text of a message, Uint8Array (and Node Buffers) as { $bytes }. */
export function encodeWire(message: unknown): string {
  return JSON.stringify(
    rebuild(message, (v) => (v instanceof Uint8Array ? { $bytes: toBase64(v) } : WALK_ON)),
  );
}

/** The value of a message's JSON text, { $bytes } back to Uint8Array. Throws SyntaxError on bad JSON. */
export function decodeWire(text: string): unknown {
  return rebuild(JSON.parse(text), (v) => (isEncodedBytes(v) ? fromBase64(v.$bytes) : WALK_ON));
}

// ---------------------------------------------------------------------------------------------
// Binary frames (host → browser)
//
// A message carrying many bytes (document.readMany's parts: a scanned page is megabytes) is sent as
// one binary frame instead of JSON text with base64: base64 makes it a third larger and costs an
// encoding in the host and a decoding loop in the page, most of the time to show a scan's first
// page. Layout: "KYS1", the JSON's length (4 bytes, big-endian), the JSON (UTF-8) in which each byte
// value is { "$bin": [offset, length] } into the blob area, then the blobs.

const FRAME_MAGIC = [0x4b, 0x59, 0x53, 0x31]; // "KYS1"
/** Below this many bytes in all, JSON text is as quick and easier to read in a debugger. */
export const BINARY_FRAME_MIN_BYTES = 64 * 1024;

interface BinaryRef {
  readonly $bin: readonly [number, number];
}

function isBinaryRef(value: unknown): value is BinaryRef {
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return false;
  const ref = (value as { $bin?: unknown }).$bin;
  return (
    Array.isArray(ref) &&
    ref.length === 2 &&
    ref.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)
  );
}

/** The frame for a message: JSON text, or a binary frame when it carries many bytes. */
export function encodeWireFrame(message: unknown): string | Uint8Array {
  const blobs: Uint8Array[] = [];
  let total = 0;
  const shaped = rebuild(message, (v) => {
    if (!(v instanceof Uint8Array)) return WALK_ON;
    blobs.push(v);
    total += v.length;
    return { $bin: [total - v.length, v.length] };
  });
  if (total < BINARY_FRAME_MIN_BYTES) return encodeWire(message);
  const json = new TextEncoder().encode(JSON.stringify(shaped));
  const frame = new Uint8Array(8 + json.length + total);
  frame.set(FRAME_MAGIC, 0);
  new DataView(frame.buffer).setUint32(4, json.length);
  frame.set(json, 8);
  let at = 8 + json.length;
  for (const blob of blobs) {
    frame.set(blob, at);
    at += blob.length;
  }
  return frame;
}

/** A frame's message: JSON text (decodeWire) or a binary frame. Throws on a malformed frame. */
export function decodeWireFrame(frame: string | Uint8Array): unknown {
  if (typeof frame === 'string') return decodeWire(frame);
  if (frame.length < 8 || FRAME_MAGIC.some((b, i) => frame[i] !== b))
    throw new SyntaxError('not a Kyso frame');
  const jsonLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(4);
  if (8 + jsonLength > frame.length) throw new SyntaxError('truncated Kyso frame');
  const blobs = frame.subarray(8 + jsonLength);
  const json = JSON.parse(new TextDecoder().decode(frame.subarray(8, 8 + jsonLength)));
  return rebuild(json, (v) => {
    if (!isBinaryRef(v)) return WALK_ON;
    const [offset, length] = v.$bin;
    if (offset + length > blobs.length) throw new SyntaxError('a byte value outside the frame');
    // A copy of its own: pdf.js may transfer the buffer it is given to its worker.
    return blobs.slice(offset, offset + length);
  });
}
