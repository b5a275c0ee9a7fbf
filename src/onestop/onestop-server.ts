// The reference one-stop server for development and tests: real HTTP on 127.0.0.1 implementing the
// REST contract (results-module.ts), OAuth2 client credentials (oauth-module.ts) and admin routes
// (admin-module.ts), each a module on one router, so later modules (an approval inbox, the bridge's
// upload handler) are added the same way.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TrustStore } from '../signing/verify-api.js';
import { adminModule, type OnestopStats } from './admin-module.js';
import { challengeAuth } from './challenge-auth.js';
import type { IssueBook } from './issue-book.js';
import { FaultPlan, NO_FAULTS, type FaultSettings } from './fault-plan.js';
import { oauthModule } from './oauth-module.js';
import { ReceiptStore } from './receipt-store.js';
import { resultsModule } from './results-module.js';
import { Router, sendJson } from './router.js';
import { signingRequestsModule } from './signing-requests-module.js';
import { SigningStore } from './signing-store.js';

export interface OnestopServerOptions {
  /** Where received files and the receipt journal go. */
  readonly dataDir: string;
  /** 0: any free port. */
  readonly port?: number;
  /** Accepted bearer tokens; empty and no OAuth2 clients: no credential needed. */
  readonly tokens?: readonly string[];
  /** OAuth2 clients (id → secret) and their tokens' lifetime. */
  readonly oauthClients?: Readonly<Record<string, string>>;
  readonly tokenLifetimeSeconds?: number;
  /** Largest accepted request, in bytes (413 above). */
  readonly maxBytes?: number;
  readonly faults?: FaultSettings;
  readonly seed?: number;
  readonly trust?: TrustStore;
  /**
   * Static credentials of the signing chain (name → bearer token): officers who submit and
   * withdraw, and systems that act for a certificate holder. The upload `tokens` count too.
   */
  readonly staticCredentials?: Readonly<Record<string, string>>;
  /** The agency's short name in the issue books' symbols (QĐ-UBND). */
  readonly agency?: string;
  /** Lifetime of a challenge–response session token (default 900 s). */
  readonly sessionSeconds?: number;
  /** How long a clerk holds an issue reservation (default 10 minutes). */
  readonly issueLeaseMs?: number;
  /** Extra modules (routes) to add to the router. */
  readonly modules?: readonly ((router: Router) => void)[];
}

export interface OnestopServer {
  readonly url: string;
  readonly store: ReceiptStore;
  readonly faults: FaultPlan;
  /** The signing chain's requests and issue books (README "The signing chain"). */
  readonly signing: { readonly store: SigningStore; readonly book: IssueBook };
  stats(): OnestopStats;
  close(): Promise<void>;
}

export async function startOnestopServer(options: OnestopServerOptions): Promise<OnestopServer> {
  const router = new Router();
  const store = new ReceiptStore(options.dataDir);
  const faults = new FaultPlan(options.faults ?? NO_FAULTS, options.seed ?? Date.now());
  const answers = new Map<string, number>();
  const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
  const held = new Set<http.ServerResponse>();
  const tokens = new Set(options.tokens ?? []);
  const oauth = oauthModule(router, {
    clients: options.oauthClients ?? {},
    lifetimeSeconds: options.tokenLifetimeSeconds ?? 300,
  });
  const open = tokens.size === 0 && Object.keys(options.oauthClients ?? {}).length === 0;
  const results = resultsModule(router, {
    store,
    faults,
    answers,
    held,
    maxBytes,
    ...(options.trust ? { trust: options.trust } : {}),
    isAuthorized: (header) => {
      if (open) return true;
      const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
      if (!m?.[1]) return false;
      return tokens.has(m[1]) || oauth.isIssued(m[1]);
    },
  });
  const staticCredentials: Record<string, string> = { ...(options.staticCredentials ?? {}) };
  (options.tokens ?? []).forEach((t, i) => {
    staticCredentials[`token-${i + 1}`] = t;
  });
  const auth = challengeAuth(router, {
    staticCredentials,
    ...(options.sessionSeconds !== undefined ? { sessionSeconds: options.sessionSeconds } : {}),
  });
  const signingStore = new SigningStore(options.dataDir);
  const { book } = signingRequestsModule(router, {
    store: signingStore,
    results: store,
    auth,
    maxBytes: options.maxBytes ?? 50 * 1024 * 1024,
    ...(options.agency !== undefined ? { agency: options.agency } : {}),
    ...(options.trust ? { trust: options.trust } : {}),
    ...(options.issueLeaseMs !== undefined ? { issueLeaseMs: options.issueLeaseMs } : {}),
  });
  const admin = adminModule(router, { store, faults, answers });
  for (const add of options.modules ?? []) add(router);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const found = router.match(req.method ?? 'GET', url.pathname);
    if (found === undefined || found === 'method') {
      req.resume();
      sendJson(res, found === 'method' ? 405 : 404, {
        message: found === 'method' ? 'method not allowed' : 'not found',
      });
      return;
    }
    Promise.resolve(found.handler(req, res, found.params)).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: (error as Error).message.slice(0, 200) });
      else res.destroy();
    });
  });
  // `Expect: 100-continue` (the upload client sends it): a request declared too large, or a result
  // upload without a valid credential, is refused before its body is sent. Answering 413 or 401
  // while the body is still on its way makes the server close the connection under the client's
  // writes, and the client may then see a reset instead of the answer.
  server.on('checkContinue', (req, res) => {
    if (results.answeredBeforeBody(req, res)) return;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      answers.set('413', (answers.get('413') ?? 0) + 1);
      sendJson(res, 413, {
        message: `Tệp quá lớn: tối đa ${maxBytes} byte / file too large: at most ${maxBytes} bytes`,
      });
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    faults,
    signing: { store: signingStore, book },
    stats: admin.stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => {
          signingStore.close();
          resolve();
        });
      }),
  };
}
