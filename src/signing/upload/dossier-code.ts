// Dossier codes of the one-stop systems (hồ sơ một cửa), checked before anything is queued: a
// result filed under a mistyped code would reach another citizen's dossier, or none.
// Form: <unit code>-<receipt date yymmdd>-<daily sequence>, e.g. 000.00.01.H22-261126-0001, where
// the unit code is the agency's identifier of the national catalogue (four dot-separated groups,
// the last a letter and two digits: the province).
import { KysoError } from '../../shared/errors.js';

export interface DossierCode {
  /** The code as it must be sent (upper case, trimmed). */
  readonly code: string;
  readonly unit: string;
  /** The receipt date, YYYY-MM-DD. */
  readonly receivedOn: string;
  readonly sequence: number;
}

const FORM = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{2})(\d{2})(\d{2})-(\d{4,6})$/;

function invalid(code: string): KysoError {
  return new KysoError('UPLOAD_DOSSIER_CODE_INVALID', `invalid dossier code ${JSON.stringify(code)}`, {
    details: { code: code.slice(0, 80) },
  });
}

/** The parsed code, or UPLOAD_DOSSIER_CODE_INVALID. */
export function parseDossierCode(raw: string): DossierCode {
  const code = raw.trim().toUpperCase();
  const m = FORM.exec(code);
  if (!m) throw invalid(raw);
  const [, unit, yy, mm, dd, seq] = m as unknown as [string, string, string, string, string, string];
  const year = 2000 + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  const date = new Date(Date.UTC(year, month - 1, day));
  // 2026-02-30 is no date: Date would roll it into March.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw invalid(raw);
  }
  const sequence = Number(seq);
  if (sequence === 0) throw invalid(raw);
  return { code, unit, receivedOn: `${year}-${mm}-${dd}`, sequence };
}
