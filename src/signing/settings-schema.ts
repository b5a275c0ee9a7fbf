// The shape of the engine's settings file (<KYSO_HOME>/settings.json), apart from its loading so that
// the machine policy (policy/) can list every setting's key from it without an import cycle.
import {
  array,
  boolean,
  httpUrl,
  int,
  object,
  oneOf,
  optional,
  string,
  withDefault,
  type Infer,
} from './schema/plain-schema.js';

// Every command reads this file, so it is parsed with the engine's small schema builders rather
// than zod (see schema/plain-schema.ts).
const paths = array(string({ minLength: 1 }));
const intOr = (min: number, max: number, fallback: number) => withDefault(int(min, max), fallback);

export const SettingsSchema = object({
  pkcs11: object({
    /** Extra PKCS#11 library paths an admin added. */
    modules: withDefault(paths, []),
    /** Also search the catalogue of known Vietnamese token libraries. */
    searchCatalogue: withDefault(boolean(), true),
  }),
  /**
   * The trust store (kyso trust, the built-in Vietnamese list and <KYSO_HOME>/trust). `locked`: IT
   * staff's settings forbid adding, removing, enabling or disabling entries (issue 12); the machine
   * policy can lock it too. `useManagedStore`: certificates added to the managed store anchor
   * chains (off: only the built-in list and what a command names for one run). `useBuiltinList`:
   * the built-in Vietnamese list anchors chains (off: an office that trusts only what IT staff add).
   */
  trust: object({
    locked: withDefault(boolean(), false),
    useManagedStore: withDefault(boolean(), true),
    useBuiltinList: withDefault(boolean(), true),
  }),
  /** Identities other than tokens: .p12/.pfx files and the demo identity; a policy usually turns them off. */
  identities: object({
    p12: withDefault(boolean(), true),
    demo: withDefault(boolean(), true),
  }),
  /** Intermediate CA certificates (PEM or DER files) used to complete signers' chains. */
  intermediates: withDefault(paths, []),
  /** Network access of the engine (OCSP, CRL, CA certificates, the TSA). */
  network: object({
    /** http://[user:password@]host:port of an HTTP proxy; absent: direct connections. */
    proxy: optional(httpUrl()),
    /** Hosts (or .domain suffixes) reached directly, without the proxy. */
    noProxy: withDefault(paths, []),
  }),
  /** The timestamp server used when a command names none (B-T, B-LT, B-LTA, kyso extend). */
  tsa: object({
    url: optional(httpUrl()),
    /** Deadline of one request, in milliseconds (the government TSA can be slow). */
    timeoutMs: intOr(1, 600_000, 60_000),
    retries: intOr(0, 10, 2),
    policyOid: optional(string({ pattern: /^[0-2](\.\d+)+$/ })),
  }),
  /** OCSP and CRL behaviour (Circular 15/2025: check revocation before signing, keep the evidence). */
  revocation: object({
    /** online: ask OCSP responders and CRL servers; offline: use only the cache, and say what is missing. */
    mode: withDefault(oneOf(['online', 'offline'] as const), 'online'),
    /**
     * When to check the signer's certificate before signing: always; only for B-LT and B-LTA
     * signatures (which fetch the data anyway); never.
     */
    checkBeforeSigning: withDefault(oneOf(['always', 'long-term', 'never'] as const), 'long-term'),
    /** A status that cannot be checked: sign and warn, or refuse to sign. */
    whenUnavailable: withDefault(oneOf(['warn', 'refuse'] as const), 'warn'),
    /** Ask OCSP first (small, fresh) or the CRL first. */
    prefer: withDefault(oneOf(['ocsp', 'crl'] as const), 'ocsp'),
    /** Deadline of one OCSP/CRL/CA-certificate request, in milliseconds. */
    timeoutMs: intOr(1, 300_000, 15_000),
    retries: intOr(0, 5, 1),
    /** Keep responses under <KYSO_HOME>/cache/revocation/ until their nextUpdate. */
    cache: withDefault(boolean(), true),
  }),
  /** Long-term validation (B-LTA): renew the archive timestamp this many days before its TSA certificate expires. */
  ltv: object({
    renewBeforeDays: intOr(1, 3650, 180),
  }),
  /**
   * What signing starts with in the app (Cài đặt, "Mặc định khi ký"; issue 14 point 3): the
   * visible signature's template, the text the box is placed under when the page has it, and where
   * signed copies go and how they are named. The single-document and batch screens open with these;
   * a machine policy can preset and lock them like any other key.
   */
  signing: object({
    template: withDefault(
      oneOf(['personal', 'seal', 'text', 'certified-copy', 'invisible'] as const),
      'personal',
    ),
    /** Looked for first on the page ("CHỦ TỊCH"); empty: the usual titles, then the template's corner. */
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    anchorText: withDefault(string({ pattern: /^[^\u0000-\u001f]{0,200}$/ }), ''),
    /** An absolute folder for signed copies; absent: beside the original. */
    outputFolder: optional(string({ minLength: 1 })),
    /** Added to the name before .pdf ("quyet-dinh-da-ky.pdf"): no path separators or reserved characters. */
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    outputSuffix: withDefault(string({ pattern: /^[^/\\:*?"<>|\u0000-\u001f]{0,64}$/ }), '-da-ky'),
  }),
  /** The local bridge for web one-stop systems (kyso bridge, src/signing/bridge). */
  bridge: object({
    /** Origins (scheme://host[:port]) whose pages may ask for signatures; nothing is served without one. */
    allowedOrigins: withDefault(array(string({ minLength: 1 })), []),
    port: intOr(1, 65535, 8987),
    /** tls: wss:// only; plain: ws:// only (development); both: either, on the same port. */
    mode: withDefault(oneOf(['tls', 'plain', 'both'] as const), 'tls'),
    /** Largest document downloaded for signing, in MiB. */
    maxFileMB: intOr(1, 2048, 50),
    /** The clerk's SignIssued: the text block (number and date) or the agency seal image. */
    issuedTemplate: withDefault(oneOf(['text', 'seal'] as const), 'text'),
    /** Name of the multipart field that carries the signed file to FileUploadHandler. */
    uploadField: withDefault(string({ minLength: 1 }), 'file'),
  }),
  /** Delivery of signed results to the one-stop system (kyso upload, the outbox); see upload/upload-destination.ts. */
  upload: object({
    /** rest: POST to the one-stop system (README "One-stop REST contract"); folder: a shared folder. */
    adapter: withDefault(oneOf(['rest', 'folder'] as const), 'rest'),
    /** Base URL of the one-stop system, e.g. https://motcua.example.gov.vn/api. */
    server: optional(httpUrl()),
    rest: object({
      /** Request path under the server; {dossierCode} is replaced (URL-encoded). */
      path: withDefault(string({ minLength: 1 }), '/dossiers/{dossierCode}/results'),
      fileField: withDefault(string({ minLength: 1 }), 'file'),
      metadataField: withDefault(string({ minLength: 1 }), 'metadata'),
      idempotencyHeader: withDefault(string({ minLength: 1 }), 'Idempotency-Key'),
      /** Statuses meaning delivered; empty: any 2xx. */
      successStatuses: withDefault(array(int(100, 599)), []),
      /** Statuses meaning "already delivered" (a repeated idempotency key). */
      alreadyDeliveredStatuses: withDefault(array(int(100, 599)), [409]),
      /** For systems that answer 200 with a status inside: a top-level JSON member, and the value meaning success. */
      successJsonField: optional(string({ minLength: 1 })),
      successJsonValue: optional(string()),
      /** Inactivity deadline of one request, in milliseconds. */
      timeoutMs: intOr(100, 600_000, 60_000),
      /** Extra CA certificates (PEM files) trusted for the server, besides the system's. */
      caFiles: withDefault(paths, []),
      /** bearer: a fixed token; oauth2: client credentials (the secret is the credential); none. */
      auth: withDefault(oneOf(['bearer', 'oauth2', 'none'] as const), 'bearer'),
      oauth2: object({
        tokenUrl: optional(httpUrl()),
        clientId: optional(string({ minLength: 1 })),
        scope: optional(string()),
      }),
    }),
    folder: object({
      /** The shared folder (network share) results are written to. */
      path: optional(string({ minLength: 1 })),
    }),
    retry: object({
      /** First retry after about this long; doubles each time, with jitter, up to maxMs. */
      baseMs: intOr(1, 3_600_000, 2_000),
      maxMs: intOr(1, 86_400_000, 600_000),
      /** After this many attempts a document is failed (manual retry). */
      maxAttempts: intOr(1, 1000, 12),
    }),
    /** Documents in flight at once. */
    concurrency: intOr(1, 16, 2),
  }),
});

export type Settings = Infer<typeof SettingsSchema>;
