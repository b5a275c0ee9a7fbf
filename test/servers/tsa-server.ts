// A real RFC 3161 time-stamping server for tests: node:http on 127.0.0.1 in front of
// `openssl ts -reply`, with knobs for the failures a TSA client must survive.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import { boolean, integer, sequence, tlv } from '../../src/signing/cms/der.js';

export type TsaServerAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

export interface TsaServerOptions {
  /** A PKI made by fixtures/pki/make-pki.sh: its tsa.conf is used. */
  readonly pkiDir?: string;
  /** An `openssl ts` configuration file (absolute paths inside); overrides `pkiDir`. */
  readonly configPath?: string;
  /** Wait this long before answering each request. */
  readonly delayMs?: number;
  /** The first `failFirst` requests fail as `failWith` says; later ones are answered normally. */
  readonly failFirst?: number;
  /** 'hang': never answer; 'http-500': HTTP 500; 'reset': drop the connection. Default 'hang'. */
  readonly failWith?: 'hang' | 'http-500' | 'reset';
  /** 'rejection': answer every request with PKIStatus rejection (failInfo badAlg). */
  readonly status?: 'granted' | 'rejection';
  /** Answer HTTP 200 with bytes that are not a TimeStampResp. */
  readonly garbage?: boolean;
  /** Time-stamp a copy of the request with another nonce (a reply to someone else's request). */
  readonly otherNonce?: boolean;
  /** Refuse requests without these credentials (HTTP 401; 403 for a wrong bearer token). */
  readonly requireAuth?: TsaServerAuth;
}

export interface TsaServer {
  readonly url: string;
  /** POST requests received so far. */
  readonly requests: number;
  /** Authorization headers received, in order (for tests of what the client sends). */
  readonly authorizations: readonly (string | undefined)[];
  close(): Promise<void>;
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve();
    });
  });
}

/** TimeStampResp { status PKIStatusInfo { rejection, statusString, failInfo badAlg } }, no token. */
function rejection(): Uint8Array {
  const text = new asn1js.Utf8String({ value: 'thuật toán băm không được hỗ trợ' }).toBER();
  const badAlg = tlv(0x03, Uint8Array.of(0x07, 0x80)); // BIT STRING, bit 0 set
  return sequence(sequence(integer(2), sequence(new Uint8Array(text)), badAlg));
}

/** The same TimeStampReq with its nonce changed. */
function withOtherNonce(query: Uint8Array): Uint8Array {
  const parsed = asn1js.fromBER(new Uint8Array(query)).result;
  if (!(parsed instanceof asn1js.Sequence)) return query;
  const parts = parsed.valueBlock.value.map((element) => {
    if (element instanceof asn1js.Integer && element !== parsed.valueBlock.value[0]) {
      return integer(Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0));
    }
    if (element instanceof asn1js.Boolean) return boolean(element.valueBlock.value);
    return new Uint8Array(element.valueBeforeDecodeView);
  });
  return sequence(...parts);
}

function authorized(header: string | undefined, auth: TsaServerAuth): 'ok' | 401 | 403 {
  if (header === undefined) return 401;
  if (auth.kind === 'bearer') return header === `Bearer ${auth.token}` ? 'ok' : 403;
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
  return header === expected ? 'ok' : 401;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startTsaServer(options: TsaServerOptions = {}): Promise<TsaServer> {
  const config =
    options.configPath ?? (options.pkiDir === undefined ? undefined : path.join(options.pkiDir, 'tsa.conf'));
  if (config === undefined) throw new Error('startTsaServer needs pkiDir or configPath');
  const work = await mkdtemp(path.join(os.tmpdir(), 'kyso-tsa-'));
  // A private copy of the configuration with a serial file of its own: `openssl ts -reply` rewrites
  // the serial file in place, and servers of parallel test files must not share one.
  const serialFile = path.join(work, 'tsa-serial');
  await writeFile(serialFile, '01\n');
  const ownConfig = path.join(work, 'tsa.conf');
  const text = await readFile(config, 'utf8');
  if (!/^\s*serial\s*=/m.test(text)) throw new Error(`${config} names no serial file`);
  await writeFile(ownConfig, text.replace(/^(\s*serial\s*=\s*).*$/gm, `$1${serialFile}`));
  let requests = 0;
  let sequenceNo = 0;
  const authorizations: (string | undefined)[] = [];
  // openssl ts -reply increments a serial file: one reply at a time.
  let queue: Promise<unknown> = Promise.resolve();

  const reply = (query: Uint8Array): Promise<Uint8Array> => {
    const job = queue.then(async () => {
      const id = ++sequenceNo;
      const queryFile = path.join(work, `q${id}.tsq`);
      const replyFile = path.join(work, `r${id}.tsr`);
      await writeFile(queryFile, query);
      await run('openssl', [
        'ts',
        '-reply',
        '-config',
        ownConfig,
        '-queryfile',
        queryFile,
        '-out',
        replyFile,
      ]);
      const answer = await readFile(replyFile);
      await rm(queryFile, { force: true });
      await rm(replyFile, { force: true });
      return new Uint8Array(answer);
    });
    queue = job.catch(() => undefined);
    return job;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        if (req.method !== 'POST') {
          res.writeHead(405, { Allow: 'POST' }).end();
          return;
        }
        requests++;
        const number = requests;
        authorizations.push(req.headers.authorization);
        if (options.requireAuth !== undefined) {
          const verdict = authorized(req.headers.authorization, options.requireAuth);
          if (verdict !== 'ok') {
            res.writeHead(verdict, verdict === 401 ? { 'WWW-Authenticate': 'Basic realm="tsa"' } : {}).end();
            return;
          }
        }
        if (req.headers['content-type'] !== 'application/timestamp-query') {
          res.writeHead(415).end();
          return;
        }
        if (number <= (options.failFirst ?? 0)) {
          switch (options.failWith ?? 'hang') {
            case 'hang':
              return; // the socket is destroyed by close()
            case 'http-500':
              res.writeHead(500).end('internal error');
              return;
            case 'reset':
              req.socket.destroy();
              return;
          }
        }
        if (options.delayMs !== undefined) await sleep(options.delayMs);
        let body: Uint8Array;
        if (options.garbage === true) body = Buffer.from('this is not a timestamp response');
        else if (options.status === 'rejection') body = rejection();
        else {
          const query = new Uint8Array(Buffer.concat(chunks));
          body = await reply(options.otherNonce === true ? withOtherNonce(query) : query);
        }
        if (res.destroyed) return;
        res.writeHead(200, { 'Content-Type': 'application/timestamp-reply', 'Content-Length': body.length });
        res.end(body);
      })().catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    get requests() {
      return requests;
    },
    authorizations,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** A TCP port on 127.0.0.1 on which nothing listens (for "TSA unreachable"). */
export async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
