// PDF date strings (ISO 32000-1 §7.9.4) in Vietnam's time zone: /M is written as local time with
// the +07'00' offset, the way Vietnamese signing tools and Decree 30 appearances show the time.
import { VIETNAM_UTC_OFFSET_MINUTES, wallClock } from '../../shared/vietnam-time.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function pdfDate(date: Date, offsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): string {
  const w = wallClock(date, offsetMinutes);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `D:${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}${pad(w.hour)}${pad(w.minute)}${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}'${pad(abs % 60)}'`;
}

/** Parses a PDF date (lenient about the optional parts); undefined when it is not one. */
export function parsePdfDate(text: string): Date | undefined {
  const m = /^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', tz, tzh = '00', tzm = '00'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(utc)) return undefined;
  const offset = tz === '+' ? 1 : tz === '-' ? -1 : 0;
  return new Date(utc - offset * (Number(tzh) * 60 + Number(tzm)) * 60_000);
}
