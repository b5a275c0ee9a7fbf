// Vietnam's time: UTC+7 all year round (no daylight saving). The signature dictionary's /M, the
// Decree 30 appearance line and reports all show this wall clock.

export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The calendar and clock fields of `date` at a fixed UTC offset. */
export function wallClock(date: Date, offsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): WallClock {
  const t = new Date(date.getTime() + offsetMinutes * 60_000);
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
    second: t.getUTCSeconds(),
  };
}
