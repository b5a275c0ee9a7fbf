// The development and test host: the built renderer on 127.0.0.1 only, and the contract over one
// WebSocket per page to the same host core (and engine process) the Electron shell uses. Every
// request needs the per-run token and a loopback Host; the WebSocket also needs the page's Origin.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ClientMessageSchema,
  TOKEN_PARAM,
  WIRE_PATH,
  decodeWire,
  encodeWireFrame,
  type ServerMessage,
} from '../../shared/contract/index.js';
import { KysoError } from '../../shared/errors.js';
import type { AppCore } from '../app-core.js';
import { contentSecurityPolicy } from '../content-security-policy.js';
import { hostAllowed, originAllowed, sameToken, tokenCookieName, tokenOf } from './request-guard.js';
import { securityHeaders, serveStatic } from './static-files.js';
import { DialogAnswerSchema, type WebDialogs } from './web-dialogs.js';

/** The only address the host listens on. */
export const WEB_HOST_ADDRESS = '127.0.0.1';
const MAX_DIALOG_BODY = 64 * 1024;
/** A request over the WebSocket is small (the largest is sign.run); 1 MiB bounds a hostile one. */
const MAX_MESSAGE = 1024 * 1024;

export interface WebHostOptions {
  readonly core: AppCore;
  readonly dialogs: WebDialogs;
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Listen address; anything but loopback is refused (tests pass other values to check that). */
  readonly address?: string;
  readonly token?: string;
}

export interface WebHost {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const address = options.address ?? WEB_HOST_ADDRESS;
  if (address !== WEB_HOST_ADDRESS) {
    throw new KysoError('WEB_HOST_NOT_LOOPBACK', `refusing to listen on ${address}`, {
      details: { host: address },
    });
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const { core, dialogs } = options;
  const server: Server = createServer();
  const sockets = new Set<WebSocket>();
  let port = 0;
  let connections = 0;

  const headers = (): Record<string, string> =>
    securityHeaders(
      contentSecurityPolicy({ connect: [`ws://${WEB_HOST_ADDRESS}:${port}`, `ws://localhost:${port}`] }),
    );

  const authorised = (req: IncomingMessage): 'ok' | 'host' | 'token' => {
    if (!hostAllowed(req.headers.host, port)) return 'host';
    return sameToken(tokenOf(req, port), token) ? 'ok' : 'token';
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const verdict = authorised(req);
      if (verdict === 'host') return refuse(res, 403, 'Forbidden host');
      if (verdict === 'token') return refuse(res, 401, 'Unauthorized');
      const url = new URL(req.url ?? '/', `http://${WEB_HOST_ADDRESS}:${port}`);
      if (url.pathname === '/__dialog') {
        if (req.method === 'GET') {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
          res.end(JSON.stringify({ pending: dialogs.pending, shown: dialogs.shown }));
          return;
        }
        if (req.method !== 'POST') return refuse(res, 405, 'Method not allowed');
        try {
          dialogs.script(DialogAnswerSchema.parse(JSON.parse(await readBody(req, MAX_DIALOG_BODY))));
        } catch {
          return refuse(res, 400, 'Bad dialog answer');
        }
        res.writeHead(204, { 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
      // The page was opened with ?token=: keep it in a cookie so that its scripts and assets,
      // requested by relative URLs, carry it too.
      const cookie: Record<string, string> = url.searchParams.has(TOKEN_PARAM)
        ? { 'Set-Cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/` }
        : {};
      await serveStatic(options.rendererDir, url.pathname, res, headers(), cookie);
    })().catch(() => {
      if (!res.headersSent) refuse(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${WEB_HOST_ADDRESS}:${port}`);
    const verdict = authorised(req);
    const status =
      url.pathname !== WIRE_PATH
        ? '404 Not Found'
        : verdict === 'host' || !originAllowed(req.headers.origin, port)
          ? '403 Forbidden'
          : verdict === 'token'
            ? '401 Unauthorized'
            : null;
    if (status !== null) {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  const send = (ws: WebSocket, message: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(encodeWireFrame(message));
  };

  const unsubscribe = core.subscribe((event) => {
    for (const ws of sockets) send(ws, { type: 'event', event });
  });

  function serveSocket(ws: WebSocket): void {
    sockets.add(ws);
    // Call ids are the page's; the prefix keeps two pages' ids apart in the core and the engine.
    const prefix = `ws${++connections}:`;
    const inFlight = new Set<string>();
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message;
      try {
        message = ClientMessageSchema.parse(decodeWire(data.toString()));
      } catch {
        return; // not the protocol: ignored (the page's own adapter never sends such a thing)
      }
      switch (message.type) {
        case 'call': {
          const { callId } = message;
          inFlight.add(callId);
          void core
            .invoke(prefix + callId, message.channel, message.request, (progress) =>
              send(ws, { type: 'event', event: { kind: 'progress', callId, progress } }),
            )
            .then((result) => {
              inFlight.delete(callId);
              send(ws, { type: 'result', callId, result });
            });
          return;
        }
        case 'cancel':
          core.cancel(prefix + message.callId);
          return;
        case 'path-for-file':
          void dialogs
            .pathForFile(message.name, message.size)
            .then((path) => send(ws, { type: 'path', callId: message.callId, path }));
          return;
      }
    });
    ws.on('close', () => {
      sockets.delete(ws);
      // A page that went away cancels what it started (a signature waiting for nobody).
      for (const callId of inFlight) core.cancel(prefix + callId);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${WEB_HOST_ADDRESS}:${port}`;
  return {
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    origin,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
