// A signing request as the one-stop server describes it (README "The signing chain"), parsed at the
// boundary: whatever the server sends is checked before the inbox, the cache or a screen uses it.
import * as z from 'zod/mini';
import { KysoError } from '../../shared/errors.js';

const text = (max: number) => z.string().check(z.maxLength(max));
const nullableText = (max: number) => z.nullable(text(max));
const sha = z.string().check(z.regex(/^[0-9a-f]{64}$/));

const StepSchema = z.object({
  kind: z.enum(['approve', 'issue']),
  state: z.enum(['waiting', 'pending', 'done', 'declined']),
  signedAt: z.optional(nullableText(40)),
  signedBy: z.optional(z.nullable(sha)),
});

export const InboxItemSchema = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,100}$/)),
  dossierCode: text(60),
  documentType: text(100),
  title: z.optional(nullableText(300)),
  fileName: text(300),
  preparedBy: text(200),
  createdAt: text(40),
  dueAt: z.optional(nullableText(40)),
  state: z.enum(['pending', 'done', 'declined', 'withdrawn']),
  step: z.nullable(
    z.object({
      index: z.number(),
      kind: z.enum(['approve', 'issue']),
      certificates: z.optional(z.array(sha)),
    }),
  ),
  version: z.number(),
  sha256: sha,
  size: z.number(),
  chain: z.array(StepSchema),
  declineReason: z.optional(nullableText(1000)),
  issue: z.optional(z.nullable(z.object({ number: text(100), issuedDate: text(20) }))),
});

/** One item of the inbox: what waits for the holder of a certificate. */
export interface InboxItem {
  readonly id: string;
  readonly dossierCode: string;
  readonly documentType: string;
  readonly title: string | null;
  readonly fileName: string;
  /** Who prepared it (the officer). */
  readonly preparedBy: string;
  /** When it arrived (ISO 8601). */
  readonly createdAt: string;
  readonly dueAt: string | null;
  readonly state: 'pending' | 'done' | 'declined' | 'withdrawn';
  /** The step waiting for a signature: 'approve' (competent person) or 'issue' (clerk: number and seal). */
  readonly step: {
    readonly index: number;
    readonly kind: 'approve' | 'issue';
    /** The SHA-256 of the certificates that may sign this step. */
    readonly certificates: readonly string[];
  } | null;
  /** The server's version of the document and its SHA-256: a change means download again. */
  readonly version: number;
  readonly sha256: string;
  readonly size: number;
  readonly chain: readonly {
    readonly kind: 'approve' | 'issue';
    readonly state: 'waiting' | 'pending' | 'done' | 'declined';
    /** The SHA-256 of the certificate that signed this step, once done. */
    readonly signedBy: string | null;
  }[];
  readonly declineReason: string | null;
  /** The number and date reserved for the issue step, once a clerk asked. */
  readonly issue: { readonly number: string; readonly issuedDate: string } | null;
}

export function parseInboxItem(value: unknown): InboxItem {
  const parsed = z.safeParse(InboxItemSchema, value);
  if (!parsed.success) {
    throw new KysoError('INBOX_REQUEST_INVALID', 'The server sent a signing request Kyso cannot read.', {
      details: { message: parsed.error.issues[0]?.path.join('.') ?? 'item' },
    });
  }
  const v = parsed.data;
  return {
    id: v.id,
    dossierCode: v.dossierCode,
    documentType: v.documentType,
    title: v.title ?? null,
    fileName: v.fileName,
    preparedBy: v.preparedBy,
    createdAt: v.createdAt,
    dueAt: v.dueAt ?? null,
    state: v.state,
    step: v.step ? { index: v.step.index, kind: v.step.kind, certificates: v.step.certificates ?? [] } : null,
    version: v.version,
    sha256: v.sha256,
    size: v.size,
    chain: v.chain.map((s) => ({ kind: s.kind, state: s.state, signedBy: s.signedBy ?? null })),
    declineReason: v.declineReason ?? null,
    issue: v.issue ?? null,
  };
}

/** Overdue: a due date that has passed while the item still waits. */
export function isOverdue(item: InboxItem, now = new Date()): boolean {
  return item.state === 'pending' && item.dueAt !== null && Date.parse(item.dueAt) < now.getTime();
}
