import { describe, expect, it } from 'vitest';
import * as chineseDays from 'chinese-days';
import { addDays } from './civil';
import { WorkCalendar } from './work-calendar';
import {
  chineseDaysHolidayName,
  chineseDaysYearRange,
  seedFromChineseDays,
  seededWorkCalendar,
} from './seed';

// Every fact below was checked against chinese-days 1.5.7's own table
// (dist/chinese-days.json) before being asserted.
describe('seedFromChineseDays', () => {
  const cal = seededWorkCalendar(2024, 2027);

  it('covers the announced years only (chinese-days 1.5.7 stops at 2026)', () => {
    expect(chineseDaysYearRange().first).toBe(2004);
    expect(chineseDaysYearRange().last).toBeGreaterThanOrEqual(2026);
    const data = seedFromChineseDays(2024, 2027);
    expect(data.coverage?.from).toBe('2024-01-01');
    expect(cal.covers('2026-12-31')).toBe(true);
    if (chineseDaysYearRange().last === 2026) {
      expect(data.coverage?.to).toBe('2026-12-31');
      expect(cal.covers('2027-01-04')).toBe(false);
      const strict = seededWorkCalendar(2024, 2027, { outsideCoverage: 'throw' });
      expect(() => strict.isWorkingDay('2027-02-10')).toThrow(/no holiday data/);
    }
    expect(() => seedFromChineseDays(2099, 2100)).toThrow(/no holiday data for 2099/);
    expect(() => seedFromChineseDays(2026, 2025)).toThrow(RangeError);
  });

  it('returns sorted plain JSON within the requested years', () => {
    const data = seedFromChineseDays(2025, 2025);
    expect(data.holidays.every((d) => d.startsWith('2025-'))).toBe(true);
    expect(data.workdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect([...data.holidays].sort()).toEqual(data.holidays);
    expect(new WorkCalendar(JSON.parse(JSON.stringify(data))).toJSON()).toEqual(data);
  });

  it('knows 2025 National Day and Mid-autumn (10-01..10-08 off, Sun 09-28 and Sat 10-11 worked)', () => {
    for (let d = '2025-10-01'; d <= '2025-10-08'; d = addDays(d, 1)) expect(cal.isWorkingDay(d)).toBe(false);
    expect(cal.dayKind('2025-10-08')).toBe('holiday'); // a Wednesday
    expect(cal.dayKind('2025-09-28')).toBe('makeup_workday'); // Sunday
    expect(cal.dayKind('2025-10-11')).toBe('makeup_workday'); // Saturday
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(chineseDaysHolidayName('2025-10-01')).toBe('国庆节');
    expect(chineseDaysHolidayName('2025-10-06')).toBe('中秋');
  });

  it('knows 2025 Spring Festival (01-28..02-04 off, Sun 01-26 and Sat 02-08 worked)', () => {
    for (let d = '2025-01-28'; d <= '2025-02-04'; d = addDays(d, 1)) expect(cal.isWorkingDay(d)).toBe(false);
    expect(cal.isWorkingDay('2025-01-26')).toBe(true);
    expect(cal.isWorkingDay('2025-02-08')).toBe(true);
    expect(cal.workingDaysBetween('2025-01-24', '2025-02-07')).toBe(5); // 01-26, 01-27, 02-05, 02-06, 02-07 (01-24 excluded)
  });

  it('knows 2026: New Year, Spring Festival, Labour Day, National Day', () => {
    expect(cal.isWorkingDay('2026-01-02')).toBe(false); // Friday off
    expect(cal.dayKind('2026-01-04')).toBe('makeup_workday'); // Sunday
    for (let d = '2026-02-15'; d <= '2026-02-23'; d = addDays(d, 1)) expect(cal.isWorkingDay(d)).toBe(false);
    expect(cal.dayKind('2026-02-14')).toBe('makeup_workday'); // Saturday
    expect(cal.dayKind('2026-02-28')).toBe('makeup_workday'); // Saturday
    expect(cal.isWorkingDay('2026-05-05')).toBe(false);
    expect(cal.dayKind('2026-05-09')).toBe('makeup_workday');
    for (let d = '2026-10-01'; d <= '2026-10-07'; d = addDays(d, 1)) expect(cal.isWorkingDay(d)).toBe(false);
    expect(cal.dayKind('2026-09-20')).toBe('makeup_workday'); // Sunday
    expect(cal.dayKind('2026-10-10')).toBe('makeup_workday'); // Saturday
    // a suggestion accepted on Fri 2026-02-13: 5 working days = Sat 02-14, then 02-24..02-27
    expect(cal.addWorkingDays('2026-02-13', 5)).toBe('2026-02-27');
  });

  // chinese-days' own functions read dates in the host time zone and are off by
  // a day west of UTC, so this cross-check is only meaningful at UTC or east of it.
  const hostUtcOrEast = new Date(Date.UTC(2025, 0, 1)).getTimezoneOffset() <= 0;
  it.skipIf(!hostUtcOrEast)(
    'agrees with chinese-days isWorkday/findWorkday for every day of 2024–2026',
    () => {
      let mismatches = 0;
      for (let d = '2024-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
        if (cal.isWorkingDay(d) !== chineseDays.isWorkday(d)) mismatches += 1;
        if (d <= '2026-11-30' && cal.addWorkingDays(d, 5) !== chineseDays.findWorkday(5, d)) mismatches += 1;
      }
      expect(mismatches).toBe(0);
    },
  );
});
