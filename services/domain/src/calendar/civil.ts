/**
 * Pure civil-date and China-time helpers.
 *
 * Safe for Temporal workflow code: no I/O, no `Date`, no `Intl`, no host time
 * zone, no randomness. Every result depends only on the arguments.
 *
 * Conventions
 * - A `CalendarDate` is a calendar date in China, written 'YYYY-MM-DD'.
 * - China time is a fixed UTC+08:00 (Asia/Shanghai has had no DST since 1991),
 *   so converting between instants and China dates is plain arithmetic.
 * - An instant is epoch milliseconds, or an ISO-8601 string that carries an
 *   explicit offset ('Z' or '±HH:MM'). Strings without an offset are rejected,
 *   because `Date.parse` would read them in the host's time zone.
 * - Instants produced here are ISO strings in UTC ('2026-01-05T15:59:59.999Z'),
 *   the same form as `Date.prototype.toISOString`, so they sort as text.
 */

/** A calendar date in China, 'YYYY-MM-DD'. */
export type CalendarDate = string;
/** An instant: epoch milliseconds or an ISO-8601 string with an explicit offset. */
export type Instant = string | number;

export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;
/** China Standard Time offset, UTC+08:00, fixed. */
export const CHINA_UTC_OFFSET_MS = 8 * MS_PER_HOUR;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of {@link daysFromCivil}. */
export function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** True when `value` is a real date written 'YYYY-MM-DD'. */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

/** Day number (days since 1970-01-01) of a 'YYYY-MM-DD' date. Throws RangeError on a bad date. */
export function toDayNumber(date: CalendarDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a calendar date (expected 'YYYY-MM-DD'): ${JSON.stringify(date)}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`no such calendar date: ${date}`);
  }
  return daysFromCivil(year, month, day);
}

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01). */
export function fromDayNumber(dayNumber: number): CalendarDate {
  if (!Number.isInteger(dayNumber)) throw new RangeError(`day number must be an integer: ${dayNumber}`);
  const { year, month, day } = civilFromDays(dayNumber);
  if (year < 0 || year > 9999) throw new RangeError(`year out of range 0000–9999: ${year}`);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Day of week of a day number: 0 = Sunday … 6 = Saturday. */
export function dayOfWeekOfDayNumber(dayNumber: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Day of week: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: CalendarDate): number {
  return dayOfWeekOfDayNumber(toDayNumber(date));
}

/** Saturday or Sunday. */
export function isWeekend(date: CalendarDate): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

/** `date` plus `n` calendar days (n may be negative). */
export function addDays(date: CalendarDate, n: number): CalendarDate {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer: ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** Number of calendar days from `a` to `b` (b − a). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** -1, 0 or 1. */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  const d = toDayNumber(a) - toDayNumber(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/**
 * `date` plus `n` calendar months, clamped to the end of the target month
 * (2025-01-31 + 1 month = 2025-02-28; 2024-01-31 + 1 month = 2024-02-29).
 * This is the civil-law rule for month periods (民法典 第二百零二条: 到期月的对应日为期间的最后一日;
 * 没有对应日的, 月末日为期间的最后一日). `n` may be negative.
 */
export function addMonths(date: CalendarDate, n: number): CalendarDate {
  if (!Number.isInteger(n)) throw new RangeError(`months must be an integer: ${n}`);
  const { year, month, day } = civilFromDays(toDayNumber(date));
  const total = year * 12 + (month - 1) + n;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return fromDayNumber(daysFromCivil(y, m, Math.min(day, daysInMonth(y, m))));
}

/**
 * Epoch milliseconds of an instant. Accepts epoch ms (an integer) or an ISO-8601
 * date-time with an explicit offset: '2026-03-01T09:30:00+08:00', '2026-03-01T01:30:00.000Z'.
 * Fractions beyond milliseconds are truncated. Throws RangeError otherwise.
 */
export function parseInstant(instant: Instant): number {
  if (typeof instant === 'number') {
    if (!Number.isSafeInteger(instant))
      throw new RangeError(`epoch milliseconds must be a safe integer: ${instant}`);
    return instant;
  }
  const m = INSTANT_RE.exec(instant);
  if (!m) {
    throw new RangeError(
      `not an ISO instant with an offset (e.g. '2026-03-01T09:30:00+08:00' or '...Z'): ${JSON.stringify(instant)}`,
    );
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new RangeError(`no such date-time: ${instant}`);
  }
  const zone = m[8] ?? 'Z';
  let offsetMs = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) throw new RangeError(`bad UTC offset in ${instant}`);
    offsetMs = sign * (oh * MS_PER_HOUR + om * 60_000);
  }
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * 60_000 +
    second * 1000 +
    millis -
    offsetMs
  );
}

function formatWithOffset(ms: number, offsetMs: number, suffix: string): string {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`epoch milliseconds must be a safe integer: ${ms}`);
  const local = ms + offsetMs;
  const dayNumber = Math.floor(local / MS_PER_DAY);
  let rest = local - dayNumber * MS_PER_DAY;
  const hour = Math.floor(rest / MS_PER_HOUR);
  rest -= hour * MS_PER_HOUR;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millis = rest - second * 1000;
  return `${fromDayNumber(dayNumber)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(millis, 3)}${suffix}`;
}

/** ISO-8601 in UTC with milliseconds, e.g. '2026-01-05T15:59:59.999Z' (same as Date#toISOString). */
export function formatInstant(instant: Instant): string {
  return formatWithOffset(parseInstant(instant), 0, 'Z');
}

/** ISO-8601 in China time, e.g. '2026-01-05T23:59:59.999+08:00' (for display and logs). */
export function formatChinaInstant(instant: Instant): string {
  return formatWithOffset(parseInstant(instant), CHINA_UTC_OFFSET_MS, '+08:00');
}

/** The China calendar date on which `instant` falls. */
export function chinaDateOf(instant: Instant): CalendarDate {
  return fromDayNumber(Math.floor((parseInstant(instant) + CHINA_UTC_OFFSET_MS) / MS_PER_DAY));
}

/** Epoch ms of 00:00:00.000 China time on `date`. */
export function chinaDayStart(date: CalendarDate): number {
  return toDayNumber(date) * MS_PER_DAY - CHINA_UTC_OFFSET_MS;
}

/** Epoch ms of 23:59:59.999 China time on `date` (the last millisecond of that China day). */
export function chinaDayEnd(date: CalendarDate): number {
  return chinaDayStart(date) + MS_PER_DAY - 1;
}

/** Milliseconds since 00:00 China time of the China day on which `instant` falls. */
export function chinaTimeOfDay(instant: Instant): number {
  const local = parseInstant(instant) + CHINA_UTC_OFFSET_MS;
  return local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
}

/** Parses 'HH:MM' (00:00–24:00) to milliseconds since midnight. */
export function parseTimeOfDay(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const h = m ? Number(m[1]) : NaN;
  const mi = m ? Number(m[2]) : NaN;
  if (!m || mi > 59 || h > 24 || (h === 24 && mi !== 0)) {
    throw new RangeError(`not a time of day 'HH:MM': ${JSON.stringify(hhmm)}`);
  }
  return h * MS_PER_HOUR + mi * 60_000;
}
