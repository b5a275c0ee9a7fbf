// The signing-plugin protocol's request (one JSON text message on wss://127.0.0.1:8987/<Endpoint>),
// parsed at the boundary: anything a web page sends is untrusted. The JWT becomes a Secret at once.
import * as z from 'zod/mini';
import { KysoError } from '../../shared/errors.js';
import { Secret } from '../../shared/secret.js';

export const BRIDGE_ENDPOINTS = [
  'SignApproved',
  'SignIssued',
  'SignAppendix',
  'SignCopy',
  'VerifyPDF',
  'GetCertInfo',
] as const;
export type BridgeEndpoint = (typeof BRIDGE_ENDPOINTS)[number];

/** Endpoints that produce a signature (and so ask the user first). */
export const SIGNING_ENDPOINTS: readonly BridgeEndpoint[] = [
  'SignApproved',
  'SignIssued',
  'SignAppendix',
  'SignCopy',
];

export function endpointOfPath(pathname: string): BridgeEndpoint | undefined {
  const name = pathname.replace(/^\/+/, '').replace(/\/+$/, '');
  return (BRIDGE_ENDPOINTS as readonly string[]).includes(name) ? (name as BridgeEndpoint) : undefined;
}

const text = (max: number) => z.string().check(z.maxLength(max));

const RequestSchema = z.object({
  FileUploadHandler: z.optional(text(2048)),
  SessionId: z.optional(text(512)),
  JWTToken: z.optional(text(16_384)),
  FileName: z.optional(text(2048)),
  DocNumber: z.optional(text(200)),
  IssuedDate: z.optional(text(40)),
  MetaData: z.optional(
    z
      .array(z.object({ Key: text(200), Value: z.union([text(2000), z.number(), z.boolean(), z.null()]) }))
      .check(z.maxLength(50)),
  ),
});

export interface BridgeRequest {
  readonly fileUploadHandler: string | undefined;
  readonly sessionId: string | undefined;
  readonly jwt: Secret | undefined;
  readonly fileName: string | undefined;
  readonly docNumber: string | undefined;
  /** IssuedDate as dd/MM/yyyy. */
  readonly issuedDate: string | undefined;
  readonly metaData: ReadonlyMap<string, string>;
}

function invalid(reason: string): KysoError {
  return new KysoError('BRIDGE_REQUEST_INVALID', reason, { details: { reason } });
}

/** "dd/MM/yyyy", "dd-MM-yyyy", "dd.MM.yyyy", "yyyy-MM-dd" or an ISO date-time, as dd/MM/yyyy. */
export function parseIssuedDate(value: string): string {
  const v = value.trim();
  let day: number, month: number, year: number;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  const ymd = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (dmy) [day, month, year] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (ymd) [year, month, day] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  else throw invalid(`IssuedDate "${v.slice(0, 40)}" is not a date (dd/MM/yyyy or yyyy-MM-dd)`);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw invalid(`IssuedDate "${v}" is not a calendar date`);
  }
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(day)}/${pad(month)}/${year}`;
}

/** Parses one text message of a web system; throws BRIDGE_REQUEST_INVALID with the reason. */
export function parseBridgeRequest(message: string): BridgeRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    throw invalid('the message is not JSON');
  }
  const parsed = RequestSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw invalid(`${first?.path.join('.') || 'request'}: ${first?.message ?? 'invalid'}`);
  }
  const r = parsed.data;
  // Document numbers and dates are drawn on the page: no control characters or template braces.
  const clean = (name: string, v: string | undefined): string | undefined => {
    if (v === undefined || v.trim() === '') return undefined;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f{}]/.test(v)) throw invalid(`${name} holds characters that cannot be printed`);
    return v.trim().normalize('NFC');
  };
  const metaData = new Map<string, string>();
  for (const m of r.MetaData ?? []) if (m.Value !== null) metaData.set(m.Key, String(m.Value));
  return {
    fileUploadHandler: clean('FileUploadHandler', r.FileUploadHandler),
    sessionId: clean('SessionId', r.SessionId),
    jwt: r.JWTToken !== undefined && r.JWTToken !== '' ? new Secret(r.JWTToken) : undefined,
    fileName: clean('FileName', r.FileName),
    docNumber: clean('DocNumber', r.DocNumber),
    issuedDate:
      r.IssuedDate !== undefined && r.IssuedDate.trim() !== '' ? parseIssuedDate(r.IssuedDate) : undefined,
    metaData,
  };
}
