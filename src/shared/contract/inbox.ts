// "Văn bản chờ ký" (issue 17 point 3): what waits for the holder of a certificate in the one-stop
// server's signing chain. Merged into requests.ts's maps. The server knows the holder by its
// certificate (challenge–response signed with the token's key), so opening the inbox asks the PIN
// once; the session then lasts as the server allows (15 minutes) and the list is read again without
// it. Signing several requests takes one PIN; declining needs a reason. The PIN travels in the
// request that needs it only and is never stored, logged or echoed.
import { z } from 'zod';
import type { ErrorCode } from '../errors.js';
import { CertificateRefSchema, TextSchema } from './schemas.js';

const PinSchema = z.string().min(1).max(256).nullable();
const RequestIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/);

export const INBOX_REQUESTS = {
  /** Opens the certificate's session with the server (the token signs its challenge), then lists. */
  'inbox.open': {
    request: z.strictObject({
      certificate: CertificateRefSchema,
      pin: PinSchema,
      allowFinalTry: z.boolean(),
    }),
  },
  /** The list again, with the open session; offline: the list last downloaded. */
  'inbox.list': { request: z.strictObject({ certificate: CertificateRefSchema }) },
  /** The document of a request, downloaded (checked against its SHA-256) to be shown. */
  'inbox.document': { request: z.strictObject({ certificate: CertificateRefSchema, id: RequestIdSchema }) },
  /** The clerk's step: the number and date the server issues for this request (kept for it). */
  'inbox.reserve': { request: z.strictObject({ certificate: CertificateRefSchema, id: RequestIdSchema }) },
  /** Signs the requests with one PIN, in order, and delivers each signed file. Long work. */
  'inbox.sign': {
    request: z.strictObject({
      certificate: CertificateRefSchema,
      ids: z.array(RequestIdSchema).min(1).max(500),
      pin: PinSchema,
      allowFinalTry: z.boolean(),
    }),
  },
  'inbox.decline': {
    request: z.strictObject({
      certificate: CertificateRefSchema,
      id: RequestIdSchema,
      reason: TextSchema.min(1),
    }),
  },
} as const;

export interface InboxItemView {
  readonly id: string;
  readonly dossierCode: string;
  readonly documentType: string;
  readonly title: string | null;
  readonly fileName: string;
  readonly preparedBy: string;
  /** ISO 8601. */
  readonly arrivedAt: string;
  readonly dueAt: string | null;
  readonly overdue: boolean;
  /** approve: the competent person's signature; issue: the clerk's number, date and seal. */
  readonly stepKind: 'approve' | 'issue' | null;
  /** The number and date already reserved for the issue step. */
  readonly issue: { readonly number: string; readonly issuedDate: string } | null;
}

export interface InboxListView {
  readonly items: readonly InboxItemView[];
  /** When the server gave the list (ISO 8601). */
  readonly fetchedAt: string;
  /** The server could not be reached: the list last downloaded. */
  readonly offline: boolean;
  /** Signed files kept until the server has them (delivered when it answers again). */
  readonly waitingDelivery: number;
}

export interface InboxOutcomeView {
  readonly id: string;
  readonly status: 'delivered' | 'queued' | 'failed';
  readonly documentNumber: string | null;
  readonly issuedDate: string | null;
  readonly code: ErrorCode | null;
  /** In the app's language. */
  readonly message: string | null;
}

export interface InboxSignProgress {
  readonly id: string;
  readonly stage: 'checking' | 'downloading' | 'reserving' | 'signing' | 'signed' | 'delivered';
  readonly index: number;
  readonly total: number;
}

export interface InboxResults {
  'inbox.open': InboxListView;
  'inbox.list': InboxListView;
  'inbox.document': { readonly path: string };
  'inbox.reserve': { readonly number: string; readonly issuedDate: string };
  'inbox.sign': { readonly outcomes: readonly InboxOutcomeView[]; readonly list: InboxListView };
  'inbox.decline': InboxListView;
}

export interface InboxProgressByChannel {
  'inbox.sign': InboxSignProgress;
}
