// The national form of a one-stop dossier code, checked as the user types (the engine checks it
// again before queueing: this is only so the mistake shows before the button is pressed).
// <unit code>-<receipt date yymmdd>-<daily sequence>, e.g. 000.00.01.H22-261126-0001.
const FORM = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{2})(\d{2})(\d{2})-(\d{4,6})$/;

export function isDossierCode(raw: string): boolean {
  const m = FORM.exec(raw.trim().toUpperCase());
  if (!m) return false;
  const year = 2000 + Number(m[2]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  const date = new Date(Date.UTC(year, month - 1, day));
  // 30 February is no date.
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && Number(m[5]) > 0;
}
