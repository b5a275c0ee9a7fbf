// The verification report: what `verifyPdf` returns, what `kyso verify --json` prints, and the rules
// that turn the checks of one signature into its status (ETSI EN 319 102-1 §5.1.3: TOTAL-PASSED →
// valid, TOTAL-FAILED → invalid, INDETERMINATE → indeterminate, each with a sub-indication).
// The shape is documented in the README and kept stable: add fields, never rename or remove them.

export type SignatureStatus = 'valid' | 'invalid' | 'indeterminate';
export type DocumentStatus = SignatureStatus | 'unsigned';

/** ETSI EN 319 102-1 §5.1.3 sub-indications that Kyso reports. */
export type SubIndication =
  // TOTAL-FAILED
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'SIG_CONSTRAINTS_FAILURE'
  // INDETERMINATE
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'REVOKED_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'TRY_LATER'
  | 'SIGNED_DATA_NOT_FOUND';

/** Stable identifiers of the checks, in the order they are reported. */
export const CHECK_IDS = [
  'byte-range',
  'integrity',
  'signature',
  'signing-certificate',
  'certificate-chain',
  'certificate-validity',
  'key-usage',
  'revocation',
  'timestamp',
  'algorithms',
  'modifications',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckResult = 'passed' | 'failed' | 'warning' | 'not-checked';

export interface SignatureCheck {
  readonly id: CheckId;
  readonly result: CheckResult;
  /** One sentence for a person, in the report's language. */
  readonly detail: string;
}

/** What kind of change a later revision made (stable codes; the description says it in words). */
export type ChangeKind =
  | 'signature-added'
  | 'document-timestamp-added'
  | 'signature-field-added'
  | 'dss-updated'
  | 'metadata-changed'
  | 'structure-tree-changed'
  | 'form-filled'
  | 'form-changed'
  | 'annotation-changed'
  | 'page-content-changed'
  | 'page-changed'
  | 'pages-changed'
  | 'catalog-changed'
  | 'signature-changed'
  | 'object-changed'
  | 'appended-data'
  | 'unreadable-revision'
  | 'cross-reference-changed';

export interface ChangeAfterSigning {
  /** 1-based revision (incremental update) that made the change. */
  readonly revision: number;
  readonly kind: ChangeKind;
  /** Allowed by the signature's DocMDP/FieldMDP permissions (and ISO 32000 / PAdES rules). */
  readonly allowed: boolean;
  readonly description: string;
}

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | 'none';

export interface TimestampSummary {
  /** The time the TSA asserts (ISO 8601). */
  readonly time: string;
  readonly tsa: string | null;
  readonly serial: string;
  readonly digestAlgorithm: string;
  /** valid: genuine and chained to a trusted root; untrusted: genuine, unknown TSA; invalid: broken. */
  readonly status: 'valid' | 'untrusted' | 'invalid';
}

/** Long-term validation reached, whatever the subfilter (adbe.pkcs7.detached included). */
export type LtvLevel = 'LT' | 'LTA';

/** One certificate's revocation status and the data that decided it. */
export interface RevocationEvidenceSummary {
  /** The certificate (CN, else its subject). */
  readonly subject: string;
  readonly status: 'good' | 'revoked' | 'unknown';
  /** null when no data decided (unknown) or the certificate needs no check (ocsp-nocheck). */
  readonly kind: 'ocsp' | 'crl' | null;
  /** dss: the document's DSS; cms: the signature's own CMS; online: fetched (--online). */
  readonly from: 'dss' | 'cms' | 'online' | null;
  /** thisUpdate of the OCSP response or the CRL (ISO 8601). */
  readonly issuedAt: string | null;
}

/** What the verdict rests on: the time evidence, the revocation data, the DSS and archive timestamps. */
export interface EvidenceSummary {
  readonly time: {
    readonly source: 'signature-timestamp' | 'document-timestamp' | 'claimed' | 'validation-time';
    readonly at: string | null;
  };
  readonly revocation: readonly RevocationEvidenceSummary[];
  /** The revision whose DSS update carries the validation data (B-LT); null without one. */
  readonly dssRevision: number | null;
  /** Indexes (in this report) of the valid document timestamps that cover that DSS (B-LTA). */
  readonly archiveTimestamps: readonly number[];
}

export interface SignerSummary {
  readonly name: string | null;
  readonly organization: string | null;
  readonly dn: string | null;
}

/** The trusted root a signer's path ended at, and which part of the trust configuration holds it. */
export interface TrustAnchorSummary {
  readonly subject: string;
  /** SHA-256 of the root's DER, lowercase hex. */
  readonly sha256: string;
  /** builtin: Kyso's Vietnamese trust list; managed: `kyso trust add`; file: --trust / --trust-dir. */
  readonly source: 'builtin' | 'managed' | 'file';
  readonly file?: string;
}

export interface SignatureReport {
  /** 1-based, in the order of the revisions they cover. */
  readonly index: number;
  /** Fully qualified field name. */
  readonly field: string;
  /** 'signature' or an RFC 3161 document timestamp (ETSI.RFC3161). */
  readonly type: 'signature' | 'document-timestamp';
  readonly subFilter: string | null;
  readonly status: SignatureStatus;
  readonly subIndication?: SubIndication;
  /** Why the status is what it is, for a person. */
  readonly reason: string;
  readonly signer: SignerSummary;
  /** The root the signer's certificate path reached (absent when none was reached). */
  readonly trustAnchor?: TrustAnchorSummary;
  readonly issuer: string | null;
  /** Signer certificate serial number, hexadecimal. */
  readonly serial: string | null;
  /** ISO 8601; null when the signature claims no time and has no timestamp. */
  readonly signingTime: string | null;
  readonly signingTimeSource: 'timestamp' | 'claimed';
  readonly timestamp?: TimestampSummary;
  readonly level: PadesLevel;
  /** LT/LTA reached for any subfilter (level stays 'none' for non-ETSI subfilters). */
  readonly ltv?: LtvLevel | null;
  /** Which evidence the verdict used. */
  readonly evidence?: EvidenceSummary;
  readonly digestAlgorithm: string | null;
  readonly signatureAlgorithm: string | null;
  /** DocMDP permission when this is a certification signature (1 no changes, 2 forms, 3 annotations). */
  readonly certification?: 1 | 2 | 3;
  readonly coverage: {
    /** The signature covers the file up to its end: nothing was appended after it. */
    readonly wholeDocument: boolean;
    /** The revision the signature covers (1-based); 0 when the byte range matches no revision. */
    readonly revision: number;
    readonly revisions: number;
    /** Length of the signed revision in bytes (what --extract-revision writes); null without a sound /ByteRange. */
    readonly signedBytes: number | null;
  };
  readonly checks: readonly SignatureCheck[];
  readonly changesAfter: readonly ChangeAfterSigning[];
}

export interface VerificationReport {
  readonly status: DocumentStatus;
  readonly file: string;
  /** Number of revisions (the original and each incremental update). */
  readonly revisions: number;
  /** The time the certificates were validated at (ISO 8601): now, or --at. */
  readonly validationTime: string;
  readonly signatures: readonly SignatureReport[];
  /** Document-level warnings, in the report's language. */
  readonly warnings: readonly string[];
}

/** A check as the engine computes it: the verdict a failure implies travels with it. */
export interface CheckOutcome extends SignatureCheck {
  readonly verdict?: {
    readonly status: Exclude<SignatureStatus, 'valid'>;
    readonly subIndication: SubIndication;
  };
}

export function passed(id: CheckId, detail: string): CheckOutcome {
  return { id, result: 'passed', detail };
}

export function warning(id: CheckId, detail: string): CheckOutcome {
  return { id, result: 'warning', detail };
}

export function notChecked(id: CheckId, detail: string): CheckOutcome {
  return { id, result: 'not-checked', detail };
}

export function failed(
  id: CheckId,
  detail: string,
  status: Exclude<SignatureStatus, 'valid'>,
  subIndication: SubIndication,
): CheckOutcome {
  return { id, result: 'failed', detail, verdict: { status, subIndication } };
}

/** A check that could not be done but whose absence makes the signature indeterminate. */
export function undecided(id: CheckId, detail: string, subIndication: SubIndication): CheckOutcome {
  return { id, result: 'not-checked', detail, verdict: { status: 'indeterminate', subIndication } };
}

export interface StatusDecision {
  readonly status: SignatureStatus;
  readonly subIndication?: SubIndication;
  /** The detail of the check that decided, or undefined when everything passed. */
  readonly decidedBy?: CheckOutcome;
}

/**
 * The status of one signature: the first check (in CHECK_IDS order) that makes it invalid wins;
 * else the first that makes it indeterminate; else valid. Warnings never change the status: they
 * are shown next to it (revocation that could not be checked is a warning, never a pass).
 */
export function decideStatus(checks: readonly CheckOutcome[]): StatusDecision {
  const ordered = [...checks].sort((a, b) => CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id));
  const invalid = ordered.find((c) => c.verdict?.status === 'invalid');
  if (invalid?.verdict)
    return { status: 'invalid', subIndication: invalid.verdict.subIndication, decidedBy: invalid };
  const indeterminate = ordered.find((c) => c.verdict?.status === 'indeterminate');
  if (indeterminate?.verdict) {
    return {
      status: 'indeterminate',
      subIndication: indeterminate.verdict.subIndication,
      decidedBy: indeterminate,
    };
  }
  return { status: 'valid' };
}

/** The document's status: unsigned without signatures; else the worst signature status. */
export function documentStatus(signatures: readonly Pick<SignatureReport, 'status'>[]): DocumentStatus {
  if (signatures.length === 0) return 'unsigned';
  if (signatures.some((s) => s.status === 'invalid')) return 'invalid';
  if (signatures.some((s) => s.status === 'indeterminate')) return 'indeterminate';
  return 'valid';
}

/** Strips engine-only fields so the report serialises to exactly the documented shape. */
export function publicCheck(check: CheckOutcome): SignatureCheck {
  return { id: check.id, result: check.result, detail: check.detail };
}
