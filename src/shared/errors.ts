// Every failure a user can cause has a stable string code here; the UI, the CLI and the IPC layer
// translate codes (messages.ts), never messages. Shared by engine and app: no node:, no DOM.

export const ERROR_CODES = [
  // usage and input
  'USAGE',
  'INPUT_NOT_FOUND',
  'INPUT_UNREADABLE',
  'OUTPUT_SAME_AS_INPUT',
  'OUTPUT_EXISTS',
  'OUTPUT_NOT_WRITABLE',
  'DISK_FULL',
  'CANCELLED',
  'SETTINGS_INVALID',
  // the machine policy (policy.json) and the locks it, or settings.json, puts on settings
  'POLICY_INVALID',
  'SETTING_LOCKED',
  'IDENTITY_NOT_ALLOWED',
  'PIN_NOT_PROVIDED',
  // changing a token's PIN
  'PIN_NEW_INVALID',
  'PIN_CONFIRMATION_MISMATCH',
  'PIN_PAD_CHANGE_UNSUPPORTED',
  'PKCS11_TOKEN_WRITE_PROTECTED',
  // PKCS#11 modules and tokens
  'PKCS11_MODULE_NOT_FOUND',
  'PKCS11_MODULE_NOT_LOADABLE',
  'PKCS11_MODULE_CRASHED',
  'PKCS11_NO_MODULE',
  'PKCS11_TOKEN_NOT_PRESENT',
  'PKCS11_TOKEN_NOT_FOUND',
  'PKCS11_TOKEN_AMBIGUOUS',
  'PKCS11_DEVICE_REMOVED',
  'PKCS11_DEVICE_ERROR',
  'PKCS11_PIN_INCORRECT',
  'PKCS11_PIN_LOCKED',
  'PKCS11_PIN_LEN_RANGE',
  'PKCS11_PIN_EXPIRED',
  'PKCS11_PIN_FINAL_TRY',
  'PKCS11_KEY_NOT_FOUND',
  'PKCS11_KEY_AMBIGUOUS',
  'PKCS11_MECHANISM_NOT_SUPPORTED',
  'PKCS11_NOT_LOGGED_IN',
  'PKCS11_SESSION_CLOSED',
  'PKCS11_GENERAL_ERROR',
  // identities other than tokens
  'P12_NOT_FOUND',
  'P12_PASSWORD_INCORRECT',
  'P12_INVALID',
  // certificates
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_NO_SIGNING_USAGE',
  'CERT_REVOKED',
  'CERT_INVALID',
  'KEY_UNSUPPORTED',
  // the trust store (kyso trust)
  'TRUST_STORE_BROKEN',
  'TRUST_CERT_NOT_FOUND',
  'TRUST_ADD_DECLINED',
  'TRUST_BUILTIN_NOT_REMOVABLE',
  // PDF input
  'PDF_EMPTY',
  'PDF_NOT_PDF',
  'PDF_TRUNCATED',
  'PDF_XREF_BROKEN',
  'PDF_HYBRID_XREF',
  'PDF_ENCRYPTED',
  'PDF_MALFORMED',
  'PDF_TOO_LARGE',
  'PDF_CERTIFIED_NO_CHANGES',
  'PDF_FIELD_NOT_FOUND',
  'PDF_FIELD_ALREADY_SIGNED',
  'PDF_PAGE_OUT_OF_RANGE',
  'PDF_REPAIR_SIGNED',
  // signing
  'SIGNATURE_TOO_LARGE',
  'TSA_UNREACHABLE',
  'TSA_TIMEOUT',
  'TSA_BAD_RESPONSE',
  'TSA_REJECTED',
  'TSA_AUTH_FAILED',
  // revocation and long-term validation (B-LT, B-LTA, kyso extend)
  'REVOCATION_UNAVAILABLE',
  'PDF_NOT_SIGNED',
  // appearance
  'IMAGE_NOT_FOUND',
  'IMAGE_UNSUPPORTED',
  'IMAGE_UNREADABLE',
  'IMAGE_TOO_LARGE',
  'RECT_OUTSIDE_PAGE',
  'ANCHOR_NOT_FOUND',
  'FONT_NO_VIETNAMESE',
  'FONT_UNREADABLE',
  'SEAL_WITHOUT_SIGNATURE',
  // batches (kyso batch): the journal of an output folder
  'BATCH_JOURNAL_EXISTS',
  'BATCH_JOURNAL_INVALID',
  'BATCH_RESUME_MISMATCH',
  'BATCH_IN_PROGRESS',
  // delivery to the one-stop system (kyso upload, kyso outbox)
  'UPLOAD_DOSSIER_CODE_INVALID',
  'UPLOAD_NO_DESTINATION',
  'UPLOAD_CREDENTIAL_MISSING',
  'UPLOAD_CREDENTIAL_STORE_UNAVAILABLE',
  'UPLOAD_SIGNATURE_BROKEN',
  'UPLOAD_UNSIGNED',
  'UPLOAD_UNAUTHORIZED',
  'UPLOAD_TOO_LARGE',
  'UPLOAD_REJECTED',
  'UPLOAD_SERVER_ERROR',
  'UPLOAD_UNREACHABLE',
  'UPLOAD_TIMEOUT',
  'UPLOAD_TLS',
  'UPLOAD_FILE_CHANGED',
  'UPLOAD_OAUTH_FAILED',
  'UPLOAD_OUTBOX_UNAVAILABLE',
  'UPLOAD_ITEM_NOT_FOUND',
  'UPLOAD_ITEM_STATE',
  // the local bridge for web one-stop systems (kyso bridge)
  'BRIDGE_NOT_LOCAL',
  'BRIDGE_PORT_IN_USE',
  'BRIDGE_CERTIFICATE_UNREADABLE',
  'BRIDGE_REQUEST_INVALID',
  'BRIDGE_HOST_NOT_ALLOWED',
  'BRIDGE_DOWNLOAD_FAILED',
  'BRIDGE_FILE_TOO_LARGE',
  'BRIDGE_DECLINED',
  'BRIDGE_BUSY',
  'BRIDGE_UPLOAD_FAILED',
  'BRIDGE_CERTIFICATE_NOT_CHOSEN',
  'BRIDGE_REQUEST_CLOSED',
  // the signing inbox (kyso inbox): the approval chain on the one-stop server
  'INBOX_NO_SERVER',
  'INBOX_UNREACHABLE',
  'INBOX_SERVER_ERROR',
  'INBOX_UNAUTHORIZED',
  'INBOX_LOGIN_NEEDED',
  'INBOX_REQUEST_INVALID',
  'INBOX_NOT_FOUND',
  'INBOX_NOT_ASSIGNEE',
  'INBOX_WITHDRAWN',
  'INBOX_DECLINED',
  'INBOX_ALREADY_DONE',
  'INBOX_WRONG_STEP',
  'INBOX_DOCUMENT_CHANGED',
  'INBOX_HASH_MISMATCH',
  'INBOX_NOT_DOWNLOADED',
  'INBOX_ISSUE_TAKEN',
  'INBOX_NOT_ISSUED',
  'INBOX_NUMBER_MISMATCH',
  'INBOX_SIGNATURE_INVALID',
  'INBOX_TOO_LARGE',
  'INBOX_REJECTED',
  // a signed return whose Idempotency-Key the server already stored: delivered before, not twice
  'INBOX_ALREADY_DELIVERED',
  // the desktop app (src/main): its contract, engine process and development web host
  'CONTRACT_INVALID_REQUEST',
  'FRAME_REJECTED',
  'ENGINE_CRASHED',
  'DOCUMENT_NOT_OPEN',
  'WEB_HOST_UNAUTHORIZED',
  'WEB_HOST_NOT_LOOPBACK',
  // anything we did not foresee: a bug, reported without a stack trace to the user
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Extra facts a message can show (never secrets): a date, a path, remaining tries. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * The one error class of the engine. `code` is stable; `details` feed the translated message;
 * `cause` keeps the original error for logs (it must never hold a PIN).
 */
export class KysoError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetails; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KysoError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isKysoError(value: unknown): value is KysoError {
  return value instanceof KysoError;
}

/** For exhaustive switches: the compiler proves the default is unreachable. */
export function missingCase(value: never): never {
  throw new KysoError('INTERNAL', `unhandled case: ${String(value)}`);
}
