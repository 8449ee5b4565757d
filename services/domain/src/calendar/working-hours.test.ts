import { describe, expect, it } from 'vitest';
import { formatChinaInstant, parseInstant } from './civil';
import { WorkCalendar } from './work-calendar';
import { isWithinWorkingHours, nextWorkingInstant } from './working-hours';

const cal = new WorkCalendar({
  holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'],
  workdays: ['2025-09-28', '2025-10-11'],
});
const hours = { start: '09:00', end: '17:30' };
const next = (iso: string): string => formatChinaInstant(nextWorkingInstant(cal, iso, hours));

describe('nextWorkingInstant', () => {
  it('keeps an instant inside working hours', () => {
    expect(next('2025-09-29T10:15:00+08:00')).toBe('2025-09-29T10:15:00.000+08:00');
    expect(isWithinWorkingHours(cal, '2025-09-29T10:15:00+08:00', hours)).toBe(true);
  });

  it('moves an early instant to the start of the same working day', () => {
    expect(next('2025-09-29T07:00:00+08:00')).toBe('2025-09-29T09:00:00.000+08:00');
  });

  it('moves an evening or a day off to the next working morning', () => {
    expect(next('2025-09-29T17:30:00+08:00')).toBe('2025-09-30T09:00:00.000+08:00');
    expect(next('2025-09-30T20:00:00+08:00')).toBe('2025-10-09T09:00:00.000+08:00');
    expect(next('2025-09-27T12:00:00+08:00')).toBe('2025-09-28T09:00:00.000+08:00'); // make-up Sunday
    expect(isWithinWorkingHours(cal, '2025-10-01T10:00:00+08:00', hours)).toBe(false);
  });

  it('does nothing without notice hours', () => {
    expect(nextWorkingInstant(cal, '2025-10-01T03:00:00+08:00', null)).toBe(
      parseInstant('2025-10-01T03:00:00+08:00'),
    );
  });

  it('rejects an empty window', () => {
    expect(() => nextWorkingInstant(cal, 0, { start: '18:00', end: '09:00' })).toThrow(RangeError);
  });
});
