// The bridge: a WebSocket server on a loopback address that speaks the signing-plugin protocol
// (wss://127.0.0.1:8987/<Endpoint>) for the web one-stop systems an admin allowed. The handshake is
// where requests are turned away: an unknown path, a Host header that is not this machine (DNS
// rebinding), an Origin not on the list. TLS and plain WebSocket can share the port: the first byte
// of a connection tells them apart (0x16 opens a TLS handshake record; HTTP starts with a letter).
import type { EventEmitter } from 'node:events';
import { readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { KysoError } from '../../shared/errors.js';
import type { Lang } from '../../shared/messages.js';
import { kysoHome } from '../home.js';
import { loadTrustStore, type TrustStore } from '../verify/index.js';
import type { BridgeIdentity } from './bridge-identity.js';
import {
  handleBridgeMessage,
  type BridgeEvent,
  type BridgeReply,
  type BridgeSigningProfile,
  type ConfirmFunction,
  type UndeliveredHandler,
} from './bridge-job.js';
import { endpointOfPath, type BridgeEndpoint } from './bridge-request.js';
import { BRIDGE_STATUS } from './bridge-status.js';
import { assertLoopbackBind, isLocalHostHeader } from './local-address.js';
import { ensureLocalCertificate, type LocalCertificate } from './local-certificate.js';
import { OriginAllowList } from './origin-allow-list.js';
import { RateLimit } from './rate-limit.js';
import { SigningQueue } from './signing-queue.js';

export type BridgeMode = 'tls' | 'plain' | 'both';

export const DEFAULT_BRIDGE_PORT = 8987;

export interface BridgeOptions {
  readonly identity: BridgeIdentity;
  /** Asks the user before each signing; only an explicit true signs. */
  readonly confirm: ConfirmFunction;
  /** Origins whose pages are served; an empty list serves nobody. */
  readonly allowedOrigins: readonly string[];
  /** Hosts files may also be downloaded from and sent to, besides those of the allowed origins. */
  readonly extraHosts?: readonly string[];
  readonly profile?: BridgeSigningProfile;
  /** A loopback address (127.0.0.1 by default); anything else is refused. */
  readonly host?: string;
  /** 8987 by default; 0 picks a free port (tests). */
  readonly port?: number;
  readonly mode?: BridgeMode;
  /** KYSO_HOME: the TLS certificate, the work and undelivered folders. */
  readonly home?: string;
  readonly maxFileBytes?: number;
  /** Largest WebSocket message (the request JSON). */
  readonly maxMessageBytes?: number;
  /** Requests per origin: a burst, then so many per minute. */
  readonly rate?: { readonly burst: number; readonly perMinute: number };
  /** Signing requests that may wait behind the running one. */
  readonly maxQueued?: number;
  readonly uploadField?: string;
  readonly downloadTimeoutMs?: number;
  readonly uploadTimeoutMs?: number;
  /** How long the user may take to answer a confirmation (5 minutes); then it is a no. */
  readonly confirmTimeoutMs?: number;
  readonly lang?: Lang;
  /** For VerifyPDF and the seal rule; the managed trust store by default. */
  readonly trustStore?: () => Promise<TrustStore>;
  /** Takes signed files FileUploadHandler refused (the delivery outbox); a local folder by default. */
  readonly undelivered?: UndeliveredHandler;
  readonly onEvent?: (event: BridgeEvent) => void;
}

export interface RunningBridge {
  readonly host: string;
  readonly port: number;
  readonly mode: BridgeMode;
  /** The TLS certificate (absent in plain mode). */
  readonly certificate: LocalCertificate | undefined;
  close(): Promise<void>;
}

const TLS_HANDSHAKE = 0x16;
const FIRST_BYTE_TIMEOUT_MS = 10_000;
/** Open connections at once; a browser's pages need a handful. */
const MAX_CONNECTIONS = 64;

/**
 * A socket's first chunk put back in front of the rest: a JS stream, so that the TLS layer reads
 * it too (a TLS socket built on a net.Socket reads from its handle and would miss an unshifted chunk).
 */
class ReplayedSocket extends Duplex {
  constructor(
    private readonly socket: net.Socket,
    first: Buffer,
  ) {
    super();
    this.push(first);
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('error', (err) => this.destroy(err));
  }
  override _read(): void {
    this.socket.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.socket.write(chunk, done);
  }
  override _final(done: () => void): void {
    this.socket.end(done);
  }
  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    this.socket.destroy();
    done(err);
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Work folders a killed bridge left behind hold downloaded documents nobody needs. Only old ones go:
 * another bridge on another port may share the data folder.
 */
async function removeStaleWork(dir: string, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith('job-'))) {
    const folder = path.join(dir, name);
    const info = await stat(folder).catch(() => undefined);
    if (info && now - info.mtimeMs > 3_600_000) await rm(folder, { recursive: true, force: true });
  }
}

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const host = options.host ?? '127.0.0.1';
  assertLoopbackBind(host);
  const mode = options.mode ?? 'tls';
  const home = options.home ?? kysoHome();
  const allowList = new OriginAllowList(options.allowedOrigins, options.extraHosts);
  const certificate = mode === 'plain' ? undefined : await ensureLocalCertificate(home);
  await removeStaleWork(path.join(home, 'bridge', 'work'));
  const emit = options.onEvent ?? (() => undefined);
  const lang = options.lang ?? 'vi';
  const stop = new AbortController();
  const rate = new RateLimit(options.rate?.burst ?? 10, options.rate?.perMinute ?? 30);
  const queue = new SigningQueue(options.maxQueued ?? 5);
  let trustStore: Promise<TrustStore> | undefined;
  const ctx = {
    home,
    allowList,
    identity: options.identity,
    confirm: options.confirm,
    profile: options.profile ?? {},
    queue,
    maxFileBytes: options.maxFileBytes ?? 50 * 1024 * 1024,
    downloadTimeoutMs: options.downloadTimeoutMs ?? 120_000,
    uploadTimeoutMs: options.uploadTimeoutMs ?? 120_000,
    confirmTimeoutMs: options.confirmTimeoutMs ?? 300_000,
    uploadField: options.uploadField ?? 'file',
    lang,
    trustStore: options.trustStore ?? (() => (trustStore ??= loadTrustStore())),
    ...(options.undelivered ? { undelivered: options.undelivered } : {}),
    onEvent: emit,
    signal: stop.signal,
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 64 * 1024 });
  let port = options.port ?? DEFAULT_BRIDGE_PORT;

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (!isLocalHostHeader(req.headers.host, port)) {
      emit({ kind: 'refused', reason: 'host', host: req.headers.host });
      res.writeHead(403).end();
      return;
    }
    const endpoint = endpointOfPath(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (endpoint !== undefined) {
      res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' }).end();
      return;
    }
    // A page to open once in a browser: it shows whether the browser trusts the certificate.
    if (req.url === '/' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Kyso bridge\n');
      return;
    }
    res.writeHead(404).end();
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    let endpoint: BridgeEndpoint | undefined;
    try {
      endpoint = endpointOfPath(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      endpoint = undefined;
    }
    if (!isLocalHostHeader(req.headers.host, port)) {
      emit({ kind: 'refused', reason: 'host', host: req.headers.host });
      refuse(socket, 403, 'Forbidden');
      return;
    }
    const origin = req.headers.origin;
    if (origin === undefined || !allowList.allowsOrigin(origin)) {
      emit({ kind: 'refused', reason: 'origin', origin });
      refuse(socket, 403, 'Forbidden');
      return;
    }
    if (endpoint === undefined) {
      emit({ kind: 'refused', reason: 'path', origin });
      refuse(socket, 404, 'Not Found');
      return;
    }
    const served = endpoint;
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, served, new URL(origin).origin));
  };

  const serve = (ws: WebSocket, endpoint: BridgeEndpoint, origin: string): void => {
    // One request at a time per connection, so replies come back in the order of the requests.
    let chain: Promise<void> = Promise.resolve();
    const closed = new AbortController();
    ws.on('close', () => closed.abort());
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      const send = (reply: BridgeReply): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      };
      if (!rate.take(origin)) {
        emit({ kind: 'refused', reason: 'rate', origin });
        send({
          Status: BRIDGE_STATUS.BUSY,
          Message:
            lang === 'vi' ? 'Quá nhiều yêu cầu; hãy thử lại sau.' : 'Too many requests; try again later.',
          FileName: '',
          FileServer: '',
          DocumentNumber: '',
          DocumentDate: '',
        });
        return;
      }
      const text = isBinary
        ? ''
        : Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.concat(data as Buffer[]).toString('utf8');
      chain = chain.then(async () =>
        send(await handleBridgeMessage(endpoint, origin, text, ctx, closed.signal)),
      );
    });
  };

  const httpServer = http.createServer(onRequest);
  httpServer.on('upgrade', onUpgrade);
  const tlsServer = certificate
    ? https.createServer(
        { cert: certificate.certPem, key: certificate.keyPem, minVersion: 'TLSv1.2' },
        onRequest,
      )
    : undefined;
  tlsServer?.on('upgrade', onUpgrade);
  tlsServer?.on('tlsClientError', (_err, socket) => socket.destroy());

  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (mode === 'plain') {
      httpServer.emit('connection', socket);
      return;
    }
    if (mode === 'tls') {
      (tlsServer as EventEmitter).emit('connection', socket);
      return;
    }
    // A connection that never says which it is does not stay open.
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      if (first[0] === TLS_HANDSHAKE)
        (tlsServer as EventEmitter).emit('connection', new ReplayedSocket(socket, first));
      else {
        socket.unshift(first);
        httpServer.emit('connection', socket);
        socket.resume();
      }
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
        reject(
          new KysoError('BRIDGE_PORT_IN_USE', `Port ${port} is in use.`, { details: { port }, cause: err }),
        );
      } else reject(err);
    });
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as net.AddressInfo).port;

  return {
    host,
    port,
    mode,
    certificate,
    async close(): Promise<void> {
      stop.abort();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
