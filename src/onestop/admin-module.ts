// The reference server's admin routes (development and tests, loopback only): what was received
// and answered, and the faults switched on or off while it runs.
import { checkFaults, type FaultPlan } from './fault-plan.js';
import type { ReceiptStore } from './receipt-store.js';
import { readBody, sendJson, type Router } from './router.js';

export interface OnestopStats {
  readonly requests: number;
  readonly faults: Record<string, number>;
  readonly answers: Record<string, number>;
  readonly stored: number;
  /** Times each document (SHA-256) was stored. */
  readonly byDocument: Record<string, number>;
}

export function adminModule(
  router: Router,
  deps: { store: ReceiptStore; faults: FaultPlan; answers: Map<string, number> },
): { stats(): OnestopStats } {
  const stats = (): OnestopStats => ({
    requests: deps.faults.requests,
    faults: { ...deps.faults.counts },
    answers: Object.fromEntries(deps.answers),
    stored: deps.store.receipts().length,
    byDocument: deps.store.countsByDocument(),
  });
  router.add('GET', '/admin/stats', (_req, res) => sendJson(res, 200, stats()));
  router.add('GET', '/admin/receipts', (_req, res) =>
    sendJson(res, 200, { receipts: deps.store.receipts() }),
  );
  router.add('GET', '/admin/faults', (_req, res) => sendJson(res, 200, deps.faults.settings));
  router.add('PUT', '/admin/faults', async (req, res) => {
    const body = await readBody(req, 64 * 1024);
    try {
      deps.faults.settings = checkFaults(JSON.parse(body?.toString('utf8') ?? 'null'));
      sendJson(res, 200, deps.faults.settings);
    } catch (error) {
      sendJson(res, 400, { message: (error as Error).message });
    }
  });
  return { stats };
}
