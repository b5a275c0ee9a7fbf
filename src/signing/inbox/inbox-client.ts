// The one-stop server's signing routes (docs/signing-chain.md) for one certificate holder: the list
// of requests, one request, its document (checked against X-Document-SHA256), the clerk's number
// reservation, a decline with its reason, and the signed return with its Idempotency-Key. Failures
// are KysoErrors with the server's code (INBOX_WITHDRAWN, INBOX_DOCUMENT_CHANGED…) or the network's
// (INBOX_UNREACHABLE, INBOX_SERVER_ERROR); nothing here retries by itself except one new session
// when the server forgot the old one (a restart, an expiry).
import { createHash } from 'node:crypto';
import { KysoError } from '../../shared/errors.js';
import { answerError, networkError } from './inbox-answer.js';
import { parseInboxItem, type InboxItem } from './inbox-item.js';
import { certificateId, openSession, type InboxCredentials, type Session } from './inbox-session.js';

export interface InboxClientOptions {
  /** The one-stop server's base URL (the delivery's `upload.server`). */
  readonly server: string;
  /** DER of the certificate whose inbox this is. */
  readonly certificate: Uint8Array;
  readonly credentials: InboxCredentials;
  /** Per request (default 30 s). */
  readonly timeoutMs?: number;
}

export interface IssueReservation {
  readonly number: string;
  /** dd/mm/yyyy, the server's date. */
  readonly issuedDate: string;
  readonly book: string;
  readonly year: number;
}

export interface InboxDocument {
  readonly data: Buffer;
  readonly sha256: string;
  readonly version: number | null;
}

export interface SignedReturn {
  /** The signed PDF: the current document with one more signature appended. */
  readonly data: Uint8Array;
  /** 8–200 characters, the same for every attempt at one delivery. */
  readonly idempotencyKey: string;
  /** The SHA-256 of the document that was signed (what the server must still hold). */
  readonly baseSha256: string;
  /** The step that was signed. */
  readonly step: number;
  /** At the issue step: the reserved number written into the document. */
  readonly documentNumber?: string;
  readonly fileName?: string;
}

export type InboxListState = 'pending' | 'done' | 'declined' | 'withdrawn' | 'all';

interface RequestInit {
  readonly body?: unknown;
  readonly form?: FormData;
  readonly headers?: Record<string, string>;
  readonly auth?: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly id?: string;
  readonly accept?: string;
}

const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

export class InboxClient {
  readonly server: string;
  /** The certificate's SHA-256: the assignee's name on the server. */
  readonly assignee: string;
  readonly certificate: Uint8Array;
  readonly #options: InboxClientOptions;
  #session: Session | undefined;
  #opening: Promise<Session> | undefined;

  constructor(options: InboxClientOptions) {
    let url: URL;
    try {
      url = new URL(options.server);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new KysoError('INBOX_NO_SERVER', `Not a server URL: ${options.server}`);
    }
    this.server = url.href.replace(/\/+$/, '');
    this.certificate = options.certificate;
    this.assignee = certificateId(options.certificate);
    this.#options = options;
  }

  get #static(): boolean {
    return this.#options.credentials.kind === 'static';
  }

  /** The Authorization header's value, opening a session when needed. */
  async #authorization(signal?: AbortSignal): Promise<string> {
    const credentials = this.#options.credentials;
    if (credentials.kind === 'static') {
      const secret = await credentials.credential();
      if (secret === undefined || secret.length === 0) {
        throw new KysoError('INBOX_UNAUTHORIZED', 'No credential for the inbox.', {
          details: { message: 'no credential' },
        });
      }
      return `Bearer ${secret.reveal()}`;
    }
    if (this.#session && this.#session.renewAt > Date.now()) return `Bearer ${this.#session.token}`;
    this.#opening ??= openSession(
      (p, body, s) => this.#json('POST', p, { body, auth: false, signal: s }),
      this.certificate,
      credentials.signer,
      signal,
    ).finally(() => {
      this.#opening = undefined;
    });
    this.#session = await this.#opening;
    return `Bearer ${this.#session.token}`;
  }

  async #send(method: string, path: string, init: RequestInit): Promise<Response> {
    const url = `${this.server}${path}`;
    const headers: Record<string, string> = { Accept: init.accept ?? 'application/json', ...init.headers };
    if (init.auth !== false) headers['Authorization'] = await this.#authorization(init.signal);
    if (init.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 30_000);
    try {
      return await fetch(url, {
        method,
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        ...(init.form !== undefined ? { body: init.form } : {}),
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
    } catch (cause) {
      throw networkError(url, cause, init.signal);
    }
  }

  async #fetch(method: string, path: string, init: RequestInit): Promise<Response> {
    let res = await this.#send(method, path, init);
    // A session the server forgot (restart, expiry): one fresh session, then the answer stands.
    if (res.status === 401 && init.auth !== false && !this.#static && this.#session) {
      await res.body?.cancel();
      this.#session = undefined;
      res = await this.#send(method, path, init);
    }
    if (!res.ok) throw answerError(res.status, await res.text(), init.id);
    return res;
  }

  async #json(method: string, path: string, init: RequestInit): Promise<unknown> {
    const res = await this.#fetch(method, path, init);
    try {
      return (await res.json()) as unknown;
    } catch (cause) {
      throw new KysoError('INBOX_REQUEST_INVALID', 'The server did not answer JSON.', {
        details: { message: 'not JSON', ...(init.id !== undefined ? { id: init.id } : {}) },
        cause,
      });
    }
  }

  /** Requests of this certificate: those waiting for it (pending), or all it takes part in. */
  async list(
    state: InboxListState = 'pending',
    signal?: AbortSignal,
  ): Promise<{ items: InboxItem[]; serverTime: string | null }> {
    const query = `assignee=${encodeURIComponent(this.assignee)}&state=${encodeURIComponent(state)}`;
    const body = (await this.#json('GET', `/signing-requests?${query}`, { signal })) as {
      items?: unknown;
      serverTime?: unknown;
    };
    if (!Array.isArray(body.items)) {
      throw new KysoError('INBOX_REQUEST_INVALID', 'The server sent no list.', {
        details: { message: 'items' },
      });
    }
    return {
      items: body.items.map(parseInboxItem),
      serverTime: typeof body.serverTime === 'string' ? body.serverTime : null,
    };
  }

  async get(id: string, signal?: AbortSignal): Promise<InboxItem> {
    return parseInboxItem(
      await this.#json('GET', `/signing-requests/${encodeURIComponent(id)}`, { id, signal }),
    );
  }

  /** The current document; its bytes must have the SHA-256 the server announced (INBOX_HASH_MISMATCH). */
  async document(id: string, signal?: AbortSignal): Promise<InboxDocument> {
    const res = await this.#fetch('GET', `/signing-requests/${encodeURIComponent(id)}/document`, {
      id,
      signal,
      accept: 'application/pdf',
    });
    let data: Buffer;
    try {
      data = Buffer.from(await res.arrayBuffer());
    } catch (cause) {
      throw networkError(`${this.server}/`, cause, signal);
    }
    const announced = res.headers.get('x-document-sha256')?.toLowerCase() ?? '';
    const actual = sha256Hex(data);
    if (announced !== actual) {
      throw new KysoError(
        'INBOX_HASH_MISMATCH',
        'The downloaded document does not have the announced SHA-256.',
        {
          details: { id, expected: announced, actual },
        },
      );
    }
    const version = Number(res.headers.get('x-document-version'));
    return { data, sha256: actual, version: Number.isInteger(version) && version > 0 ? version : null };
  }

  /** The clerk's step: the number and issue date the server reserves for this request. */
  async reserveIssue(id: string, signal?: AbortSignal): Promise<IssueReservation> {
    const body = (await this.#json('POST', `/signing-requests/${encodeURIComponent(id)}/issue`, {
      id,
      body: this.#static ? { assignee: this.assignee } : {},
      signal,
    })) as Record<string, unknown>;
    const { number, issuedDate, book, year } = body;
    if (
      typeof number !== 'string' ||
      number === '' ||
      typeof issuedDate !== 'string' ||
      !/^\d{2}\/\d{2}\/\d{4}$/.test(issuedDate)
    ) {
      throw new KysoError('INBOX_REQUEST_INVALID', 'The server sent an unreadable reservation.', {
        details: { message: 'issue', id },
      });
    }
    return {
      number,
      issuedDate,
      book: typeof book === 'string' ? book : '',
      year: typeof year === 'number' ? year : 0,
    };
  }

  async decline(id: string, reason: string, signal?: AbortSignal): Promise<InboxItem> {
    return parseInboxItem(
      await this.#json('POST', `/signing-requests/${encodeURIComponent(id)}/decline`, {
        id,
        body: { reason, ...(this.#static ? { assignee: this.assignee } : {}) },
        signal,
      }),
    );
  }

  /** Returns a signed document; the answer is the request as it is now (next step, or done). */
  async returnSigned(id: string, signed: SignedReturn, signal?: AbortSignal): Promise<InboxItem> {
    const form = new FormData();
    form.set(
      'metadata',
      new Blob(
        [
          JSON.stringify({
            sha256: sha256Hex(signed.data),
            baseSha256: signed.baseSha256,
            step: signed.step,
            ...(signed.documentNumber !== undefined ? { documentNumber: signed.documentNumber } : {}),
          }),
        ],
        { type: 'application/json' },
      ),
    );
    form.set('file', new Blob([signed.data], { type: 'application/pdf' }), signed.fileName ?? 'signed.pdf');
    return parseInboxItem(
      await this.#json('POST', `/signing-requests/${encodeURIComponent(id)}/signed`, {
        id,
        form,
        headers: { 'Idempotency-Key': signed.idempotencyKey },
        signal,
      }),
    );
  }
}
