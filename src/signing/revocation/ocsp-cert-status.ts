// CertStatus of one OCSP SingleResponse (RFC 6960 4.2.1), as pkijs leaves it: read the same way by
// the OCSP client (signing, B-LT evidence) and by the verifier (embedded and DSS responses).
import * as asn1js from 'asn1js';

export type OcspCertStatus =
  | { readonly status: 'good' }
  | { readonly status: 'revoked'; readonly revokedAt: Date; readonly reason?: number }
  | { readonly status: 'unknown' };

/** GeneralizedTime, also as the [0] IMPLICIT primitive pkijs leaves inside RevokedInfo. */
function generalizedTime(e: asn1js.AsnType | undefined): Date | undefined {
  if (e instanceof asn1js.GeneralizedTime) return e.toDate();
  if (e instanceof asn1js.Primitive) {
    const text = Buffer.from(e.valueBlock.valueHexView).toString('latin1');
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(text);
    if (m) return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  }
  return undefined;
}

/**
 * good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, else unknown. A revocation time that
 * cannot be read falls back to `fallbackTime` (the response's thisUpdate): revoked stays revoked.
 */
export function readOcspCertStatus(certStatus: unknown, fallbackTime: Date): OcspCertStatus {
  if (
    certStatus instanceof asn1js.Primitive &&
    certStatus.idBlock.tagClass === 3 &&
    certStatus.idBlock.tagNumber === 0
  ) {
    return { status: 'good' };
  }
  if (
    certStatus instanceof asn1js.Constructed &&
    certStatus.idBlock.tagClass === 3 &&
    certStatus.idBlock.tagNumber === 1
  ) {
    // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
    const [time, reasonTagged] = certStatus.valueBlock.value;
    const revokedAt = generalizedTime(time) ?? fallbackTime;
    const reasonValue =
      reasonTagged instanceof asn1js.Constructed ? reasonTagged.valueBlock.value[0] : undefined;
    const reason = reasonValue instanceof asn1js.Enumerated ? reasonValue.valueBlock.valueDec : undefined;
    return { status: 'revoked', revokedAt, ...(reason !== undefined ? { reason } : {}) };
  }
  return { status: 'unknown' };
}
