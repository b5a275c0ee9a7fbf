// The signing time as Decree 30 appearances show it: "26.11.2026 09:15:02 +07:00" by default (date;
// time; Vietnam's UTC offset per ISO 8601). The pattern is a setting: yyyy MM dd HH mm ss and XXX
// (the offset) are replaced, anything else is kept as written.

import { VIETNAM_UTC_OFFSET_MINUTES, wallClock } from '../../shared/vietnam-time.js';

export const DEFAULT_TIME_FORMAT = 'dd.MM.yyyy HH:mm:ss XXX';
export { VIETNAM_UTC_OFFSET_MINUTES };

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatSigningTime(
  date: Date,
  pattern: string = DEFAULT_TIME_FORMAT,
  offsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES,
): string {
  const f = wallClock(date, offsetMinutes);
  const abs = Math.abs(offsetMinutes);
  const offset = `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss|XXX/g, (token) => {
    switch (token) {
      case 'yyyy':
        return pad(f.year, 4);
      case 'MM':
        return pad(f.month);
      case 'dd':
        return pad(f.day);
      case 'HH':
        return pad(f.hour);
      case 'mm':
        return pad(f.minute);
      case 'ss':
        return pad(f.second);
      default:
        return offset;
    }
  });
}
