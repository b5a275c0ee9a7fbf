// PDF date strings (ISO 32000-1 §7.9.4): written in Vietnam's time zone with the +07'00' offset (the
// signature dictionary's /M, the DSS /TU), and read leniently as other tools write them.
import { VIETNAM_UTC_OFFSET_MINUTES, wallClock } from '../../shared/vietnam-time.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function pdfDate(date: Date, offsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): string {
  const w = wallClock(date, offsetMinutes);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `D:${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}${pad(w.hour)}${pad(w.minute)}${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}'${pad(abs % 60)}'`;
}

/** Parses `D:YYYYMMDDHHmmSSOHH'mm'` with its optional parts; undefined when it is not a date. */
export function parsePdfDate(text: string): Date | undefined {
  const m =
    /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz+-])\s*(\d{2})?'?(\d{2})?'?)?/.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', tz, tzh = '00', tzm = '00'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    return undefined;
  }
  const utc = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (Number.isNaN(utc)) return undefined;
  const sign = tz === '+' ? 1 : tz === '-' ? -1 : 0;
  return new Date(utc - sign * (Number(tzh) * 60 + Number(tzm)) * 60_000);
}
