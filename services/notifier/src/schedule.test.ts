import { describe, expect, it } from 'vitest';
import { WorkCalendar, chinaDayStart, parseTimeOfDay } from '@jianyi/domain';
import { backoffMs, holdUntil } from './schedule';

const hours = { start: '09:00', end: '17:30' };
const at = (date: string, hhmm: string) => chinaDayStart(date) + parseTimeOfDay(hhmm);
// 2026-10-01..07 National Day holiday; Sunday 2026-09-27 and Saturday 2026-10-10 are make-up working days.
const calendar = new WorkCalendar({
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-09-27', '2026-10-10'],
});

describe('holding notices to working hours', () => {
  it('holds a notice made at 22:00 on a working day until 09:00 of the next working day', () => {
    expect(holdUntil(calendar, at('2026-11-24', '22:00'), hours)).toBe(at('2026-11-25', '09:00'));
  });
  it('holds a Friday evening notice until Monday 09:00', () => {
    expect(holdUntil(calendar, at('2026-11-27', '18:00'), hours)).toBe(at('2026-11-30', '09:00'));
  });
  it('holds a notice made early in the morning until 09:00 the same day', () => {
    expect(holdUntil(calendar, at('2026-11-24', '06:40'), hours)).toBe(at('2026-11-24', '09:00'));
  });
  it('skips public holidays and uses make-up working days (调休上班日)', () => {
    expect(holdUntil(calendar, at('2026-09-30', '20:00'), hours)).toBe(at('2026-10-08', '09:00'));
    expect(holdUntil(calendar, at('2026-10-09', '20:00'), hours)).toBe(at('2026-10-10', '09:00'));
    expect(holdUntil(calendar, at('2026-09-26', '12:00'), hours)).toBe(at('2026-09-27', '09:00'));
  });
  it('sends at once inside working hours, and always when the policy sets no hours', () => {
    expect(holdUntil(calendar, at('2026-11-24', '10:15'), hours)).toBe(at('2026-11-24', '10:15'));
    expect(holdUntil(calendar, at('2026-11-24', '17:30'), hours)).toBe(at('2026-11-25', '09:00'));
    expect(holdUntil(calendar, at('2026-11-28', '23:00'), null)).toBe(at('2026-11-28', '23:00'));
  });
});

describe('retry backoff', () => {
  it('doubles from the base and is capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(40, 30_000)).toBe(6 * 3_600_000);
  });
});
