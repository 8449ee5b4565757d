/**
 * Working-day arithmetic for China: weekends and public holidays are days off,
 * make-up working days (调休上班日) on weekends are working days.
 *
 * PURE: safe for Temporal workflow code. The calendar is built from plain JSON
 * data ({@link WorkCalendarData}) so a workflow can receive it as an argument;
 * this file does not depend on any holiday package (see ./seed.ts for that).
 *
 * Counting conventions (they follow 民法典 第二百零一条 / 第二百零三条: the day on
 * which a period starts is not counted; a period whose last day is a day off
 * ends on the next working day):
 *
 * - "within N working days of X" ends on `addWorkingDays(X, N)`: the N-th
 *   working day strictly after X. X itself never counts, whether or not it is
 *   a working day. The deadline is the end of that day (see policy/deadline.ts).
 * - `addWorkingDays(X, 0)` is X when X is a working day, otherwise the next
 *   working day after X.
 * - `workingDaysBetween(a, b)` counts the working days in (a, b]; so for
 *   n >= 1, `workingDaysBetween(X, addWorkingDays(X, n)) === n`.
 * - "within N months of X" ends on `deadlineMonths(X, N)`: the same day N
 *   months later, clamped to the end of a shorter month, moved to the next
 *   working day when it is a day off.
 *
 * Dates outside the data's coverage (years whose holidays were not announced
 * or not loaded) are treated as plain Mon–Fri weeks, unless the calendar was
 * built with `{ outsideCoverage: 'throw' }`.
 */
import {
  type CalendarDate,
  addMonths,
  chinaDateOf,
  dayOfWeekOfDayNumber,
  fromDayNumber,
  isCalendarDate,
  toDayNumber,
} from './civil';

/** Calendar data as plain JSON. */
export interface WorkCalendarData {
  /** Days off ('YYYY-MM-DD'): public holidays and the weekdays moved into a holiday (调休放假). Weekend days may be listed too; they are off anyway. */
  holidays: CalendarDate[];
  /** Make-up working days (调休上班日) that fall on a Saturday or Sunday. A weekday listed here changes nothing. */
  workdays: CalendarDate[];
  /** Inclusive range of dates that `holidays`/`workdays` fully describe (e.g. the years a seed covered). Optional. */
  coverage?: { from: CalendarDate; to: CalendarDate };
  /**
   * Years whose holidays are official (from the chinese-days package or loaded by an admin from the
   * State Council notice). A year not listed is provisional: counted as ordinary weeks until its
   * notice is loaded. Absent means "unknown": every year is taken as official (tests, old data).
   */
  officialYears?: number[];
}

/** Shown beside a provisional deadline (page, export): counted on ordinary weeks for now. */
export const PROVISIONAL_DEADLINE_NOTE = '暂按常规工作日计算，待公布节假日安排后自动调整';
export const PROVISIONAL_DEADLINE_NOTE_EN =
  'counted on ordinary weeks for now; adjusted automatically once the holidays are announced';

export interface WorkCalendarOptions {
  /**
   * What to do when asked about a date outside `data.coverage`:
   * 'weekdays' (default) treats it as an ordinary week (Mon–Fri working);
   * 'throw' throws a RangeError, for callers that must not guess.
   */
  outsideCoverage?: 'weekdays' | 'throw';
}

export type DayKind = 'workday' | 'makeup_workday' | 'weekend' | 'holiday';

/** Monday 1970-01-05 as a day number: the anchor for counting weekdays. */
const MONDAY_ANCHOR = 4;

/** Number of weekdays (Mon–Fri) among day numbers < x, up to a constant: F(x+1) − F(x) = 1 iff x is a weekday. */
function weekdayPrefix(x: number): number {
  const offset = x - MONDAY_ANCHOR;
  const weeks = Math.floor(offset / 7);
  const rest = offset - weeks * 7;
  return weeks * 5 + Math.min(rest, 5);
}

/** Number of elements <= x in an ascending array. */
function countAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isWeekendDay(dayNumber: number): boolean {
  const dow = dayOfWeekOfDayNumber(dayNumber);
  return dow === 0 || dow === 6;
}

function requireNonNegativeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

export class WorkCalendar {
  private readonly holidaySet: ReadonlySet<number>;
  private readonly workdaySet: ReadonlySet<number>;
  /** Holidays that fall on weekdays, ascending (the ones that change a count). */
  private readonly weekdayHolidays: readonly number[];
  /** Make-up working days that fall on weekends, ascending. */
  private readonly weekendWorkdays: readonly number[];
  private readonly coverageRange: { from: number; to: number } | undefined;
  private readonly strict: boolean;
  private readonly data: WorkCalendarData;
  private readonly official: ReadonlySet<number> | undefined;

  constructor(data: WorkCalendarData, options: WorkCalendarOptions = {}) {
    if (
      data === null ||
      typeof data !== 'object' ||
      !Array.isArray(data.holidays) ||
      !Array.isArray(data.workdays)
    ) {
      throw new TypeError('WorkCalendar data must be { holidays: string[], workdays: string[] }');
    }
    const toDays = (list: readonly unknown[], field: string): number[] =>
      list.map((d, i) => {
        if (!isCalendarDate(d))
          throw new RangeError(
            `WorkCalendar ${field}[${i}] is not a 'YYYY-MM-DD' date: ${JSON.stringify(d)}`,
          );
        return toDayNumber(d);
      });
    const holidays = [...new Set(toDays(data.holidays, 'holidays'))].sort((a, b) => a - b);
    const workdays = [...new Set(toDays(data.workdays, 'workdays'))].sort((a, b) => a - b);
    const holidaySet = new Set(holidays);
    const clash = workdays.find((d) => holidaySet.has(d));
    if (clash !== undefined) {
      throw new RangeError(
        `WorkCalendar: ${fromDayNumber(clash)} is listed both as a holiday and as a make-up working day`,
      );
    }
    this.holidaySet = holidaySet;
    this.workdaySet = new Set(workdays);
    this.weekdayHolidays = holidays.filter((d) => !isWeekendDay(d));
    this.weekendWorkdays = workdays.filter((d) => isWeekendDay(d));
    if (data.coverage !== undefined) {
      const { from, to } = data.coverage;
      if (!isCalendarDate(from) || !isCalendarDate(to) || toDayNumber(from) > toDayNumber(to)) {
        throw new RangeError(
          `WorkCalendar coverage must be two 'YYYY-MM-DD' dates with from <= to: ${JSON.stringify(data.coverage)}`,
        );
      }
      this.coverageRange = { from: toDayNumber(from), to: toDayNumber(to) };
    }
    this.strict = options.outsideCoverage === 'throw';
    if (data.officialYears !== undefined) {
      if (!Array.isArray(data.officialYears) || !data.officialYears.every((y) => Number.isSafeInteger(y)))
        throw new TypeError('WorkCalendar officialYears must be a list of integer years');
      this.official = new Set(data.officialYears);
    }
    this.data = {
      holidays: holidays.map(fromDayNumber),
      workdays: workdays.map(fromDayNumber),
      ...(data.coverage ? { coverage: { from: data.coverage.from, to: data.coverage.to } } : {}),
      ...(this.official ? { officialYears: [...this.official].sort((a, b) => a - b) } : {}),
    };
  }

  /** Same as the constructor; reads the output of {@link toJSON}. */
  static fromJSON(data: WorkCalendarData, options?: WorkCalendarOptions): WorkCalendar {
    return new WorkCalendar(data, options);
  }

  /** A calendar with no holidays: Mon–Fri are working days. Handy in tests. */
  static weekdaysOnly(): WorkCalendar {
    return new WorkCalendar({ holidays: [], workdays: [] });
  }

  /** The normalised data (sorted, de-duplicated): plain JSON that rebuilds an equal calendar. */
  toJSON(): WorkCalendarData {
    return {
      holidays: [...this.data.holidays],
      workdays: [...this.data.workdays],
      ...(this.data.coverage ? { coverage: { ...this.data.coverage } } : {}),
      ...(this.data.officialYears ? { officialYears: [...this.data.officialYears] } : {}),
    };
  }

  /** True when the year's holidays are official (always true when the calendar was built without `officialYears`). */
  isOfficialYear(year: number): boolean {
    return this.official === undefined || this.official.has(year);
  }

  /**
   * The provisional years (not official) that a period from `from` to `to` (dates, either order) is
   * counted through: a deadline that falls in, or is counted through, such a year is provisional.
   */
  provisionalYears(from: CalendarDate, to: CalendarDate): number[] {
    let a = Number(from.slice(0, 4));
    let b = Number(to.slice(0, 4));
    if (a > b) [a, b] = [b, a];
    const out: number[] = [];
    for (let y = a; y <= b; y += 1) if (!this.isOfficialYear(y)) out.push(y);
    return out;
  }

  /** `provisionalYears(from, to).length > 0`. */
  isProvisional(from: CalendarDate, to: CalendarDate): boolean {
    return this.provisionalYears(from, to).length > 0;
  }

  /** The inclusive range the data describes, if known. */
  get coverage(): { from: CalendarDate; to: CalendarDate } | undefined {
    return this.data.coverage ? { ...this.data.coverage } : undefined;
  }

  /** True when `date` lies inside the data's coverage (always true when no coverage was given). */
  covers(date: CalendarDate): boolean {
    return this.coversDay(toDayNumber(date));
  }

  // ---- single days -------------------------------------------------------

  isWorkingDay(date: CalendarDate): boolean {
    return this.isWorkingDayNumber(this.day(date));
  }

  /** What kind of day `date` is. */
  dayKind(date: CalendarDate): DayKind {
    const d = this.day(date);
    if (this.workdaySet.has(d)) return isWeekendDay(d) ? 'makeup_workday' : 'workday';
    if (this.holidaySet.has(d)) return 'holiday';
    return isWeekendDay(d) ? 'weekend' : 'workday';
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: CalendarDate): CalendarDate {
    return fromDayNumber(this.scan(this.day(date) + 1, 1));
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: CalendarDate): CalendarDate {
    return fromDayNumber(this.scan(this.day(date) - 1, -1));
  }

  /** `date` itself when it is a working day, otherwise the next working day. */
  workingDayOnOrAfter(date: CalendarDate): CalendarDate {
    return fromDayNumber(this.scan(this.day(date), 1));
  }

  /** `date` itself when it is a working day, otherwise the previous working day. */
  workingDayOnOrBefore(date: CalendarDate): CalendarDate {
    return fromDayNumber(this.scan(this.day(date), -1));
  }

  // ---- working-day periods ----------------------------------------------

  /**
   * The n-th working day strictly after `date` (n >= 1); for n = 0, `date` if
   * it is a working day, else the next working day. "Within N working days of
   * X" ends at the end of `addWorkingDays(X, N)`.
   */
  addWorkingDays(date: CalendarDate, n: number): CalendarDate {
    requireNonNegativeInteger(n, 'working days');
    let d = this.day(date);
    if (n === 0) return fromDayNumber(this.scan(d, 1));
    for (let left = n; left > 0;) {
      d += 1;
      if (this.isWorkingDayNumber(d)) left -= 1;
    }
    return fromDayNumber(d);
  }

  /**
   * The n-th working day strictly before `date` (n >= 1); for n = 0, `date` if
   * it is a working day, else the previous working day. Mirror of {@link addWorkingDays}.
   */
  subtractWorkingDays(date: CalendarDate, n: number): CalendarDate {
    requireNonNegativeInteger(n, 'working days');
    let d = this.day(date);
    if (n === 0) return fromDayNumber(this.scan(d, -1));
    for (let left = n; left > 0;) {
      d -= 1;
      if (this.isWorkingDayNumber(d)) left -= 1;
    }
    return fromDayNumber(d);
  }

  /**
   * Number of working days in (a, b]: a excluded, b included. Negative when
   * b < a (then −(working days in (b, a])). Runs in O(log holidays).
   */
  workingDaysBetween(a: CalendarDate, b: CalendarDate): number {
    const da = this.day(a);
    const db = this.day(b);
    if (db < da) return 0 - this.countWorkingDays(db, da);
    return this.countWorkingDays(da, db);
  }

  /**
   * Working days left until a deadline date (the deadline day is usable).
   * - today <= deadline: working days in (today, deadline]; 0 means "due today"
   *   (or no working day remains before the deadline).
   * - today > deadline (overdue): −(working days in (deadline, D]) where D is
   *   today if it is a working day, else the next working day; so it is always
   *   <= −1 once the deadline day has passed, even on a weekend.
   */
  workingDaysLeft(today: CalendarDate, deadline: CalendarDate): number {
    const t = this.day(today);
    const dl = this.day(deadline);
    if (t <= dl) return this.countWorkingDays(t, dl);
    return 0 - this.countWorkingDays(dl, this.scan(t, 1));
  }

  // ---- calendar-day and month periods -----------------------------------

  /** `date` plus n calendar months, clamped to month end (Jan 31 + 1 month = Feb 28/29). n may be negative. */
  addCalendarMonths(date: CalendarDate, n: number): CalendarDate {
    this.day(date);
    return addMonths(date, n);
  }

  /**
   * Last day of "within n months of `date`": {@link addCalendarMonths}, moved
   * to the next working day when it falls on a day off (民法典 第二百零三条).
   */
  deadlineMonths(date: CalendarDate, n: number): CalendarDate {
    requireNonNegativeInteger(n, 'months');
    return this.workingDayOnOrAfter(this.addCalendarMonths(date, n));
  }

  /**
   * Last day of "within n calendar days of `date`": `date` + n days, moved to
   * the next working day when it falls on a day off. n = 0 gives `date` (or
   * the next working day).
   */
  deadlineCalendarDays(date: CalendarDate, n: number): CalendarDate {
    requireNonNegativeInteger(n, 'calendar days');
    return fromDayNumber(this.scan(this.day(date) + n, 1));
  }

  // ---- internals ---------------------------------------------------------

  private coversDay(d: number): boolean {
    return this.coverageRange === undefined || (d >= this.coverageRange.from && d <= this.coverageRange.to);
  }

  private check(d: number): number {
    if (this.strict && !this.coversDay(d)) {
      throw new RangeError(
        `WorkCalendar has no holiday data for ${fromDayNumber(d)} (coverage ${this.data.coverage?.from}..${this.data.coverage?.to})`,
      );
    }
    return d;
  }

  private day(date: CalendarDate): number {
    return this.check(toDayNumber(date));
  }

  private isWorkingDayNumber(d: number): boolean {
    this.check(d);
    if (this.workdaySet.has(d)) return true;
    if (this.holidaySet.has(d)) return false;
    return !isWeekendDay(d);
  }

  /** First working day number reached from `d` (inclusive) stepping by `step`. */
  private scan(d: number, step: 1 | -1): number {
    let x = d;
    while (!this.isWorkingDayNumber(x)) x += step;
    return x;
  }

  /** Working days in (a, b] for a <= b. */
  private countWorkingDays(a: number, b: number): number {
    if (b <= a) return 0;
    this.check(a);
    this.check(b);
    const weekdays = weekdayPrefix(b + 1) - weekdayPrefix(a + 1);
    const holidays = countAtMost(this.weekdayHolidays, b) - countAtMost(this.weekdayHolidays, a);
    const makeUps = countAtMost(this.weekendWorkdays, b) - countAtMost(this.weekendWorkdays, a);
    return weekdays - holidays + makeUps;
  }
}

/**
 * Whether a deadline instant is provisional on `calendar`: it falls in, or is counted (from `start`,
 * an instant) through, a year whose holidays are not official. Null deadline: false.
 */
export function isDeadlineProvisional(
  calendar: WorkCalendar,
  deadline: Date | string | number | null | undefined,
  start?: Date | string | number | null,
): boolean {
  if (deadline === null || deadline === undefined) return false;
  const toInstant = (x: Date | string | number): number =>
    x instanceof Date ? x.getTime() : typeof x === 'number' ? x : Date.parse(x);
  const end = chinaDateOf(toInstant(deadline));
  const begin = start === null || start === undefined ? end : chinaDateOf(toInstant(start));
  return calendar.isProvisional(begin, end);
}
