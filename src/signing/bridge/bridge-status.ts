// The Status numbers of the bridge's replies (the signing-plugin protocol: 0 is success). The web
// systems branch on them, so they are stable: add numbers, never renumber. README "Bridge" lists them.
import type { ErrorCode } from '../../shared/errors.js';

export const BRIDGE_STATUS = {
  /** Done: signed and delivered (or verified valid, or the certificate returned). */
  OK: 0,
  /** The request could not be understood: not JSON, a missing or malformed field, an unknown endpoint. */
  REQUEST_INVALID: 1,
  /** The user said no (or did not answer). Nothing was signed or sent. */
  DECLINED: 2,
  /** The file's URL or FileUploadHandler is on a host that is not allowed. */
  HOST_NOT_ALLOWED: 3,
  /** The file could not be downloaded (network, HTTP status, redirect, timeout). */
  DOWNLOAD_FAILED: 4,
  /** The file is larger than the bridge's limit. */
  FILE_TOO_LARGE: 5,
  /** The file is not a PDF Kyso can sign (not a PDF, damaged, encrypted, certified against changes). */
  NOT_A_PDF: 6,
  /** Signing failed: PIN, token, certificate, timestamp, appearance. Nothing was sent. */
  SIGNING_FAILED: 7,
  /** Signed, but FileUploadHandler did not take the file: it is kept on this machine for delivery. */
  UPLOAD_FAILED: 8,
  /** Too many requests: the rate limit or the waiting queue is full. Nothing was done. */
  BUSY: 9,
  /** VerifyPDF: the document's signatures are not all valid (the reply lists them). */
  NOT_VALID: 10,
  /** The bridge stopped while the request waited or ran. */
  CANCELLED: 11,
  /** A fault in Kyso itself. */
  INTERNAL: 99,
} as const;

export type BridgeStatus = (typeof BRIDGE_STATUS)[keyof typeof BRIDGE_STATUS];

/** The reply status of a failure, by its error code. */
export function statusForError(code: ErrorCode): BridgeStatus {
  switch (code) {
    case 'BRIDGE_REQUEST_INVALID':
    case 'USAGE':
      return BRIDGE_STATUS.REQUEST_INVALID;
    case 'BRIDGE_DECLINED':
      return BRIDGE_STATUS.DECLINED;
    case 'BRIDGE_HOST_NOT_ALLOWED':
      return BRIDGE_STATUS.HOST_NOT_ALLOWED;
    case 'BRIDGE_DOWNLOAD_FAILED':
      return BRIDGE_STATUS.DOWNLOAD_FAILED;
    case 'BRIDGE_FILE_TOO_LARGE':
    case 'PDF_TOO_LARGE':
      return BRIDGE_STATUS.FILE_TOO_LARGE;
    case 'BRIDGE_UPLOAD_FAILED':
      return BRIDGE_STATUS.UPLOAD_FAILED;
    case 'BRIDGE_BUSY':
      return BRIDGE_STATUS.BUSY;
    case 'CANCELLED':
      return BRIDGE_STATUS.CANCELLED;
    case 'INTERNAL':
      return BRIDGE_STATUS.INTERNAL;
    default:
      if (code.startsWith('PDF_')) return BRIDGE_STATUS.NOT_A_PDF;
      return BRIDGE_STATUS.SIGNING_FAILED;
  }
}
