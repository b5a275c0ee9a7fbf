// PDF date strings (ISO 32000-1 §7.9.4) as other tools write them, read leniently: the claimed
// signing time of a signature dictionary's /M. (The signing side has its own writer in sign/.)

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
