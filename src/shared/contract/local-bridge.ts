// The app's side of the local bridge for web one-stop systems (issue 16, `kyso bridge` in the app):
// what the bridge screen shows and what a signing request from a web page looks like in the
// confirmation dialog. Types only: the schemas of the bridge.* requests are in requests.ts.
import type { CertificateRef } from './requests.js';

/** The signing endpoints a web page can ask for (VerifyPDF and GetCertInfo never ask the user). */
export type BridgeSigningEndpoint = 'SignApproved' | 'SignIssued' | 'SignAppendix' | 'SignCopy';

/** A web page's request to sign, waiting for the user's Đồng ý / Từ chối. */
export interface BridgeRequestView {
  readonly requestId: number;
  /** The requesting site (its Origin), shown prominently. */
  readonly site: string;
  readonly endpoint: BridgeSigningEndpoint;
  readonly fileName: string;
  readonly pages: number;
  readonly bytes: number;
  /** Where the signed file is sent (the FileUploadHandler's origin). */
  readonly destination: string;
  readonly docNumber: string | null;
  readonly issuedDate: string | null;
  /** The certificate that will sign, and the token it is on (to ask its PIN). */
  readonly certificate: {
    readonly subject: string;
    readonly issuer: string;
    readonly serial: string;
    /** ISO 8601. */
    readonly notAfter: string;
  };
  readonly certificateRef: CertificateRef;
}

/** How a request the user was asked about ended. */
export type BridgeOutcome = 'delivered' | 'kept' | 'declined' | 'withdrawn' | 'failed';

/** The bridge as it runs in the app. */
export interface BridgeStatusView {
  readonly enabled: boolean;
  readonly running: boolean;
  readonly port: number;
  readonly mode: 'tls' | 'plain' | 'both';
  /** ws(s)://127.0.0.1:PORT while running. */
  readonly url: string | null;
  /** The sites the app's settings allow (editable). */
  readonly allowedOrigins: readonly string[];
  /** The sites IT staff allowed in settings.json (not editable here; served too). */
  readonly presetOrigins: readonly string[];
  /** Signing requests being handled or waiting. */
  readonly queueLength: number;
  /** Requests waiting for the user's answer. */
  readonly pending: readonly BridgeRequestView[];
  /** SHA-256 of the local CA IT staff install as trusted (TLS modes). */
  readonly tlsFingerprint: string | null;
  /** The chosen certificate (null: the only signing certificate present is used). */
  readonly certificateRef: CertificateRef | null;
  /** Why the bridge is not running although enabled (port in use…), in the app language. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** The downloaded document, opened for the preview (document.read, document.close). */
export interface BridgePreview {
  readonly documentId: string;
  readonly name: string;
  readonly size: number;
  readonly pageCount: number;
}
