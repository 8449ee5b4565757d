import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '@jianyi/domain';
import { deadlineLevel } from './deadlines';

// The colour of a deadline: normal, yellow in the last N working days, red once overdue.
describe('deadlineLevel', () => {
  const cal = new WorkCalendar({
    holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
    workdays: ['2026-10-10'],
  });
  const at = (s: string) => new Date(s);

  it('counts working days across a holiday and a make-up working day', () => {
    // Mon 28 Sep → Mon 12 Oct: 29, 30 Sep, 8, 9, 10 (Sat, 调休), 12 Oct = 6 working days; due on the 12th.
    const d = deadlineLevel(cal, at('2026-09-28T02:00:00Z'), at('2026-10-12T15:59:59Z'), 5);
    expect(d.deadlineDate).toBe('2026-10-12');
    expect(d.workingDaysLeft).toBe(6);
    expect(d.level).toBe('normal');
    // Tue 29 Sep: 5 left, the deadline day is not yet among the last 5 working days from today.
    expect(deadlineLevel(cal, at('2026-09-29T02:00:00Z'), at('2026-10-12T15:59:59Z'), 5).level).toBe(
      'normal',
    );
    // Wed 30 Sep: 4 left, so today is in the last 5 working days (黄牌).
    const y = deadlineLevel(cal, at('2026-09-30T02:00:00Z'), at('2026-10-12T15:59:59Z'), 5);
    expect([y.workingDaysLeft, y.level]).toEqual([4, 'yellow']);
  });

  it('is red once the deadline has passed, with the working days overdue as a negative number', () => {
    const d = deadlineLevel(cal, at('2026-10-14T02:00:00Z'), at('2026-10-12T15:59:59Z'), 5);
    expect(d.overdue).toBe(true);
    expect(d.level).toBe('red');
    expect(d.workingDaysLeft).toBeLessThan(0);
  });
});
