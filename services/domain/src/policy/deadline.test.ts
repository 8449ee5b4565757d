import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chinaDateOf,
  chinaDayEnd,
  formatChinaInstant,
  fromDayNumber,
  parseInstant,
  toDayNumber,
} from '../calendar/civil';
import { seededWorkCalendar } from '../calendar/seed';
import { WorkCalendar } from '../calendar/work-calendar';
import { computeDeadline, computeDeadlineMs, extendForPause, reminderInstants } from './deadline';

const cal = seededWorkCalendar(2024, 2027);
const inChina = (iso: string): string => formatChinaInstant(iso);

describe('computeDeadline', () => {
  it('working days: end of the N-th working day after the China date of `from`', () => {
    // 2025 National Day: 10-01..10-08 off, Sat 10-11 worked.
    const d = computeDeadline(cal, '2025-09-30T10:00:00+08:00', { amount: 5, unit: 'working_days' });
    expect(d).toBe('2025-10-14T15:59:59.999Z');
    expect(inChina(d)).toBe('2025-10-14T23:59:59.999+08:00');
  });

  it('uses the China date, not the UTC date, of the start instant', () => {
    // 2025-09-29T23:30 in China (still Monday 09-29 there) vs 00:30 on Tuesday 09-30.
    expect(inChina(computeDeadline(cal, '2025-09-29T15:30:00Z', { amount: 5, unit: 'working_days' }))).toBe(
      '2025-10-13T23:59:59.999+08:00',
    );
    expect(inChina(computeDeadline(cal, '2025-09-29T16:30:00Z', { amount: 5, unit: 'working_days' }))).toBe(
      '2025-10-14T23:59:59.999+08:00',
    );
  });

  it('0 working days from a day off: end of the next working day', () => {
    expect(
      inChina(computeDeadline(cal, '2025-10-03T10:00:00+08:00', { amount: 0, unit: 'working_days' })),
    ).toBe('2025-10-09T23:59:59.999+08:00');
  });

  it('months: same day n months later, clamped, moved off days off', () => {
    expect(inChina(computeDeadline(cal, '2025-07-01T09:00:00+08:00', { amount: 3, unit: 'months' }))).toBe(
      '2025-10-09T23:59:59.999+08:00',
    );
    // 2025-11-30 + 3 months = 2026-02-28, a Saturday but a make-up working day.
    expect(inChina(computeDeadline(cal, '2025-11-30T09:00:00+08:00', { amount: 3, unit: 'months' }))).toBe(
      '2026-02-28T23:59:59.999+08:00',
    );
    // 2025-01-31 + 1 month clamps to Friday 2025-02-28.
    expect(inChina(computeDeadline(cal, '2025-01-31T09:00:00+08:00', { amount: 1, unit: 'months' }))).toBe(
      '2025-02-28T23:59:59.999+08:00',
    );
    // 2024-08-31 + 6 months clamps to Friday 2025-02-28.
    expect(inChina(computeDeadline(cal, '2024-08-31T09:00:00+08:00', { amount: 6, unit: 'months' }))).toBe(
      '2025-02-28T23:59:59.999+08:00',
    );
  });

  it('calendar days: moved off days off', () => {
    // 2026-09-16 + 15 days = 10-01, National Day (10-01..10-07) -> Thursday 10-08.
    expect(
      inChina(computeDeadline(cal, '2026-09-16T09:00:00+08:00', { amount: 15, unit: 'calendar_days' })),
    ).toBe('2026-10-08T23:59:59.999+08:00');
    expect(
      inChina(computeDeadline(cal, '2026-03-16T09:00:00+08:00', { amount: 15, unit: 'calendar_days' })),
    ).toBe('2026-03-31T23:59:59.999+08:00');
  });

  it('hours and seconds: plain elapsed time', () => {
    expect(computeDeadline(cal, '2025-10-01T10:00:00+08:00', { amount: 24, unit: 'hours' })).toBe(
      '2025-10-02T02:00:00.000Z',
    );
    expect(computeDeadline(cal, 0, { amount: 1.5, unit: 'seconds' })).toBe('1970-01-01T00:00:01.500Z');
    expect(computeDeadlineMs(cal, 1000, { amount: 10, unit: 'seconds' })).toBe(11_000);
  });

  it('rejects bad durations and instants', () => {
    expect(() =>
      computeDeadline(cal, '2025-10-01T10:00:00+08:00', { amount: 1.5, unit: 'working_days' }),
    ).toThrow(RangeError);
    expect(() => computeDeadline(cal, '2025-10-01T10:00:00+08:00', { amount: -1, unit: 'hours' })).toThrow(
      RangeError,
    );
    expect(() => computeDeadline(cal, '2025-10-01 10:00', { amount: 1, unit: 'hours' })).toThrow(/offset/);
  });

  it('property: a working-day deadline ends a working China day exactly n working days later', () => {
    const start = fc.integer({
      min: parseInstant('2024-01-01T00:00:00+08:00'),
      max: parseInstant('2026-10-31T00:00:00+08:00'),
    });
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 30 }), (from, n) => {
        const deadline = computeDeadlineMs(cal, from, { amount: n, unit: 'working_days' });
        const day = chinaDateOf(deadline);
        expect(deadline).toBe(chinaDayEnd(day));
        expect(cal.isWorkingDay(day)).toBe(true);
        expect(cal.workingDaysBetween(chinaDateOf(from), day)).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('property: longer durations never give earlier deadlines', () => {
    const day = fc
      .integer({ min: toDayNumber('2024-01-01'), max: toDayNumber('2026-06-30') })
      .map(fromDayNumber);
    const unit = fc.constantFrom('working_days' as const, 'calendar_days' as const, 'months' as const);
    fc.assert(
      fc.property(day, unit, fc.integer({ min: 0, max: 20 }), (d, u, n) => {
        const from = `${d}T12:00:00+08:00`;
        expect(computeDeadlineMs(cal, from, { amount: n + 1, unit: u })).toBeGreaterThanOrEqual(
          computeDeadlineMs(cal, from, { amount: n, unit: u }),
        );
      }),
    );
  });
});

describe('reminderInstants', () => {
  const reminders = {
    fractions: [0.5, 0.75],
    yellowLast: { amount: 5, unit: 'working_days' as const },
    noticeHours: { start: '09:00', end: '17:30' },
  };

  it('gives the 50%/75% instants, the yellow start and the overdue instant', () => {
    const start = '2026-03-16T10:00:00+08:00';
    const deadline = computeDeadline(cal, start, { amount: 3, unit: 'months' }); // end of Tue 2026-06-16
    const s = reminderInstants(cal, start, deadline, reminders);
    const startMs = parseInstant(start);
    const span = parseInstant(deadline) - startMs;
    expect(s.reminders.map((r) => parseInstant(r.at))).toEqual([
      startMs + Math.floor(span / 2),
      startMs + Math.floor(span * 0.75),
    ]);
    // 50% falls on 2026-05-01 (Labour Day, 05-01..05-05 off): notice goes out Wednesday 05-06 09:00.
    expect(inChina(s.reminders[0]!.at).slice(0, 10)).toBe('2026-05-01');
    expect(inChina(s.reminders[0]!.notifyAt)).toBe('2026-05-06T09:00:00.000+08:00');
    // Last 5 working days: 06-10, 06-11, 06-12, 06-15, 06-16.
    expect(inChina(s.yellowFrom!)).toBe('2026-06-10T00:00:00.000+08:00');
    expect(inChina(s.yellowNotifyAt!)).toBe('2026-06-10T09:00:00.000+08:00');
    expect(inChina(s.overdueAt)).toBe('2026-06-17T00:00:00.000+08:00');
    expect(inChina(s.overdueNotifyAt)).toBe('2026-06-17T09:00:00.000+08:00');
  });

  it('counts the yellow window in working days across holidays', () => {
    // Deadline end of Friday 2025-10-10: the last 5 working days are 09-28 (make-up), 09-29, 09-30, 10-09, 10-10.
    const s = reminderInstants(cal, '2025-09-01T09:00:00+08:00', '2025-10-10T23:59:59.999+08:00', reminders);
    expect(inChina(s.yellowFrom!)).toBe('2025-09-28T00:00:00.000+08:00');
  });

  it('never starts the yellow window before the clock, and skips it when zero', () => {
    const start = '2026-03-16T10:00:00+08:00';
    const deadline = computeDeadline(cal, start, { amount: 3, unit: 'working_days' });
    expect(reminderInstants(cal, start, deadline, reminders).yellowFrom).toBe(
      new Date(parseInstant(start)).toISOString(),
    );
    const none = reminderInstants(cal, start, deadline, {
      ...reminders,
      yellowLast: { amount: 0, unit: 'working_days' },
    });
    expect(none.yellowFrom).toBeNull();
  });

  it('works in seconds for test policies (no notice hours)', () => {
    const s = reminderInstants(cal, '2026-03-16T02:00:00Z', '2026-03-16T02:00:10Z', {
      fractions: [0.5, 0.75],
      yellowLast: { amount: 2, unit: 'seconds' },
      noticeHours: null,
    });
    expect(s.reminders.map((r) => r.at)).toEqual(['2026-03-16T02:00:05.000Z', '2026-03-16T02:00:07.500Z']);
    expect(s.reminders.map((r) => r.notifyAt)).toEqual([
      '2026-03-16T02:00:05.000Z',
      '2026-03-16T02:00:07.500Z',
    ]);
    expect(s.yellowFrom).toBe('2026-03-16T02:00:08.000Z');
    expect(s.overdueAt).toBe('2026-03-16T02:00:10.001Z');
  });

  it('rejects a deadline before the start', () => {
    expect(() => reminderInstants(cal, '2026-03-16T02:00:10Z', '2026-03-16T02:00:00Z', reminders)).toThrow(
      RangeError,
    );
  });
});

describe('extendForPause', () => {
  it('pushes a working-day deadline by the working days paused', () => {
    // paused Mon 2025-09-29 .. Thu 2025-10-09: working days in (09-29, 10-09] = 09-30, 10-09 = 2
    const d = extendForPause(
      cal,
      '2025-10-14T23:59:59.999+08:00',
      '2025-09-29T10:00:00+08:00',
      '2025-10-09T10:00:00+08:00',
      'working_days',
    );
    expect(inChina(d)).toBe('2025-10-16T23:59:59.999+08:00');
  });

  it('pushes a month deadline by the calendar days paused, then off days off', () => {
    const d = extendForPause(
      cal,
      '2026-09-22T23:59:59.999+08:00',
      '2026-03-16T10:00:00+08:00',
      '2026-03-25T10:00:00+08:00',
      'months',
    );
    expect(inChina(d)).toBe('2026-10-08T23:59:59.999+08:00'); // 09-22 + 9 days = 10-01 (National Day) -> 10-08
  });

  it('pushes an elapsed deadline by the exact pause, and leaves it alone for an empty pause', () => {
    expect(
      extendForPause(cal, '2026-03-16T02:00:10Z', '2026-03-16T02:00:01Z', '2026-03-16T02:00:04Z', 'seconds'),
    ).toBe('2026-03-16T02:00:13.000Z');
    expect(
      extendForPause(
        cal,
        '2026-03-20T15:59:59.999Z',
        '2026-03-16T09:00:00+08:00',
        '2026-03-16T17:00:00+08:00',
        'working_days',
      ),
    ).toBe('2026-03-20T15:59:59.999Z');
  });

  it('works with a calendar without holidays', () => {
    const plain = WorkCalendar.weekdaysOnly();
    expect(
      inChina(computeDeadline(plain, '2025-09-30T10:00:00+08:00', { amount: 5, unit: 'working_days' })),
    ).toBe('2025-10-07T23:59:59.999+08:00');
  });
});
