// Every request the renderer can make, named once: its zod schema (parsed on the main side at every
// boundary: IPC, WebSocket, engine process), its result type and, for long work, its progress type.
// Plain data only: this file is compiled for Node and for the browser.
import { z } from 'zod';
import type { ErrorCode } from '../errors.js';
import type { BridgePreview, BridgeStatusView } from './local-bridge.js';
import { POLICY_REQUESTS, type PolicyResults } from './policy.js';
import { BATCH_REQUESTS, type BatchProgressByChannel, type BatchResults } from './batch.js';
import { IMAGE_REQUESTS, type ImageResults } from './images.js';
import { NETWORK_REQUESTS, type NetworkResults } from './network.js';
import { TOKEN_ADMIN_REQUESTS, type TokenAdminResults } from './token-admin.js';
import { TRUST_REQUESTS, type TrustResults } from './trust.js';
import { INBOX_REQUESTS, type InboxProgressByChannel, type InboxResults } from './inbox.js';
import { SIGNING_DEFAULTS_REQUESTS, type SigningDefaultsResults } from './signing-defaults.js';
import {
  AppearanceTemplateSchema,
  CertificateRefSchema,
  DisplayRectSchema,
  DocumentIdSchema,
  LanguageSchema,
  OutboxIdSchema,
  PageLengthSchema,
  PathSchema,
  SignTemplateSchema,
  TextSchema,
  type DisplayRectValue,
  type Language,
} from './schemas.js';

// ---------------------------------------------------------------------------------------------
// Building blocks (schemas.ts)

export {
  PathSchema,
  DocumentIdSchema,
  LanguageSchema,
  type Language,
  APPEARANCE_TEMPLATE_NAMES,
  AppearanceTemplateSchema,
  type AppearanceTemplateName,
  SignTemplateSchema,
  type SignTemplateName,
  DisplayRectSchema,
  type DisplayRectValue,
  CertificateRefSchema,
  type CertificateRef,
  OutboxIdSchema,
  TextSchema,
} from './schemas.js';

const text = TextSchema;
const positive = PageLengthSchema;

// ---------------------------------------------------------------------------------------------
// The requests

export const REQUESTS = {
  'app.info': { request: z.strictObject({}) },
  'app.setLanguage': { request: z.strictObject({ language: LanguageSchema }) },
  'app.takeOpenFiles': { request: z.strictObject({}) },

  'dialog.openPdf': { request: z.strictObject({}) },
  /** A folder of documents (Ký hàng loạt). */
  'dialog.openFolder': { request: z.strictObject({}) },
  /** A PNG or JPEG (signature and seal images, Cài đặt). */
  'dialog.openImage': { request: z.strictObject({}) },
  /** A certificate file for the trust store (Thiết bị ký, "Kho tin cậy"). */
  'dialog.openCertificate': { request: z.strictObject({}) },
  /** A PKCS#11 library file (Thiết bị ký, "Thêm thư viện"). */
  'dialog.openLibrary': { request: z.strictObject({}) },
  'dialog.saveAs': { request: z.strictObject({ defaultPath: PathSchema }) },
  'dialog.showInFolder': { request: z.strictObject({ path: PathSchema }) },

  'document.open': { request: z.strictObject({ path: PathSchema }) },
  'document.read': {
    request: z.strictObject({
      documentId: DocumentIdSchema,
      offset: z.number().int().min(0),
      // pdf.js asks for ranges of 64 KiB–1 MiB; 16 MiB bounds one message
      length: z
        .number()
        .int()
        .min(1)
        .max(16 * 1024 * 1024),
    }),
  },
  /**
   * Several ranges in one call: pdf.js asks for a hundred small ranges at once before the first page
   * of a scan (one per page object); one message for all of them instead of one each.
   */
  'document.readMany': {
    request: z
      .strictObject({
        documentId: DocumentIdSchema,
        ranges: z
          .array(
            z.strictObject({
              offset: z.number().int().min(0),
              length: z
                .number()
                .int()
                .min(1)
                .max(16 * 1024 * 1024),
            }),
          )
          .min(1)
          .max(512),
      })
      .refine((r) => r.ranges.reduce((n, x) => n + x.length, 0) <= 16 * 1024 * 1024, {
        message: 'at most 16 MiB in all',
        path: ['ranges'],
      }),
  },
  'document.close': { request: z.strictObject({ documentId: DocumentIdSchema }) },
  'document.suggestPlacement': {
    request: z.strictObject({ documentId: DocumentIdSchema, template: AppearanceTemplateSchema }),
  },

  'appearance.preview': {
    request: z.strictObject({
      template: AppearanceTemplateSchema,
      width: positive,
      height: positive,
      certificate: CertificateRefSchema.optional(),
      docNumber: text.optional(),
      agency: text.optional(),
    }),
  },

  'tokens.list': { request: z.strictObject({}) },

  'sign.run': {
    request: z.strictObject({
      documentId: DocumentIdSchema,
      output: PathSchema,
      overwrite: z.boolean(),
      template: SignTemplateSchema,
      /** 1-based. */
      page: z.number().int().min(1),
      rect: DisplayRectSchema.nullable(),
      certificate: CertificateRefSchema,
      /** null: the token's PIN pad (protected authentication path). Never stored, logged or echoed. */
      pin: z.string().min(1).max(256).nullable(),
      allowFinalTry: z.boolean(),
      docNumber: text.optional(),
      agency: text.optional(),
      reason: text.optional(),
      location: text.optional(),
    }),
  },

  'verify.run': { request: z.strictObject({ path: PathSchema }) },
  'verify.saveReport': { request: z.strictObject({ path: PathSchema, output: PathSchema }) },
  'verify.extractRevision': {
    request: z.strictObject({ path: PathSchema, revision: z.number().int().min(1) }),
  },

  // Delivery to the one-stop system (issue 15): the outbox in KYSO_HOME and its destination.
  'outbox.list': { request: z.strictObject({}) },
  'outbox.queue': {
    request: z.strictObject({
      path: PathSchema,
      /** Checked by the service (UPLOAD_DOSSIER_CODE_INVALID), not here: the user gets the engine's message. */
      dossierCode: z.string().min(1).max(80),
      docNumber: text.optional(),
      docType: text.optional(),
      /** Queue even a file whose signatures are broken (the engine refuses it otherwise). */
      override: z.boolean().optional(),
    }),
  },
  'outbox.retry': {
    request: z.union([
      z.strictObject({ id: OutboxIdSchema }),
      z.strictObject({ allFailed: z.literal(true) }),
    ]),
  },
  'outbox.cancel': { request: z.strictObject({ id: OutboxIdSchema }) },
  /** Delivers what is due now (or only `ids`); progress per document; cancellable. */
  'outbox.flush': { request: z.strictObject({ ids: z.array(OutboxIdSchema).max(1000).optional() }) },
  'upload.settings.get': { request: z.strictObject({}) },
  'upload.settings.set': {
    request: z.strictObject({
      adapter: z.enum(['rest', 'folder']).optional(),
      /** null: forget the app's choice (the settings file's applies). */
      server: z.string().url().max(2048).nullable().optional(),
      folderPath: PathSchema.nullable().optional(),
      /** Write-only: stored encrypted (or kept in memory), never returned, never logged. */
      credential: z
        .union([
          z.strictObject({ set: z.string().trim().min(1).max(8192) }),
          z.strictObject({ clear: z.literal(true) }),
        ])
        .optional(),
    }),
  },

  // The local bridge for web one-stop systems (issue 16): settings in app.json's `bridge` section.
  'bridge.status': { request: z.strictObject({}) },
  'bridge.settings.set': {
    request: z.strictObject({
      enabled: z.boolean(),
      port: z.number().int().min(1).max(65535),
      /** Checked by the service (scheme://host[:port]); the preset ones of settings.json apply too. */
      allowedOrigins: z.array(z.string().min(1).max(300)).max(100),
      /** null: the only signing certificate present. */
      certificate: CertificateRefSchema.nullable().optional(),
    }),
  },
  /** The user's answer to a bridge-request event; the PIN travels only here, never stored. */
  'bridge.answer': {
    request: z.strictObject({
      requestId: z.number().int().positive(),
      accept: z.boolean(),
      /** null: the token's PIN pad. */
      pin: z.string().min(1).max(256).nullable().optional(),
      /** The user confirmed a try on a token with one try left. */
      allowFinalTry: z.boolean().optional(),
    }),
  },
  'bridge.preview': { request: z.strictObject({ requestId: z.number().int().positive() }) },

  // The machine policy (issue 14 point 4): contract/policy.ts.
  ...POLICY_REQUESTS,
  // Token administration (issue 14 point 2): contract/token-admin.ts.
  ...TOKEN_ADMIN_REQUESTS,
  // Batch signing (issue 14 point 1): contract/batch.ts.
  ...BATCH_REQUESTS,
  // Signature and seal images (issue 14 point 3): contract/images.ts.
  ...IMAGE_REQUESTS,
  // TSA, proxy and revocation settings (issue 14 point 2): contract/network.ts.
  ...NETWORK_REQUESTS,
  // The trust store (issue 14 point 2): contract/trust.ts.
  ...TRUST_REQUESTS,
  // What signing starts with (issue 14 point 3): contract/signing-defaults.ts.
  ...SIGNING_DEFAULTS_REQUESTS,
  // "Văn bản chờ ký", the signing chain's inbox (issue 17 point 3): contract/inbox.ts.
  ...INBOX_REQUESTS,
} as const;

export type Channel = keyof typeof REQUESTS;
export const CHANNELS = Object.keys(REQUESTS) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REQUESTS, value);
}

/** What the caller passes (optional fields may be left out). */
export type RequestOf<C extends Channel> = z.input<(typeof REQUESTS)[C]['request']>;
/** What a handler receives after parsing. */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof REQUESTS)[C]['request']>;

// ---------------------------------------------------------------------------------------------
// Results

export interface AppInfo {
  readonly version: string;
  readonly language: Language;
  readonly platform: string;
  /** KYSO_HOME: settings, stored images, trust store. */
  readonly home: string;
  /** true in the development web host (browser), false in the Electron shell. */
  readonly webHost: boolean;
}

export interface PageInfo {
  /** Display size in points, after /Rotate (width and height swap on 90/270). */
  readonly width: number;
  readonly height: number;
  readonly rotation: 0 | 90 | 180 | 270;
}

export interface OpenedDocument {
  readonly documentId: string;
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly pageCount: number;
  readonly pages: readonly PageInfo[];
  readonly signatureCount: number;
  /** `<name>-da-ky.pdf` next to the original, `-da-ky-2.pdf`… when taken. */
  readonly suggestedOutput: string;
}

export interface Placement {
  /** 1-based. */
  readonly page: number;
  readonly rect: DisplayRectValue;
}

export type PinStateName = 'ok' | 'count-low' | 'final-try' | 'locked' | 'not-initialized' | 'to-be-changed';

export type CertificateWarning = 'expired' | 'not-yet-valid' | 'expiring-soon' | 'no-signing-usage';

export interface TokenCertificateView {
  /** CKA_ID in hex: the keyId of a CertificateRef. */
  readonly id: string;
  readonly label: string;
  readonly subjectCN: string | null;
  readonly subjectDN: string;
  readonly issuerDN: string;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyType: 'rsa' | 'ec';
  readonly keySize: number;
  readonly curve: string | null;
  readonly keyUsage: readonly string[] | null;
  readonly isAuthority: boolean;
  readonly hasPrivateKey: boolean | null;
  readonly sha256: string;
  /** Against now; expiring-soon within 30 days. */
  readonly warnings: readonly CertificateWarning[];
}

export interface TokenFlagsView {
  readonly loginRequired: boolean;
  readonly userPinInitialized: boolean;
  readonly tokenInitialized: boolean;
  readonly writeProtected: boolean;
  /** A PIN pad: the PIN is typed on the device (sign.run with pin: null). */
  readonly protectedAuthenticationPath: boolean;
  readonly userPinCountLow: boolean;
  readonly userPinFinalTry: boolean;
  readonly userPinLocked: boolean;
  readonly userPinToBeChanged: boolean;
  readonly soPinLocked: boolean;
}

export interface TokenView {
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly flags: TokenFlagsView;
  readonly pinState: PinStateName;
  readonly minPinLength: number;
  readonly maxPinLength: number;
  readonly certificates: readonly TokenCertificateView[];
  readonly keysWithoutCertificate: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
}

export interface SlotView {
  readonly slotId: number;
  readonly description: string;
  readonly tokenPresent: boolean;
  readonly token: TokenView | null;
}

export interface TokenModuleView {
  readonly path: string;
  readonly origin: 'option' | 'env' | 'settings' | 'catalogue';
  readonly vendor: string | null;
  readonly loaded: boolean;
  readonly manufacturer: string | null;
  readonly description: string | null;
  readonly cryptokiVersion: string | null;
  /** message: in the app's language; arch/processArch: a library of the wrong architecture. */
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly reason: string | null;
    readonly arch: string | null;
    readonly processArch: string | null;
  } | null;
  readonly slots: readonly SlotView[];
}

export type SignatureStatusName = 'valid' | 'invalid' | 'indeterminate';

export interface SignRunResult {
  readonly output: string;
  readonly fieldName: string;
  readonly level: string;
  /** ISO 8601. */
  readonly signingTime: string;
  /** Our verifier's reading of the output, right after writing it. */
  readonly verification: {
    readonly status: SignatureStatusName | 'unsigned';
    readonly signatures: readonly {
      readonly signer: string | null;
      readonly status: SignatureStatusName;
      readonly signingTime: string | null;
    }[];
  };
}

/** The verifier's report (the JSON of `kyso verify --json`), plus where each signature's box is. */
export interface VerifyCheckView {
  readonly id: string;
  readonly result: 'passed' | 'failed' | 'warning' | 'not-checked';
  readonly detail: string;
}

export interface VerifyChangeView {
  readonly revision: number;
  readonly kind: string;
  readonly allowed: boolean;
  readonly description: string;
}

export interface VerifySignatureView {
  readonly index: number;
  readonly field: string;
  readonly type: 'signature' | 'document-timestamp';
  readonly subFilter: string | null;
  readonly status: SignatureStatusName;
  readonly subIndication?: string;
  readonly reason: string;
  readonly signer: {
    readonly name: string | null;
    readonly organization: string | null;
    readonly dn: string | null;
  };
  readonly issuer: string | null;
  readonly serial: string | null;
  readonly signingTime: string | null;
  readonly signingTimeSource: 'timestamp' | 'claimed';
  readonly timestamp?: {
    readonly time: string;
    readonly tsa: string | null;
    readonly serial: string;
    readonly digestAlgorithm: string;
    readonly status: 'valid' | 'untrusted' | 'invalid';
  };
  readonly level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | 'none';
  readonly ltv?: 'LT' | 'LTA' | null;
  readonly digestAlgorithm: string | null;
  readonly signatureAlgorithm: string | null;
  readonly certification?: 1 | 2 | 3;
  readonly coverage: {
    readonly wholeDocument: boolean;
    readonly revision: number;
    readonly revisions: number;
    readonly signedBytes: number | null;
  };
  readonly checks: readonly VerifyCheckView[];
  readonly changesAfter: readonly VerifyChangeView[];
  /** The signature's widget on the page, display coordinates; null for an invisible signature. */
  readonly widget: Placement | null;
}

export interface VerifyRunResult {
  readonly status: SignatureStatusName | 'unsigned';
  readonly file: string;
  readonly revisions: number;
  readonly validationTime: string;
  readonly signatures: readonly VerifySignatureView[];
  readonly warnings: readonly string[];
}

import type { OutboxStateName } from './outbox-states.js';

export { OUTBOX_STATE_NAMES, type OutboxStateName } from './outbox-states.js';

export type UploadDestinationView =
  { readonly kind: 'rest'; readonly server: string } | { readonly kind: 'folder'; readonly path: string };

/** One document of the outbox, as the outbox screen shows it. */
export interface OutboxItemView {
  readonly id: number;
  readonly fileName: string;
  readonly dossierCode: string;
  readonly documentNumber: string | null;
  readonly documentType: string | null;
  readonly destination: UploadDestinationView;
  readonly state: OutboxStateName;
  readonly attempts: number;
  /** ISO time of the next automatic attempt (queued items after a failed attempt). */
  readonly nextAttemptAt: string | null;
  /** The last failure, its message translated to the app language. */
  readonly lastError: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly status: number | null;
  } | null;
  /** The server already had it (an earlier attempt's answer was lost). */
  readonly alreadyDelivered: boolean;
  readonly warnings: readonly string[];
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

export interface OutboxFlushResult {
  readonly delivered: number;
  readonly failed: number;
  readonly retried: number;
  readonly counts: Readonly<Record<OutboxStateName, number>>;
}

/** Where results go, and whether a credential is there (never the credential itself). */
export interface UploadSettingsView {
  readonly adapter: 'rest' | 'folder';
  readonly server: string | null;
  readonly folderPath: string | null;
  /** stored: in the app's store; environment: KYSO_UPLOAD_TOKEN; none. */
  readonly credential: 'stored' | 'environment' | 'none';
  /** os: encrypted by the OS secret store (Electron safeStorage); memory: kept for this run only. */
  readonly credentialStore: 'os' | 'memory';
  /** The destination's authentication needs one (settings upload.rest.auth). */
  readonly needsCredential: boolean;
}

export interface RequestResults
  extends
    PolicyResults,
    TokenAdminResults,
    BatchResults,
    ImageResults,
    NetworkResults,
    TrustResults,
    SigningDefaultsResults,
    InboxResults {
  'app.info': AppInfo;
  'app.setLanguage': { readonly language: Language };
  'app.takeOpenFiles': { readonly paths: readonly string[] };
  'dialog.openPdf': { readonly path: string | null };
  'dialog.openFolder': { readonly path: string | null };
  'dialog.openImage': { readonly path: string | null };
  'dialog.openCertificate': { readonly path: string | null };
  'dialog.openLibrary': { readonly path: string | null };
  'dialog.saveAs': { readonly path: string | null };
  'dialog.showInFolder': Record<string, never>;
  'document.open': OpenedDocument;
  'document.read': { readonly bytes: Uint8Array; readonly size: number };
  /** The ranges' bytes in the order asked. */
  'document.readMany': { readonly parts: readonly Uint8Array[]; readonly size: number };
  'document.close': Record<string, never>;
  'document.suggestPlacement': Placement | null;
  'appearance.preview': { readonly pdf: Uint8Array; readonly warnings: readonly string[] };
  'tokens.list': { readonly modules: readonly TokenModuleView[] };
  'sign.run': SignRunResult;
  'verify.run': VerifyRunResult;
  'verify.saveReport': { readonly output: string };
  'verify.extractRevision': { readonly path: string };
  'outbox.list': {
    readonly items: readonly OutboxItemView[];
    readonly counts: Readonly<Record<OutboxStateName, number>>;
  };
  'outbox.queue': {
    readonly item: OutboxItemView;
    /** The same document was already queued for this destination: nothing new was added. */
    readonly existing: boolean;
    readonly warnings: readonly string[];
  };
  'outbox.retry': { readonly retried: number };
  'outbox.cancel': { readonly item: OutboxItemView };
  'outbox.flush': OutboxFlushResult;
  'upload.settings.get': UploadSettingsView;
  'upload.settings.set': UploadSettingsView;
  'bridge.status': BridgeStatusView;
  'bridge.settings.set': BridgeStatusView;
  'bridge.answer': { readonly accepted: boolean };
  'bridge.preview': BridgePreview;
}

export type ResultOf<C extends Channel> = RequestResults[C];

// ---------------------------------------------------------------------------------------------
// Progress of long work

/** The engine's SignProgress stages, plus the re-verification of the output. */
export interface SignRunProgress {
  readonly stage:
    | 'reading'
    | 'preparing'
    | 'hashing'
    | 'signing'
    | 'timestamp'
    | 'writing'
    | 'revocation'
    | 'long-term'
    | 'verifying'
    | 'done';
  /** Timestamp stage: the attempt the TSA is waited for, or the delay before the next one. */
  readonly attempt?: number;
  readonly retryInMs?: number;
}

export interface VerifyRunProgress {
  readonly stage: 'reading' | 'verifying' | 'done';
}

/** One step of a flush: a document taken, its bytes, its outcome; `done` counts outcomes so far. */
export interface OutboxFlushProgress {
  readonly stage: 'sending' | 'bytes' | 'delivered' | 'retry-scheduled' | 'failed' | 'waiting';
  readonly id?: number;
  readonly fileName?: string;
  readonly sent?: number;
  readonly total?: number;
  readonly done: number;
}

export interface RequestProgress extends BatchProgressByChannel, InboxProgressByChannel {
  'sign.run': SignRunProgress;
  'verify.run': VerifyRunProgress;
  'outbox.flush': OutboxFlushProgress;
}

export type ProgressOf<C extends Channel> = C extends keyof RequestProgress ? RequestProgress[C] : never;
