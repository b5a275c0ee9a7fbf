// The REST contract's one route (README "One-stop REST contract"):
// POST /dossiers/{dossierCode}/results, multipart/form-data with `file` (the signed PDF) and
// `metadata` (JSON), headers Idempotency-Key and Authorization: Bearer. Answers: 201 stored; 409 the
// key was already stored; 400 malformed; 401 no or wrong credential; 413 too large; 422 the
// signatures do not verify or the metadata disagree with the file; 503 the same key is being
// processed (retry); faults as configured (fault-plan.ts).
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { loadTrustStore, verifyPdf, type TrustStore } from '../signing/verify-api.js';
import type { FaultPlan } from './fault-plan.js';
import { parseMultipart } from './multipart-form.js';
import type { ReceiptStore } from './receipt-store.js';
import { readBody, sendJson, type Router } from './router.js';

export interface ResultsModuleOptions {
  readonly store: ReceiptStore;
  readonly faults: FaultPlan;
  /** Accepted credentials: fixed tokens, and those the OAuth2 module issued. */
  readonly isAuthorized: (authorization: string | undefined) => boolean;
  readonly maxBytes: number;
  /** Anchors for the check on receipt (default: the data folder's trust store). */
  readonly trust?: TrustStore;
  /** Answers by status ('dropped', 'timeout' for faults without one), for tests and the admin page. */
  readonly answers: Map<string, number>;
  /** Requests left unanswered on purpose (timeouts), closed when the server stops. */
  readonly held: Set<http.ServerResponse>;
}

const DOSSIER = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,6}$/;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface ResultsModule {
  /**
   * For `Expect: 100-continue`: answers 401 to a result upload without a valid credential before
   * its body is sent, and says whether it did. Answering while the body is on its way makes the
   * connection close under the client's writes, and the client may see a broken pipe instead of
   * the 401.
   */
  answeredBeforeBody(req: http.IncomingMessage, res: http.ServerResponse): boolean;
}

export function resultsModule(router: Router, options: ResultsModuleOptions): ResultsModule {
  const { store, faults, answers } = options;
  let trust: Promise<TrustStore> | undefined;
  const count = (key: string): void => {
    answers.set(key, (answers.get(key) ?? 0) + 1);
  };
  const answer = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    count(String(status));
    sendJson(res, status, body, headers);
  };
  const unauthorized = (res: http.ServerResponse): void =>
    answer(
      res,
      401,
      { message: 'Thiếu hoặc sai mã truy cập / missing or wrong credential' },
      { 'WWW-Authenticate': 'Bearer' },
    );
  const drop = (req: http.IncomingMessage, key: string): void => {
    count(key);
    req.socket.destroy();
  };

  router.add('POST', '/dossiers/:dossierCode/results', async (req, res, params) => {
    const drawn = faults.draw();
    if (drawn.has('slow')) await delay(faults.settings.slowMs);
    if (drawn.has('drop')) {
      // Cut while the body arrives (or at once for an empty one).
      req.once('data', () => drop(req, 'dropped'));
      req.once('end', () => drop(req, 'dropped'));
      return;
    }
    if (!options.isAuthorized(req.headers.authorization)) {
      req.resume();
      unauthorized(res);
      return;
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      answer(res, 413, {
        message: `Tệp quá lớn: tối đa ${options.maxBytes} byte / file too large: at most ${options.maxBytes} bytes`,
      });
      // Read the rest of the body before the connection can close (a "lingering close", as nginx
      // does): closing while the client still sends resets the socket, and the client may then see
      // ECONNRESET instead of this 413.
      req.resume();
      return;
    }
    let body: Buffer | undefined;
    try {
      body = await readBody(req, options.maxBytes);
    } catch {
      count('aborted');
      return;
    }
    if (body === undefined) {
      answer(res, 413, { message: `file too large: at most ${options.maxBytes} bytes` });
      return;
    }
    if (drawn.has('timeout')) {
      count('timeout');
      options.held.add(res);
      res.on('close', () => options.held.delete(res));
      return;
    }
    if (drawn.has('error500')) {
      answer(res, 500, { message: 'Lỗi máy chủ (giả lập) / simulated server error' });
      return;
    }
    const finish = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      // The answer to a stored document is lost on the way back: the client must retry.
      if (drawn.has('duplicate') && (status === 201 || status === 409)) drop(req, `lost-${status}`);
      else answer(res, status, payload, headers);
    };

    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length < 8 || key.length > 200) {
      answer(res, 400, { message: 'Idempotency-Key header required (8–200 characters)' });
      return;
    }
    const known = store.byKey(key);
    if (known) {
      finish(409, { message: 'already delivered', receiptId: known.id, receivedAt: known.receivedAt });
      return;
    }
    if (!store.begin(key)) {
      answer(
        res,
        503,
        { message: 'a request with this Idempotency-Key is being processed' },
        { 'Retry-After': '1' },
      );
      return;
    }
    try {
      const dossierCode = params['dossierCode'] ?? '';
      if (!DOSSIER.test(dossierCode)) {
        answer(res, 400, {
          message: `Mã hồ sơ không hợp lệ / invalid dossier code: ${dossierCode.slice(0, 60)}`,
        });
        return;
      }
      const parts = parseMultipart(req.headers['content-type'], body);
      const filePart = parts?.find((p) => p.name === 'file');
      const metaPart = parts?.find((p) => p.name === 'metadata');
      if (!filePart || !metaPart) {
        answer(res, 400, { message: 'multipart/form-data with parts "file" and "metadata" required' });
        return;
      }
      let metadata: Record<string, unknown>;
      try {
        metadata = JSON.parse(metaPart.data.toString('utf8')) as Record<string, unknown>;
      } catch {
        answer(res, 400, { message: 'metadata is not JSON' });
        return;
      }
      const sha256 = createHash('sha256').update(filePart.data).digest('hex');
      if (metadata['sha256'] !== sha256 || metadata['dossierCode'] !== dossierCode) {
        answer(res, 422, { message: 'metadata do not match the file or the dossier (sha256, dossierCode)' });
        return;
      }
      if (filePart.contentType !== 'application/pdf') {
        answer(res, 415, { message: 'the file part must be application/pdf' });
        return;
      }
      const id = store.newId();
      const file = store.writeFile(id, filePart.data);
      trust ??= options.trust ? Promise.resolve(options.trust) : loadTrustStore({});
      let signatures: { status: string; signer: string | null }[];
      try {
        const report = await verifyPdf({ input: file, trust: await trust, lang: 'en' });
        signatures = report.signatures.map((s) => ({ status: s.status, signer: s.signer.name }));
        const broken = report.signatures.some((s) => s.status === 'invalid');
        if (report.status === 'unsigned' || broken) {
          store.removeFile(id);
          answer(res, 422, {
            message: broken
              ? 'Chữ ký số không hợp lệ / a signature is invalid'
              : 'Tệp chưa được ký số / the file is not signed',
          });
          return;
        }
      } catch (error) {
        store.removeFile(id);
        answer(res, 422, {
          message: `Không đọc được tệp PDF / unreadable PDF: ${(error as Error).message.slice(0, 100)}`,
        });
        return;
      }
      const receipt = {
        id,
        idempotencyKey: key,
        dossierCode,
        fileName: filePart.fileName ?? 'result.pdf',
        sha256,
        size: filePart.data.length,
        metadata,
        receivedAt: new Date().toISOString(),
        signatures,
      };
      store.add(receipt);
      finish(201, { message: 'stored', receiptId: id, receivedAt: receipt.receivedAt });
    } finally {
      store.end(key);
    }
  });
  return {
    answeredBeforeBody(req, res) {
      const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (req.method !== 'POST' || !/^\/dossiers\/[^/]+\/results$/.test(pathname)) return false;
      if (options.isAuthorized(req.headers.authorization)) return false;
      unauthorized(res);
      return true;
    },
  };
}
