/**
 * Seeds WorkCalendar data from the `chinese-days` npm package, which tracks the
 * State Council's yearly holiday announcements (国务院办公厅关于…部分节假日安排的通知).
 *
 * Pure data, no I/O: this reads the JSON table that the package ships
 * (`chinese-days/dist/chinese-days.json`, the file its README documents for
 * non-JS users) instead of calling its date functions, because those parse
 * and format dates in the HOST time zone: on a machine west of UTC (e.g.
 * TZ=America/Los_Angeles) `getDayDetail('2025-10-01').date` is '2025-09-30' and
 * `getWorkdaysInRange` is shifted by a day. The table has no such problem.
 *
 * Workflows should not import this file; seed in an activity or at start-up
 * and pass `WorkCalendarData` (plain JSON) to the workflow.
 */
import chineseDaysTable from 'chinese-days/dist/chinese-days.json';
import { type CalendarDate, isCalendarDate, isWeekend } from './civil';
import { WorkCalendar, type WorkCalendarData, type WorkCalendarOptions } from './work-calendar';

/** Shape of chinese-days' table: date -> "English name,中文名,id". */
interface ChineseDaysTable {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

const table: ChineseDaysTable = chineseDaysTable;

function yearsIn(dates: readonly string[]): Set<number> {
  return new Set(dates.map((d) => Number(d.slice(0, 4))));
}

const YEARS_WITH_DATA: ReadonlySet<number> = yearsIn([
  ...Object.keys(table.holidays),
  ...Object.keys(table.workdays),
]);

/** First and last year for which the installed chinese-days has holiday data. */
export function chineseDaysYearRange(): { first: number; last: number } {
  const years = [...YEARS_WITH_DATA].sort((a, b) => a - b);
  return { first: years[0] ?? NaN, last: years[years.length - 1] ?? NaN };
}

/**
 * The holiday name chinese-days gives a date (e.g. '国庆节'), or undefined for
 * ordinary days. For make-up working days it is the holiday the day makes up for.
 */
export function chineseDaysHolidayName(date: CalendarDate): string | undefined {
  const raw = table.holidays[date] ?? table.workdays[date];
  return raw?.split(',')[1];
}

/**
 * Builds `{ holidays, workdays, coverage }` for the years fromYear..toYear
 * (inclusive) from chinese-days.
 *
 * - `holidays`: every day off listed by the package, including weekend days
 *   inside a holiday span (harmless: they are off anyway).
 * - `workdays`: the make-up working days (调休上班日); all fall on weekends.
 * - `coverage`: from Jan 1 of `fromYear` to Dec 31 of the last consecutive
 *   requested year the package has data for. Years not yet announced (e.g.
 *   2027 in chinese-days 1.5.7) are left out of the coverage so a calendar can
 *   tell (`covers()`, or `{ outsideCoverage: 'throw' }`).
 *
 * Throws when the package has no data for `fromYear`.
 */
export function seedFromChineseDays(fromYear = 2024, toYear = 2027): WorkCalendarData {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear) {
    throw new RangeError(`seedFromChineseDays: bad year range ${fromYear}..${toYear}`);
  }
  let lastCovered = fromYear - 1;
  while (lastCovered < toYear && YEARS_WITH_DATA.has(lastCovered + 1)) lastCovered += 1;
  if (lastCovered < fromYear) {
    const { first, last } = chineseDaysYearRange();
    throw new RangeError(`chinese-days has no holiday data for ${fromYear} (it has ${first}–${last})`);
  }
  const inRange = (d: string): boolean => {
    const y = Number(d.slice(0, 4));
    return y >= fromYear && y <= lastCovered && isCalendarDate(d);
  };
  const holidays = Object.keys(table.holidays).filter(inRange).sort();
  const workdays = Object.keys(table.workdays).filter(inRange).sort();
  const odd = workdays.filter((d) => !isWeekend(d));
  if (odd.length > 0) {
    // Never seen in the package data; kept as a guard should its meaning change.
    throw new RangeError(`chinese-days lists make-up working days that are not weekends: ${odd.join(', ')}`);
  }
  return {
    holidays,
    workdays,
    coverage: { from: `${fromYear}-01-01`, to: `${lastCovered}-12-31` },
  };
}

/** `new WorkCalendar(seedFromChineseDays(fromYear, toYear), options)`. */
export function seededWorkCalendar(
  fromYear = 2024,
  toYear = 2027,
  options?: WorkCalendarOptions,
): WorkCalendar {
  return new WorkCalendar(seedFromChineseDays(fromYear, toYear), options);
}
