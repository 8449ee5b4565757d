import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type CalendarDate, addDays, fromDayNumber, isWeekend, toDayNumber } from './civil';
import { WorkCalendar, type WorkCalendarData } from './work-calendar';
import { seedFromChineseDays } from './seed';

// A small hand-made calendar: Mon 2025-09-29 .. Wed 2025-10-08 has a holiday
// block 10-01..10-08, with make-up working days Sun 09-28 and Sat 10-11
// (the real 2025 National Day arrangement).
const national: WorkCalendarData = {
  holidays: [
    '2025-10-01',
    '2025-10-02',
    '2025-10-03',
    '2025-10-04',
    '2025-10-05',
    '2025-10-06',
    '2025-10-07',
    '2025-10-08',
  ],
  workdays: ['2025-09-28', '2025-10-11'],
};

const seeded = seedFromChineseDays(2024, 2026);
const seededCalendar = new WorkCalendar(seeded);
const seededHolidays = new Set(seeded.holidays);
const seededWorkdays = new Set(seeded.workdays);

/** Dates (as day numbers) in 2024-01-01 .. 2026-10-31, leaving room after them inside the seeded data. */
const seededDate = fc
  .integer({ min: toDayNumber('2024-01-01'), max: toDayNumber('2026-10-31') })
  .map((n) => fromDayNumber(n));

/** Naive reference: working days in (a, b] by walking day by day. */
function naiveBetween(isWorking: (d: CalendarDate) => boolean, a: CalendarDate, b: CalendarDate): number {
  const sign = a <= b ? 1 : -1;
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  let count = 0;
  for (let d = addDays(lo, 1); d <= hi; d = addDays(d, 1)) if (isWorking(d)) count += 1;
  return count === 0 ? 0 : sign * count;
}

/** Random calendars over 2030–2031: any days may be holidays, some weekend days are make-up days. */
const WINDOW_START = toDayNumber('2030-01-01');
const WINDOW_DAYS = 730;
const randomCalendar = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 0, max: WINDOW_DAYS - 1 }), { maxLength: 120 }),
    fc.uniqueArray(fc.integer({ min: 0, max: WINDOW_DAYS - 1 }), { maxLength: 40 }),
  )
  .map(([h, w]) => {
    const holidays = h.map((i) => fromDayNumber(WINDOW_START + i));
    const hs = new Set(holidays);
    const workdays = w.map((i) => fromDayNumber(WINDOW_START + i)).filter((d) => isWeekend(d) && !hs.has(d));
    return { holidays, workdays };
  });
const windowDate = fc.integer({ min: 0, max: WINDOW_DAYS - 1 }).map((i) => fromDayNumber(WINDOW_START + i));

describe('WorkCalendar basics', () => {
  const cal = new WorkCalendar(national);

  it('classifies days', () => {
    expect(cal.isWorkingDay('2025-09-26')).toBe(true); // Friday
    expect(cal.isWorkingDay('2025-09-27')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2025-09-28')).toBe(true); // make-up Sunday
    expect(cal.isWorkingDay('2025-10-01')).toBe(false);
    expect(cal.isWorkingDay('2025-10-08')).toBe(false); // holiday Wednesday
    expect(cal.isWorkingDay('2025-10-09')).toBe(true);
    expect(cal.isWorkingDay('2025-10-11')).toBe(true); // make-up Saturday
    expect(cal.dayKind('2025-09-28')).toBe('makeup_workday');
    expect(cal.dayKind('2025-10-08')).toBe('holiday');
    expect(cal.dayKind('2025-10-12')).toBe('weekend');
    expect(cal.dayKind('2025-10-13')).toBe('workday');
  });

  it('adds working days: the N-th working day after the start, the start not counted', () => {
    expect(cal.addWorkingDays('2025-09-26', 1)).toBe('2025-09-28'); // Fri -> make-up Sun
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09'); // skips the whole holiday
    expect(cal.addWorkingDays('2025-09-30', 3)).toBe('2025-10-11'); // Thu, Fri, make-up Sat
    expect(cal.addWorkingDays('2025-10-03', 5)).toBe('2025-10-14'); // 10-09, 10-10, make-up 10-11, 10-13, 10-14
    expect(cal.addWorkingDays('2025-10-09', 0)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-10-04', 0)).toBe('2025-10-09'); // 0 from a day off: next working day
    expect(() => cal.addWorkingDays('2025-10-04', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-10-04', 1.5)).toThrow(RangeError);
  });

  it('subtracts working days', () => {
    expect(cal.subtractWorkingDays('2025-10-09', 1)).toBe('2025-09-30');
    expect(cal.subtractWorkingDays('2025-10-04', 0)).toBe('2025-09-30');
    expect(cal.subtractWorkingDays('2025-09-29', 1)).toBe('2025-09-28');
  });

  it('counts working days in (a, b]', () => {
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-09')).toBe(1);
    expect(cal.workingDaysBetween('2025-09-30', '2025-09-30')).toBe(0);
    expect(cal.workingDaysBetween('2025-09-25', '2025-09-30')).toBe(4); // Fri, make-up Sun, Mon, Tue
    expect(cal.workingDaysBetween('2025-10-09', '2025-09-30')).toBe(-1);
  });

  it('finds next and previous working days', () => {
    expect(cal.nextWorkingDay('2025-09-30')).toBe('2025-10-09');
    expect(cal.nextWorkingDay('2025-10-09')).toBe('2025-10-10');
    expect(cal.nextWorkingDay('2025-10-10')).toBe('2025-10-11');
    expect(cal.previousWorkingDay('2025-10-09')).toBe('2025-09-30');
    expect(cal.workingDayOnOrAfter('2025-10-05')).toBe('2025-10-09');
    expect(cal.workingDayOnOrAfter('2025-10-09')).toBe('2025-10-09');
    expect(cal.workingDayOnOrBefore('2025-10-05')).toBe('2025-09-30');
  });

  it('adds calendar months with clamping, and moves month deadlines off days off', () => {
    expect(cal.addCalendarMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(cal.addCalendarMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(cal.addCalendarMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(cal.deadlineMonths('2025-07-01', 3)).toBe('2025-10-09'); // 10-01 is a holiday
    expect(cal.deadlineMonths('2025-06-28', 3)).toBe('2025-09-28'); // a Sunday, but a make-up working day
    expect(cal.deadlineMonths('2025-06-27', 3)).toBe('2025-09-28'); // Sat 09-27 is off -> make-up Sun 09-28
    expect(cal.deadlineMonths('2025-05-31', 1)).toBe('2025-06-30'); // clamped (June has 30 days), a Monday
  });

  it('moves calendar-day deadlines off days off', () => {
    expect(cal.deadlineCalendarDays('2025-09-16', 15)).toBe('2025-10-09');
    expect(cal.deadlineCalendarDays('2025-09-12', 15)).toBe('2025-09-28'); // Sat 09-27 is off -> make-up Sun 09-28
    expect(cal.deadlineCalendarDays('2025-10-09', 0)).toBe('2025-10-09');
  });

  it('counts working days left, negative when overdue', () => {
    expect(cal.workingDaysLeft('2025-09-30', '2025-10-10')).toBe(2);
    expect(cal.workingDaysLeft('2025-10-10', '2025-10-10')).toBe(0);
    expect(cal.workingDaysLeft('2025-10-13', '2025-10-10')).toBe(-2); // make-up Sat 10-11, Mon 10-13
    expect(cal.workingDaysLeft('2025-10-12', '2025-10-11')).toBe(-1); // Sunday after the deadline: overdue
    expect(cal.workingDaysLeft('2025-10-03', '2025-09-30')).toBe(-1);
  });

  it('validates its data and round-trips through JSON', () => {
    expect(() => new WorkCalendar({ holidays: ['2025-10-1'], workdays: [] })).toThrow(/holidays\[0\]/);
    expect(() => new WorkCalendar({ holidays: ['2025-09-28'], workdays: ['2025-09-28'] })).toThrow(/both/);
    const json = JSON.parse(JSON.stringify(cal)) as WorkCalendarData;
    expect(json).toEqual({ holidays: national.holidays, workdays: national.workdays });
    expect(WorkCalendar.fromJSON(json).addWorkingDays('2025-09-30', 3)).toBe('2025-10-11');
  });

  it('handles coverage: weekdays by default, or throws when asked to', () => {
    const data = { ...national, coverage: { from: '2025-01-01', to: '2025-12-31' } };
    const lenient = new WorkCalendar(data);
    expect(lenient.covers('2025-06-01')).toBe(true);
    expect(lenient.covers('2026-01-01')).toBe(false);
    expect(lenient.isWorkingDay('2026-01-01')).toBe(true); // no data: treated as a plain Thursday
    const strict = new WorkCalendar(data, { outsideCoverage: 'throw' });
    expect(strict.isWorkingDay('2025-12-31')).toBe(true);
    expect(() => strict.isWorkingDay('2026-01-01')).toThrow(/no holiday data for 2026-01-01/);
    expect(() => strict.addWorkingDays('2025-12-30', 5)).toThrow(RangeError);
    expect(() => strict.workingDaysBetween('2025-12-30', '2026-01-05')).toThrow(RangeError);
  });
});

describe('WorkCalendar properties (seeded 2024–2026 data)', () => {
  const cal = seededCalendar;
  const n = fc.integer({ min: 1, max: 40 });

  it('counting back the working days added gives n', () => {
    fc.assert(
      fc.property(seededDate, n, (d, k) => {
        expect(cal.workingDaysBetween(d, cal.addWorkingDays(d, k))).toBe(k);
      }),
      { numRuns: 500 },
    );
  });

  it('adding 0 working days gives the day itself or the next working day', () => {
    fc.assert(
      fc.property(seededDate, (d) => {
        const r = cal.addWorkingDays(d, 0);
        expect(r).toBe(cal.isWorkingDay(d) ? d : cal.nextWorkingDay(d));
        expect(cal.workingDaysBetween(d, r)).toBe(cal.isWorkingDay(d) ? 0 : 1);
      }),
    );
  });

  it('a result of addWorkingDays is never a holiday nor an ordinary weekend', () => {
    fc.assert(
      fc.property(seededDate, fc.integer({ min: 0, max: 40 }), (d, k) => {
        const r = cal.addWorkingDays(d, k);
        expect(seededHolidays.has(r)).toBe(false);
        if (isWeekend(r)) expect(seededWorkdays.has(r)).toBe(true);
        expect(r > d || (k === 0 && r === d)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('subtracting undoes adding (up to rolling a day off back)', () => {
    fc.assert(
      fc.property(seededDate, n, (d, k) => {
        expect(cal.subtractWorkingDays(cal.addWorkingDays(d, k), k)).toBe(cal.workingDayOnOrBefore(d));
      }),
    );
  });

  it('month deadlines are working days with no working day between the raw date and them', () => {
    fc.assert(
      fc.property(seededDate, fc.constantFrom(1, 3, 6), (d, months) => {
        const raw = cal.addCalendarMonths(d, months);
        const deadline = cal.deadlineMonths(d, months);
        if (raw > '2026-12-20') return;
        expect(cal.isWorkingDay(deadline)).toBe(true);
        expect(deadline >= raw).toBe(true);
        expect(cal.workingDaysBetween(raw, deadline)).toBe(cal.isWorkingDay(raw) ? 0 : 1);
      }),
    );
  });

  it('working days left is >= 0 until the deadline and <= -1 after it', () => {
    fc.assert(
      fc.property(seededDate, seededDate, (today, deadline) => {
        const left = cal.workingDaysLeft(today, deadline);
        if (today <= deadline) expect(left).toBe(cal.workingDaysBetween(today, deadline));
        else expect(left).toBeLessThanOrEqual(-1);
      }),
    );
  });
});

describe('WorkCalendar properties (random calendars)', () => {
  it('workingDaysBetween equals a day-by-day count and is additive', () => {
    fc.assert(
      fc.property(randomCalendar, windowDate, windowDate, windowDate, (data, a, b, c) => {
        const cal = new WorkCalendar(data);
        const isWorking = (d: CalendarDate): boolean => cal.isWorkingDay(d);
        expect(cal.workingDaysBetween(a, b)).toBe(naiveBetween(isWorking, a, b));
        expect(cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, c)).toBe(
          cal.workingDaysBetween(a, c),
        );
        expect(cal.workingDaysBetween(b, a) + cal.workingDaysBetween(a, b)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('isWorkingDay follows the data', () => {
    fc.assert(
      fc.property(randomCalendar, windowDate, (data, d) => {
        const cal = new WorkCalendar(data);
        const expected = data.workdays.includes(d) || (!data.holidays.includes(d) && !isWeekend(d));
        expect(cal.isWorkingDay(d)).toBe(expected);
      }),
    );
  });

  it('adding then counting back gives n', () => {
    fc.assert(
      fc.property(randomCalendar, windowDate, fc.integer({ min: 1, max: 30 }), (data, d, k) => {
        const cal = new WorkCalendar(data);
        const r = cal.addWorkingDays(d, k);
        expect(cal.workingDaysBetween(d, r)).toBe(k);
        expect(cal.isWorkingDay(r)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
