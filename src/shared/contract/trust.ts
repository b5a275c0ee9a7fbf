// The trust store on "Thiết bị ký" (issue 14 point 2, over issue 12's `kyso trust`): the built-in
// Vietnamese list and the certificates IT staff added, each with its fingerprint, validity and
// state; a file's certificates shown before they are added; removing an added one; switching any
// off and on. Merged into requests.ts's maps. A store locked by settings or the machine policy
// refuses every change (SETTING_LOCKED), in the engine, whatever the window shows.
import { z } from 'zod';
import { PathSchema } from './schemas.js';

/** A SHA-256 fingerprint, whole (64 hex digits): the window only names entries it was shown. */
const FingerprintSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const TRUST_REQUESTS = {
  'trust.list': { request: z.strictObject({}) },
  /** What a certificate file holds, nothing written: shown before "Thêm vào kho tin cậy". */
  'trust.preview': { request: z.strictObject({ path: PathSchema }) },
  'trust.add': { request: z.strictObject({ path: PathSchema }) },
  /** An added certificate only; a built-in one is switched off instead (TRUST_BUILTIN_NOT_REMOVABLE). */
  'trust.remove': { request: z.strictObject({ fingerprint: FingerprintSchema }) },
  'trust.setEnabled': { request: z.strictObject({ fingerprint: FingerprintSchema, enabled: z.boolean() }) },
} as const;

export interface TrustCertificateView {
  readonly fingerprint: string;
  readonly subject: string;
  readonly issuer: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** A root (anchors chains) or an intermediate (helps build them). */
  readonly anchor: boolean;
}

export interface TrustEntryView extends TrustCertificateView {
  readonly origin: 'builtin' | 'managed';
  /** The built-in list's name ("RootCA chuyên dùng Chính phủ G2"); null for added ones. */
  readonly name: string | null;
  readonly enabled: boolean;
}

export interface TrustListView {
  readonly entries: readonly TrustEntryView[];
  /** Whether each source anchors chains on this machine (settings / policy). */
  readonly useBuiltinList: boolean;
  readonly useManagedStore: boolean;
}

export interface TrustResults {
  'trust.list': TrustListView;
  'trust.preview': { readonly certificates: readonly TrustCertificateView[] };
  'trust.add': { readonly added: readonly TrustCertificateView[] };
  'trust.remove': Record<string, never>;
  'trust.setEnabled': Record<string, never>;
}
