// Times for tests that need a fixed-looking signing time: the certificates of the test PKI are made
// relative to the day the suite runs (fixtures/pki/make-pki.sh, valid from a day before), so a
// signing time must be taken relative to now too, or it falls outside them on some later day.

const HOUR_MS = 3_600_000;

/**
 * The latest instant at or before now whose UTC wall clock reads hh:mm:ss. It lies less than a
 * day back, so it is inside the validity of every current certificate of the test PKI.
 */
export function latestUtcTime(hour: number, minute: number, second: number, now = new Date()): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour, minute, second);
  return new Date(today <= now.getTime() ? today : today - 24 * HOUR_MS);
}

/** Day, month and year of `date` on the wall clock of Vietnam (UTC+7, no daylight saving), zero-padded. */
export function vietnamDate(date: Date): { day: string; month: string; year: string } {
  const local = new Date(date.getTime() + 7 * HOUR_MS);
  return {
    day: String(local.getUTCDate()).padStart(2, '0'),
    month: String(local.getUTCMonth() + 1).padStart(2, '0'),
    year: String(local.getUTCFullYear()),
  };
}
