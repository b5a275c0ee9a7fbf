// The shapes shared by the outbox, the adapters and the flush: what is sent, where, and what came back.
import type { ErrorCode } from '../../shared/errors.js';
import type { Secret } from '../../shared/secret.js';

/** Where results go: the one-stop system's REST interface, or a shared folder. */
export type UploadDestination =
  { readonly kind: 'rest'; readonly server: string } | { readonly kind: 'folder'; readonly path: string };

/** The JSON part `metadata` of a delivery (README "One-stop REST contract"). */
export interface UploadMetadata {
  readonly dossierCode: string;
  readonly fileName: string;
  readonly documentNumber: string | null;
  readonly documentType: string | null;
  readonly signer: { readonly name: string | null; readonly organization: string | null } | null;
  readonly signingTime: string | null;
  readonly sha256: string;
  readonly size: number;
  readonly idempotencyKey: string;
}

/** One delivery attempt's input. */
export interface DeliveryRequest {
  readonly file: string;
  readonly metadata: UploadMetadata;
  readonly signal?: AbortSignal;
  readonly onBytes?: (sent: number, total: number) => void;
}

export type DeliveryOutcome =
  | {
      readonly kind: 'delivered';
      readonly already: boolean;
      readonly status: number | null;
      readonly receipt: string | null;
    }
  | {
      readonly kind: 'retry';
      readonly code: ErrorCode;
      readonly message: string;
      readonly status: number | null;
      /** The server asked for this pause (Retry-After). */
      readonly retryAfterMs?: number;
    }
  | {
      readonly kind: 'failed';
      readonly code: ErrorCode;
      readonly message: string;
      readonly status: number | null;
    };

/** Delivers one document to one destination. Throws only for cancellation and a missing credential. */
export interface UploadAdapter {
  readonly destination: UploadDestination;
  deliver(request: DeliveryRequest): Promise<DeliveryOutcome>;
}

/**
 * Gives the upload credential at the moment of use (the app: the OS secret store; the CLI:
 * KYSO_UPLOAD_TOKEN). Undefined: there is none (UPLOAD_CREDENTIAL_MISSING). The REST adapter's
 * bearer token, or the OAuth2 client secret.
 */
export type CredentialProvider = () => Promise<Secret | undefined> | Secret | undefined;
