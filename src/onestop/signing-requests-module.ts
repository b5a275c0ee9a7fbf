// The signing chain of the reference server (README "The signing chain"): an officer submits a
// document for a dossier with its chain (competent person → clerk, each step a certificate or a
// group of them); each assignee lists what waits for them, downloads it (with its SHA-256), and
// returns it signed — or declines with a reason; the clerk's step is the issue step (a number and
// date reserved in the year's book, written into the document by the clerk's signature); the last
// step attaches the result to the dossier (the results store). Every returned file is checked with
// Kyso's verifier: it extends the current version byte for byte, every signature is intact, the new
// one is by the assignee's certificate. Errors are JSON { code, message } with a stable code.
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCertificate } from '../signing/certificates-api.js';
import { loadTrustStore, verifyPdf, type TrustStore } from '../signing/verify-api.js';
import type { ChallengeAuth, CallerIdentity } from './challenge-auth.js';
import { IssueBook } from './issue-book.js';
import { parseMultipart } from './multipart-form.js';
import type { ReceiptStore } from './receipt-store.js';
import { readBody, sendJson, type Router } from './router.js';
import {
  sha256Hex,
  writeFileDurably,
  type ChainStep,
  type SigningRequest,
  type SigningStore,
  type StepKind,
} from './signing-store.js';

export interface SigningRequestsOptions {
  readonly store: SigningStore;
  readonly results: ReceiptStore;
  readonly auth: ChallengeAuth;
  readonly maxBytes: number;
  /** The agency's short name in the books' symbols (QĐ-UBND): default UBND. */
  readonly agency?: string;
  readonly trust?: TrustStore;
  /** How long a clerk holds an issue reservation (default 10 minutes). */
  readonly issueLeaseMs?: number;
}

const DOSSIER = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,6}$/;

/** Symbols of the common document types (Decree 30/2020, appendix III). */
const TYPE_SYMBOLS: Readonly<Record<string, string>> = {
  'Quyết định': 'QĐ',
  'Giấy phép': 'GP',
  'Giấy chứng nhận': 'GCN',
  'Giấy xác nhận': 'GXN',
  'Thông báo': 'TB',
  'Tờ trình': 'TTr',
  'Kế hoạch': 'KH',
  'Báo cáo': 'BC',
  'Chỉ thị': 'CT',
};

function fail(res: http.ServerResponse, status: number, code: string, message: string, extra = {}): void {
  sendJson(res, status, { code, message, ...extra });
}

/** What a client sees of a request. */
export function requestView(request: SigningRequest, book: IssueBook): Record<string, unknown> {
  const current = request.state === 'pending' ? request.chain[request.step] : undefined;
  const issue = book.get(request.id);
  return {
    id: request.id,
    dossierCode: request.dossierCode,
    documentType: request.documentType,
    title: request.title,
    fileName: request.fileName,
    preparedBy: request.preparedBy,
    createdAt: request.createdAt,
    dueAt: request.dueAt,
    book: request.book,
    state: request.state,
    step: current ? { index: request.step, kind: current.kind, certificates: current.certificates } : null,
    version: request.version,
    sha256: request.sha256,
    size: request.size,
    chain: request.chain.map((s) => ({
      kind: s.kind,
      state: s.state,
      certificates: s.certificates,
      signedBy: s.signedBy,
      signedAt: s.signedAt,
    })),
    declineReason: request.declineReason,
    declinedBy: request.declinedBy,
    declinedAt: request.declinedAt,
    withdrawnAt: request.withdrawnAt,
    receiptId: request.receiptId,
    issue: issue ? { number: issue.number, issuedDate: issue.issuedDate } : null,
  };
}

function parseJsonObject(data: Buffer | undefined): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(data?.toString('utf8') ?? '') as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max ? value.trim() : undefined;
}

export function signingRequestsModule(router: Router, options: SigningRequestsOptions): { book: IssueBook } {
  const { store, auth } = options;
  const book = new IssueBook(store, options.issueLeaseMs);
  const agency = options.agency ?? 'UBND';
  const inProgress = new Set<string>();
  let trust: Promise<TrustStore> | undefined;

  /** The caller, or an answer already sent (401) and undefined. */
  const caller = (req: http.IncomingMessage, res: http.ServerResponse): CallerIdentity | undefined => {
    const who = auth.identify(req);
    if (who === undefined || who === 'invalid') {
      req.resume();
      fail(res, 401, 'INBOX_UNAUTHORIZED', 'Thiếu hoặc sai mã phiên / missing or wrong credential', {});
      return undefined;
    }
    return who;
  };

  /** May this caller act as `assignee` (a certificate's SHA-256)? */
  const actsAs = (who: CallerIdentity, assignee: string): boolean =>
    who.kind === 'static' || who.sha256 === assignee;

  const stateError = (res: http.ServerResponse, request: SigningRequest): void => {
    if (request.state === 'withdrawn')
      fail(res, 410, 'INBOX_WITHDRAWN', 'Yêu cầu ký đã bị thu hồi / the request was withdrawn', {
        state: request.state,
      });
    else if (request.state === 'declined')
      fail(res, 410, 'INBOX_DECLINED', 'Yêu cầu ký đã bị từ chối / the request was declined', {
        state: request.state,
        declineReason: request.declineReason,
      });
    else
      fail(res, 410, 'INBOX_ALREADY_DONE', 'Bước ký này đã xong / this step is already done', {
        state: request.state,
        step: request.step,
      });
  };

  const find = (res: http.ServerResponse, id: string | undefined): SigningRequest | undefined => {
    const request = id === undefined ? undefined : store.get(id);
    if (!request) fail(res, 404, 'INBOX_NOT_FOUND', 'Không có yêu cầu ký này / no such signing request');
    return request;
  };

  /** A request the caller may read: an officer, or a certificate in its chain (else the refusal). */
  const readable = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    id: string | undefined,
  ): SigningRequest | undefined => {
    const who = caller(req, res);
    if (!who) return undefined;
    const request = find(res, id);
    if (!request) return undefined;
    if (who.kind === 'certificate' && !request.chain.some((s) => s.certificates.includes(who.sha256))) {
      fail(res, 403, 'INBOX_NOT_ASSIGNEE', 'Không phải người được giao / not an assignee of this request');
      return undefined;
    }
    return request;
  };

  // --- the officer submits ---------------------------------------------------------------------
  router.add('POST', '/signing-requests', async (req, res) => {
    const who = caller(req, res);
    if (!who) return;
    if (who.kind !== 'static') {
      req.resume();
      fail(res, 403, 'INBOX_NOT_ASSIGNEE', 'Chỉ cán bộ một cửa gửi yêu cầu ký / only officers submit');
      return;
    }
    const body = await readBody(req, options.maxBytes);
    if (body === undefined) {
      fail(res, 413, 'INBOX_TOO_LARGE', 'Tệp quá lớn / file too large');
      return;
    }
    const parts = parseMultipart(req.headers['content-type'], body);
    const file = parts?.find((p) => p.name === 'file');
    const meta = parseJsonObject(parts?.find((p) => p.name === 'metadata')?.data);
    if (!file || !meta || file.data.subarray(0, 5).toString('latin1') !== '%PDF-') {
      fail(res, 400, 'INBOX_REQUEST_INVALID', 'multipart with "file" (a PDF) and "metadata" (JSON) required');
      return;
    }
    const dossierCode = text(meta['dossierCode'], 60);
    const documentType = text(meta['documentType'], 100);
    if (!dossierCode || !DOSSIER.test(dossierCode) || !documentType) {
      fail(
        res,
        400,
        'INBOX_REQUEST_INVALID',
        'metadata: a valid dossierCode and a documentType are required',
      );
      return;
    }
    const symbol =
      text(meta['book'], 40) ??
      (TYPE_SYMBOLS[documentType] ? `${TYPE_SYMBOLS[documentType]}-${agency}` : undefined);
    if (!symbol || /[\s/]/.test(symbol)) {
      fail(
        res,
        400,
        'INBOX_REQUEST_INVALID',
        `metadata.book is required for the type "${documentType}" (no spaces or slashes)`,
      );
      return;
    }
    const rawChain = meta['chain'];
    const chain: ChainStep[] = [];
    if (Array.isArray(rawChain)) {
      for (const raw of rawChain as unknown[]) {
        const step = raw as { kind?: unknown; certificates?: unknown };
        const kind = step?.kind;
        const certs = Array.isArray(step?.certificates) ? (step.certificates as unknown[]) : [];
        if ((kind !== 'approve' && kind !== 'issue') || certs.length === 0 || certs.length > 50) {
          chain.length = 0;
          break;
        }
        const shas: string[] = [];
        try {
          for (const c of certs) {
            if (typeof c !== 'string') throw new Error('certificate');
            const der = Buffer.from(c, 'base64');
            parseCertificate(new Uint8Array(der));
            shas.push(store.rememberCertificate(der));
          }
        } catch {
          chain.length = 0;
          break;
        }
        chain.push({
          kind: kind as StepKind,
          certificates: shas,
          state: 'waiting',
          signedBy: null,
          signedAt: null,
        });
      }
    }
    const issueSteps = chain.filter((s) => s.kind === 'issue').length;
    if (
      chain.length === 0 ||
      chain.length > 10 ||
      issueSteps > 1 ||
      (issueSteps === 1 && chain.at(-1)?.kind !== 'issue')
    ) {
      fail(
        res,
        400,
        'INBOX_REQUEST_INVALID',
        'metadata.chain: steps { kind: "approve"|"issue", certificates: [base64 DER…] }, at most one issue step, last',
      );
      return;
    }
    chain[0] = { ...(chain[0] as ChainStep), state: 'pending' };
    const now = new Date().toISOString();
    const dueAt = text(meta['dueAt'], 40);
    const request: SigningRequest = {
      id: store.newId(),
      dossierCode,
      documentType,
      title: text(meta['title'], 300) ?? null,
      fileName: path.basename(file.fileName ?? 'document.pdf').slice(0, 200) || 'document.pdf',
      preparedBy: text(meta['preparedBy'], 200) ?? who.name,
      createdAt: now,
      dueAt: dueAt !== undefined && !Number.isNaN(Date.parse(dueAt)) ? new Date(dueAt).toISOString() : null,
      book: symbol,
      state: 'pending',
      step: 0,
      version: 1,
      sha256: sha256Hex(file.data),
      size: file.data.length,
      chain,
      declineReason: null,
      declinedBy: null,
      declinedAt: null,
      withdrawnAt: null,
      receiptId: null,
      updatedAt: now,
    };
    store.insert(request, file.data);
    sendJson(res, 201, requestView(request, book));
  });

  // --- lists -------------------------------------------------------------------------------------
  router.add('GET', '/signing-requests', (req, res) => {
    const who = caller(req, res);
    if (!who) return;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let assignee = url.searchParams.get('assignee') ?? undefined;
    if (assignee === 'me') assignee = who.kind === 'certificate' ? who.sha256 : undefined;
    if (who.kind === 'certificate') {
      if (assignee === undefined) assignee = who.sha256;
      if (assignee !== who.sha256) {
        fail(res, 403, 'INBOX_NOT_ASSIGNEE', 'Chỉ xem được văn bản của chính mình / only your own requests');
        return;
      }
    }
    const state = url.searchParams.get('state') ?? (assignee !== undefined ? 'pending' : 'all');
    const dossier = url.searchParams.get('dossier');
    const items = store
      .all()
      .filter((r) => state === 'all' || r.state === state)
      .filter((r) => dossier === null || r.dossierCode === dossier)
      .filter((r) => {
        if (assignee === undefined) return true;
        if (state === 'pending') return r.chain[r.step]?.certificates.includes(assignee) === true;
        return r.chain.some((s) => s.certificates.includes(assignee as string));
      })
      .map((r) => requestView(r, book));
    sendJson(res, 200, { items, serverTime: new Date().toISOString() });
  });

  router.add('GET', '/signing-requests/:id', (req, res, params) => {
    const request = readable(req, res, params['id']);
    if (!request) return;
    sendJson(res, 200, requestView(request, book));
  });

  router.add('GET', '/signing-requests/:id/document', (req, res, params) => {
    const request = readable(req, res, params['id']);
    if (!request) return;
    const data = store.readDocument(request);
    res.writeHead(200, {
      'Content-Type': 'application/pdf',
      'Content-Length': data.length,
      'X-Document-SHA256': request.sha256,
      'X-Document-Version': String(request.version),
      ETag: `"${request.sha256}"`,
    });
    res.end(data);
  });

  // --- the officer replaces the document (before anyone signed) or withdraws the request ---------
  router.add('PUT', '/signing-requests/:id/document', async (req, res, params) => {
    const who = caller(req, res);
    if (!who) return;
    const body = await readBody(req, options.maxBytes);
    if (who.kind !== 'static') {
      fail(
        res,
        403,
        'INBOX_NOT_ASSIGNEE',
        'Chỉ cán bộ một cửa thay văn bản / only officers replace documents',
      );
      return;
    }
    const request = find(res, params['id']);
    if (!request) return;
    if (!body || body.subarray(0, 5).toString('latin1') !== '%PDF-') {
      fail(res, 400, 'INBOX_REQUEST_INVALID', 'the body must be the PDF');
      return;
    }
    const replaced = store.db
      .transaction((): SigningRequest | undefined => {
        const now = store.get(request.id);
        if (!now || now.state !== 'pending' || now.step !== 0) return undefined;
        const version = now.version + 1;
        writeFileDurably(store.documentPath(now.id, version), body);
        store.update(now.id, { version, sha256: sha256Hex(body), size: body.length });
        return store.get(now.id);
      })
      .immediate();
    if (!replaced) {
      fail(
        res,
        409,
        'INBOX_ALREADY_DONE',
        'Văn bản đã được ký, không thay được / already signed, cannot replace',
      );
      return;
    }
    sendJson(res, 200, requestView(replaced, book));
  });

  router.add('POST', '/signing-requests/:id/withdraw', (req, res, params) => {
    const who = caller(req, res);
    if (!who) return;
    req.resume();
    if (who.kind !== 'static') {
      fail(res, 403, 'INBOX_NOT_ASSIGNEE', 'Chỉ cán bộ một cửa thu hồi / only officers withdraw');
      return;
    }
    const request = find(res, params['id']);
    if (!request) return;
    const done = store.db
      .transaction((): SigningRequest => {
        const now = store.get(request.id) as SigningRequest;
        if (now.state === 'pending')
          store.update(now.id, { state: 'withdrawn', withdrawnAt: new Date().toISOString() });
        return store.get(request.id) as SigningRequest;
      })
      .immediate();
    if (done.state !== 'withdrawn') {
      stateError(res, done);
      return;
    }
    sendJson(res, 200, requestView(done, book));
  });

  // --- the assignee declines -----------------------------------------------------------------------
  router.add('POST', '/signing-requests/:id/decline', async (req, res, params) => {
    const who = caller(req, res);
    if (!who) return;
    const body = parseJsonObject(await readBody(req, 64 * 1024));
    const request = find(res, params['id']);
    if (!request) return;
    const reason = text(body?.['reason'], 1000);
    if (!reason) {
      fail(res, 400, 'INBOX_REQUEST_INVALID', 'Cần lý do từ chối / "reason" is required');
      return;
    }
    const assignee = who.kind === 'certificate' ? who.sha256 : text(body?.['assignee'], 64);
    if (request.state === 'declined' && assignee !== undefined && request.declinedBy === assignee) {
      sendJson(res, 200, requestView(request, book)); // the same decline again
      return;
    }
    if (request.state !== 'pending') {
      stateError(res, request);
      return;
    }
    const step = request.chain[request.step] as ChainStep;
    if (assignee === undefined || !actsAs(who, assignee) || !step.certificates.includes(assignee)) {
      fail(
        res,
        403,
        'INBOX_NOT_ASSIGNEE',
        'Không phải người được giao bước này / not the assignee of this step',
      );
      return;
    }
    const result = store.db
      .transaction((): SigningRequest | undefined => {
        const now = store.get(request.id) as SigningRequest;
        if (now.state !== 'pending' || now.step !== request.step) return undefined;
        const chain = now.chain.map((s, i) => (i === now.step ? { ...s, state: 'declined' as const } : s));
        store.update(now.id, {
          state: 'declined',
          chain,
          declineReason: reason,
          declinedBy: assignee,
          declinedAt: new Date().toISOString(),
        });
        return store.get(now.id);
      })
      .immediate();
    if (!result) {
      stateError(res, store.get(request.id) as SigningRequest);
      return;
    }
    sendJson(res, 200, requestView(result, book));
  });

  // --- the clerk reserves the number and date --------------------------------------------------------
  router.add('POST', '/signing-requests/:id/issue', async (req, res, params) => {
    const who = caller(req, res);
    if (!who) return;
    const body = parseJsonObject(await readBody(req, 64 * 1024)) ?? {};
    const request = find(res, params['id']);
    if (!request) return;
    if (request.state !== 'pending') {
      stateError(res, request);
      return;
    }
    const step = request.chain[request.step] as ChainStep;
    if (step.kind !== 'issue') {
      fail(
        res,
        409,
        'INBOX_WRONG_STEP',
        'Văn bản chưa đến bước ban hành / the request is not at its issue step',
      );
      return;
    }
    const clerk = who.kind === 'certificate' ? who.sha256 : text(body['assignee'], 64);
    if (clerk === undefined || !step.certificates.includes(clerk)) {
      fail(res, 403, 'INBOX_NOT_ASSIGNEE', 'Không phải văn thư được giao / not a clerk of this request');
      return;
    }
    const outcome = book.reserve(request.id, request.book, clerk);
    if (outcome.kind === 'taken') {
      fail(
        res,
        409,
        'INBOX_ISSUE_TAKEN',
        'Văn thư khác đang ban hành văn bản này / another clerk is issuing it',
        {
          number: outcome.reservation.number,
        },
      );
      return;
    }
    const r = outcome.reservation;
    sendJson(res, outcome.fresh ? 201 : 200, {
      number: r.number,
      issuedDate: r.issuedDate,
      book: r.book,
      year: r.year,
      leaseUntil: new Date(r.leaseUntil).toISOString(),
    });
  });

  // --- a signed file comes back ---------------------------------------------------------------------
  router.add('POST', '/signing-requests/:id/signed', async (req, res, params) => {
    const who = auth.identify(req);
    if (who === 'invalid') {
      req.resume();
      fail(res, 401, 'INBOX_UNAUTHORIZED', 'Sai mã phiên / wrong credential');
      return;
    }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length < 8 || key.length > 200) {
      req.resume();
      fail(res, 400, 'INBOX_REQUEST_INVALID', 'Idempotency-Key header required (8–200 characters)');
      return;
    }
    const known = store.signedKey(key);
    if (known) {
      req.resume();
      fail(res, 409, 'INBOX_ALREADY_DELIVERED', 'already delivered', {
        requestId: known.requestId,
        step: known.step,
        storedAt: known.storedAt,
      });
      return;
    }
    if (inProgress.has(key)) {
      req.resume();
      sendJson(
        res,
        503,
        { message: 'a request with this Idempotency-Key is being processed' },
        { 'Retry-After': '1' },
      );
      return;
    }
    inProgress.add(key);
    let temp: string | undefined;
    try {
      const body = await readBody(req, options.maxBytes);
      if (body === undefined) {
        fail(res, 413, 'INBOX_TOO_LARGE', 'Tệp quá lớn / file too large');
        return;
      }
      const request = find(res, params['id']);
      if (!request) return;
      if (request.state !== 'pending') {
        stateError(res, request);
        return;
      }
      const parts = parseMultipart(req.headers['content-type'], body);
      const file = parts?.find((p) => p.name === 'file');
      const meta = parseJsonObject(parts?.find((p) => p.name === 'metadata')?.data);
      if (!file || !meta) {
        fail(res, 400, 'INBOX_REQUEST_INVALID', 'multipart with parts "file" and "metadata" required');
        return;
      }
      const sha256 = sha256Hex(file.data);
      if (meta['sha256'] !== undefined && meta['sha256'] !== sha256) {
        fail(res, 422, 'INBOX_REQUEST_INVALID', 'metadata.sha256 does not match the file');
        return;
      }
      // The document the signer saw must be the current one, and the new file must add to it only.
      const current = store.readDocument(request);
      const base = meta['baseSha256'];
      const extends_ =
        file.data.length > current.length && file.data.subarray(0, current.length).equals(current);
      if ((base !== undefined && base !== request.sha256) || !extends_) {
        fail(
          res,
          412,
          'INBOX_DOCUMENT_CHANGED',
          'Văn bản trên máy chủ đã thay đổi từ khi tải về / the document changed on the server since it was downloaded',
          { sha256: request.sha256, version: request.version },
        );
        return;
      }
      if (meta['step'] !== undefined && meta['step'] !== request.step) {
        stateError(res, { ...request, state: 'done' });
        return;
      }
      temp = path.join(
        os.tmpdir(),
        `kyso-onestop-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.pdf`,
      );
      writeFileDurably(temp, file.data);
      trust ??= options.trust ? Promise.resolve(options.trust) : loadTrustStore({});
      const report = await verifyPdf({ input: temp, trust: await trust, lang: 'en' });
      const signatures = report.signatures.filter((s) => s.type === 'signature');
      const last = signatures.at(-1);
      if (
        report.signatures.some((s) => s.status === 'invalid') ||
        !last ||
        !last.coverage.wholeDocument ||
        (last.coverage.signedBytes ?? 0) <= current.length
      ) {
        fail(
          res,
          422,
          'INBOX_SIGNATURE_INVALID',
          'Chữ ký số không hợp lệ hoặc chữ ký trước bị hỏng / a signature is invalid or missing',
          {
            signatures: report.signatures.map((s) => ({ status: s.status, reason: s.reason })),
          },
        );
        return;
      }
      const step = request.chain[request.step] as ChainStep;
      const signer = step.certificates.find((sha) => {
        const der = store.certificate(sha)?.der;
        if (!der) return false;
        const info = parseCertificate(new Uint8Array(der));
        return (
          info.issuerDN === last.issuer &&
          info.serialHex.replace(/^0+/, '').toLowerCase() ===
            (last.serial ?? '').replace(/^0+/, '').toLowerCase()
        );
      });
      if (signer === undefined || (who?.kind === 'certificate' && who.sha256 !== signer)) {
        fail(
          res,
          403,
          'INBOX_NOT_ASSIGNEE',
          'Người ký không phải người được giao bước này / the signer is not the assignee',
          {
            signer: last.signer.name,
          },
        );
        return;
      }
      let number: string | null = null;
      if (step.kind === 'issue') {
        const reservation = book.get(request.id);
        if (!reservation) {
          fail(res, 409, 'INBOX_NOT_ISSUED', 'Chưa lấy số và ngày ban hành / no number was reserved');
          return;
        }
        if (reservation.clerk !== signer) {
          fail(
            res,
            409,
            'INBOX_ISSUE_TAKEN',
            'Văn thư khác đang ban hành văn bản này / another clerk holds its number',
            {
              number: reservation.number,
            },
          );
          return;
        }
        if (meta['documentNumber'] !== reservation.number) {
          fail(
            res,
            422,
            'INBOX_NUMBER_MISMATCH',
            `Số văn bản phải là ${reservation.number} / the number must be ${reservation.number}`,
          );
          return;
        }
        number = reservation.number;
      }
      const outcome = store.db
        .transaction((): SigningRequest | 'moved' => {
          const now = store.get(request.id) as SigningRequest;
          if (now.state !== 'pending' || now.step !== request.step || now.version !== request.version)
            return 'moved';
          const version = now.version + 1;
          writeFileDurably(store.documentPath(now.id, version), file.data);
          const at = new Date().toISOString();
          const chain = now.chain.map((s, i) =>
            i === now.step
              ? { ...s, state: 'done' as const, signedBy: signer, signedAt: at }
              : i === now.step + 1
                ? { ...s, state: 'pending' as const }
                : s,
          );
          const finished = now.step + 1 >= now.chain.length;
          let receiptId: string | undefined;
          if (finished) {
            // The chain ended: the result goes into the dossier, as a delivered result would.
            const resultKey = `signing-request-${now.id}`;
            const existing = options.results.byKey(resultKey);
            receiptId = existing?.id ?? options.results.newId();
            if (!existing) {
              options.results.writeFile(receiptId, file.data);
              options.results.add({
                id: receiptId,
                idempotencyKey: resultKey,
                dossierCode: now.dossierCode,
                fileName: now.fileName,
                sha256,
                size: file.data.length,
                metadata: {
                  signingRequestId: now.id,
                  documentType: now.documentType,
                  documentNumber: number,
                  issuedDate: book.get(now.id)?.issuedDate ?? null,
                },
                receivedAt: at,
                signatures: report.signatures.map((s) => ({ status: s.status, signer: s.signer.name })),
              });
            }
          }
          store.update(now.id, {
            version,
            sha256,
            size: file.data.length,
            chain,
            step: now.step + 1,
            ...(finished ? { state: 'done' as const, ...(receiptId ? { receiptId } : {}) } : {}),
          });
          store.addSignedKey(key, now.id, now.step, version);
          return store.get(now.id) as SigningRequest;
        })
        .immediate();
      if (outcome === 'moved') {
        const now = store.get(request.id) as SigningRequest;
        stateError(res, now.state === 'pending' ? { ...now, state: 'done' } : now);
        return;
      }
      sendJson(res, 201, { message: 'stored', ...requestView(outcome, book) });
    } finally {
      inProgress.delete(key);
      if (temp) rmSync(temp, { force: true });
    }
  });

  return { book };
}
