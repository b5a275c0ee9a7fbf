// The test PKI's network side on 127.0.0.1, as the certificates' extensions name it: an OCSP
// responder (`openssl ocsp -index` answering each request from the CA database as it is at that
// moment), the CRLs (read from the PKI folder at each request) and the CA certificates (AIA
// caIssuers). Knobs make each part fail the ways a client must survive. `privatePki` builds a PKI
// of its own whose URLs point at a server on a free port, so test files never share a port.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAKE_PKI = fileURLToPath(new URL('../../fixtures/pki/make-pki.sh', import.meta.url));
const MAKE_ALL = fileURLToPath(new URL('../../fixtures/pki/make-all.sh', import.meta.url));

export type PartMode = 'ok' | 'http-500' | 'hang' | 'reset';
export type OcspMode = PartMode | 'garbage' | 'unauthorized' | 'try-later';

export interface PkiServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** The PKI served (make-pki.sh output); set once it is built. */
  pkiDir: string | undefined;
  /** How each part answers; change them between requests. */
  ocsp: OcspMode;
  crl: PartMode;
  ca: PartMode;
  /** nextUpdate of OCSP answers, in minutes from now; undefined: no nextUpdate. */
  ocspNextUpdateMinutes: number | undefined;
  /** Extra files by URL path (e.g. '/crl/delta.crl'); a served path overrides the PKI's. */
  readonly extra: Map<string, Uint8Array>;
  /** Requests received per part. */
  readonly requests: { ocsp: number; crl: number; ca: number };
  /** Stops answering (connections are refused from then on). */
  close(): Promise<void>;
}

function run(command: string, args: readonly string[], timeout = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** OCSPResponse { responseStatus tryLater (3) }. */
const TRY_LATER = Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x03);

interface OcspJob {
  readonly dir: string;
  readonly unauthorized: boolean;
  readonly nextUpdateMinutes: number | undefined;
}

async function ocspAnswer(job: OcspJob, work: string, request: Uint8Array, id: number): Promise<Uint8Array> {
  const { dir } = job;
  const reqFile = path.join(work, `ocsp${id}.req`);
  const respFile = path.join(work, `ocsp${id}.resp`);
  await writeFile(reqFile, request);
  // An unauthorized responder: a certificate of the same CA without the OCSPSigning purpose.
  const signer = job.unauthorized ? 'agency-rsa3072' : 'ocsp';
  await run('openssl', [
    'ocsp',
    '-index',
    path.join(dir, 'ca', 'index.txt'),
    '-CA',
    path.join(dir, 'intermediate-ca.pem'),
    '-rsigner',
    path.join(dir, `${signer}.cert.pem`),
    '-rkey',
    path.join(dir, `${signer}.key.pem`),
    '-reqin',
    reqFile,
    '-respout',
    respFile,
    ...(job.nextUpdateMinutes !== undefined ? ['-nmin', String(job.nextUpdateMinutes)] : []),
  ]);
  const answer = new Uint8Array(await readFile(respFile));
  await rm(reqFile, { force: true });
  await rm(respFile, { force: true });
  return answer;
}

/** A server on a free port of 127.0.0.1 serving `pkiDir` (which may be set later). */
export async function startPkiServer(pkiDir?: string): Promise<PkiServer> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'kyso-pki-server-'));
  let counter = 0;
  const state = {
    pkiDir,
    ocsp: 'ok' as OcspMode,
    crl: 'ok' as PartMode,
    ca: 'ok' as PartMode,
    ocspNextUpdateMinutes: undefined as number | undefined,
    extra: new Map<string, Uint8Array>(),
    requests: { ocsp: 0, crl: 0, ca: 0 },
  };

  const fail = (mode: PartMode, req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    switch (mode) {
      case 'ok':
        return false;
      case 'http-500':
        res.writeHead(500).end('down for maintenance');
        return true;
      case 'hang':
        return true; // closeAllConnections() ends it
      case 'reset':
        req.socket.destroy();
        return true;
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const extra = state.extra.get(url.pathname);
        if (extra !== undefined) {
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(Buffer.from(extra));
          return;
        }
        const dir = state.pkiDir;
        if (dir === undefined) {
          res.writeHead(503).end();
          return;
        }
        if (url.pathname === '/ocsp' || url.pathname.startsWith('/ocsp/')) {
          state.requests.ocsp++;
          if (state.ocsp === 'garbage') {
            res.writeHead(200, { 'Content-Type': 'application/ocsp-response' }).end('not an OCSP response');
            return;
          }
          if (state.ocsp === 'try-later') {
            res.writeHead(200, { 'Content-Type': 'application/ocsp-response' }).end(Buffer.from(TRY_LATER));
            return;
          }
          if (state.ocsp !== 'unauthorized' && fail(state.ocsp, req, res)) return;
          // POST: the DER request; GET: /ocsp/<base64 of it> (RFC 6960 A.1)
          const body =
            req.method === 'POST'
              ? new Uint8Array(Buffer.concat(chunks))
              : new Uint8Array(
                  Buffer.from(decodeURIComponent(url.pathname.slice('/ocsp/'.length)), 'base64'),
                );
          const job = {
            dir,
            unauthorized: state.ocsp === 'unauthorized',
            nextUpdateMinutes: state.ocspNextUpdateMinutes,
          };
          const answer = await ocspAnswer(job, work, body, ++counter);
          res.writeHead(200, {
            'Content-Type': 'application/ocsp-response',
            'Content-Length': answer.length,
          });
          res.end(Buffer.from(answer));
          return;
        }
        const crl = /^\/crl\/(root-ca|intermediate-ca)\.crl$/.exec(url.pathname);
        if (crl !== null) {
          state.requests.crl++;
          if (fail(state.crl, req, res)) return;
          const bytes = await readFile(path.join(dir, `${crl[1]}.crl.der`));
          res
            .writeHead(200, { 'Content-Type': 'application/pkix-crl', 'Content-Length': bytes.length })
            .end(bytes);
          return;
        }
        const ca = /^\/ca\/(root-ca|intermediate-ca)\.cer$/.exec(url.pathname);
        if (ca !== null) {
          state.requests.ca++;
          if (fail(state.ca, req, res)) return;
          const bytes = await readFile(path.join(dir, `${ca[1]}.der`));
          res
            .writeHead(200, { 'Content-Type': 'application/pkix-cert', 'Content-Length': bytes.length })
            .end(bytes);
          return;
        }
        res.writeHead(404).end();
      })().catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const handle: PkiServer = Object.assign(state, {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(work, { recursive: true, force: true });
    },
  });
  return handle;
}

export interface PrivatePki {
  /** The fixture root (make-all.sh layout: pki/ and, with tokens, tokens-template/). */
  readonly fixtures: string;
  readonly pkiDir: string;
  readonly server: PkiServer;
  file(name: string): string;
  /** Revokes `id` (e.g. 'chairman-rsa2048') in the intermediate CA's database and reissues its CRL. */
  revoke(id: string, reason?: string): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * A fresh PKI whose AIA/CRL-DP URLs name a running server of its own (and SoftHSM tokens when
 * `tokens`, for pdfsig signing): make-pki.sh / make-all.sh with BASE_URL on a free port.
 */
export async function privatePki(options: { tokens?: boolean } = {}): Promise<PrivatePki> {
  const server = await startPkiServer();
  const fixtures = await mkdtemp(path.join(os.tmpdir(), 'kyso-private-pki-'));
  const pkiDir = path.join(fixtures, 'pki');
  try {
    if (options.tokens === true) await run('bash', [MAKE_ALL, fixtures, server.baseUrl], 180_000);
    else await run('bash', [MAKE_PKI, pkiDir, server.baseUrl], 180_000);
  } catch (error) {
    await server.close();
    throw error;
  }
  server.pkiDir = pkiDir;
  const file = (name: string): string => path.join(pkiDir, name);
  return {
    fixtures,
    pkiDir,
    server,
    file,
    async revoke(id, reason = 'keyCompromise') {
      const cnf = file('ca/ca.cnf');
      await run('openssl', [
        'ca',
        '-batch',
        '-config',
        cnf,
        '-name',
        'intermediate_ca',
        '-revoke',
        file(`${id}.cert.pem`),
        '-crl_reason',
        reason,
      ]);
      await run('openssl', [
        'ca',
        '-batch',
        '-config',
        cnf,
        '-name',
        'intermediate_ca',
        '-gencrl',
        '-crldays',
        '30',
        '-out',
        file('intermediate-ca.crl.pem'),
      ]);
      await run('openssl', [
        'crl',
        '-in',
        file('intermediate-ca.crl.pem'),
        '-outform',
        'DER',
        '-out',
        file('intermediate-ca.crl.der'),
      ]);
    },
    async cleanup() {
      await server.close();
      await rm(fixtures, { recursive: true, force: true });
    },
  };
}
