// window.kyso for the browser (the development/test web host): the contract over one WebSocket, as
// src/shared/contract/wire.ts describes it. The per-run token comes from the page's own URL.
// Values from the zod-free codec only: the schemas stay out of the renderer's script.
import type {
  BridgeEvent,
  ClientMessage,
  ContractError,
  FileLike,
  KysoBridge,
  Result,
  ServerMessage,
} from '../../shared/contract/index.js';
import { TOKEN_PARAM, WIRE_PATH, decodeWireFrame, encodeWire } from '../../shared/contract/wire-codec.js';

export interface WebBridgeOptions {
  /** The page URL (location.href): its ?token= is the host's per-run token. */
  readonly pageUrl: string;
  /** The error a call gets when the connection is lost (translated by the caller). */
  readonly connectionLost: () => ContractError;
}

interface Pending {
  resolve(value: unknown): void;
  /** What the call answers when the connection drops. */
  lost(): unknown;
}

export function createWebBridge({ pageUrl, connectionLost }: WebBridgeOptions): KysoBridge {
  const page = new URL(pageUrl);
  const token = page.searchParams.get(TOKEN_PARAM) ?? '';
  const wsUrl = new URL(WIRE_PATH, page);
  wsUrl.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  wsUrl.search = new URLSearchParams({ [TOKEN_PARAM]: token }).toString();

  const pending = new Map<string, Pending>();
  const listeners = new Set<(event: BridgeEvent) => void>();
  let socket: WebSocket | null = null;
  let queue: string[] = [];
  let counter = 0;

  const failAll = (): void => {
    for (const [, p] of pending) p.resolve(p.lost());
    pending.clear();
  };

  const connect = (): WebSocket => {
    const ws = new WebSocket(wsUrl);
    // Large results (document bytes) come as binary frames (wire-codec.ts).
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', () => {
      for (const text of queue) ws.send(text);
      queue = [];
    });
    ws.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (typeof e.data !== 'string' && !(e.data instanceof ArrayBuffer)) return;
      let message: ServerMessage;
      try {
        message = decodeWireFrame(
          typeof e.data === 'string' ? e.data : new Uint8Array(e.data),
        ) as ServerMessage;
      } catch {
        return; // not the protocol (the host never sends such a thing)
      }
      if (message.type === 'event') {
        for (const l of listeners) l(message.event);
        return;
      }
      const p = pending.get(message.callId);
      if (!p) return;
      pending.delete(message.callId);
      p.resolve(message.type === 'result' ? message.result : message.path);
    });
    ws.addEventListener('close', () => {
      socket = null;
      queue = [];
      failAll();
    });
    return ws;
  };

  const send = (message: ClientMessage): void => {
    const text = encodeWire(message);
    if (!socket) socket = connect();
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
    else queue.push(text);
  };

  const request = <T>(message: ClientMessage, lost: () => T): Promise<T> =>
    new Promise<T>((resolve) => {
      pending.set(message.callId, { resolve: resolve as (v: unknown) => void, lost });
      send(message);
    });

  // Open at once so that events (open files, language) reach the page before its first call.
  socket = connect();

  return {
    invoke: (callId, channel, req) =>
      request<Result<unknown>>({ type: 'call', callId, channel, request: req }, () => ({
        ok: false,
        error: connectionLost(),
      })),
    cancel: (callId) => send({ type: 'cancel', callId }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pathForFile: (file: FileLike) =>
      request<string | null>(
        { type: 'path-for-file', callId: `path-${++counter}`, name: file.name, size: file.size },
        () => null,
      ),
  };
}
