import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  chinaDateOf,
  chinaDayEnd,
  chinaDayStart,
  chinaTimeOfDay,
  civilFromDays,
  dayOfWeek,
  daysFromCivil,
  formatChinaInstant,
  formatInstant,
  fromDayNumber,
  isCalendarDate,
  parseInstant,
  parseTimeOfDay,
  toDayNumber,
} from './civil';

// Tests may use Date as an oracle; the code under test does not.
const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

describe('civil dates', () => {
  it('day numbers match Date.UTC and round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 2_000_000 }), (n) => {
        const { year, month, day } = civilFromDays(n);
        expect(daysFromCivil(year, month, day)).toBe(n);
        expect(Date.UTC(year, month - 1, day) / 86_400_000).toBe(n);
      }),
    );
  });

  it('formats and parses YYYY-MM-DD', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(fromDayNumber(0)).toBe('1970-01-01');
    expect(fromDayNumber(toDayNumber('2024-02-29'))).toBe('2024-02-29');
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2024-2-9')).toBe(false);
    expect(() => toDayNumber('2025-13-01')).toThrow(RangeError);
    expect(() => toDayNumber('2025-02-30')).toThrow(/no such calendar date/);
  });

  it('knows the day of week', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4); // Thursday
    expect(dayOfWeek('2025-09-28')).toBe(0); // Sunday
    expect(dayOfWeek('2026-02-14')).toBe(6); // Saturday
    fc.assert(
      fc.property(fc.integer({ min: -50_000, max: 100_000 }), (n) => {
        expect(dayOfWeek(fromDayNumber(n))).toBe(new Date(n * 86_400_000).getUTCDay());
      }),
    );
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('adds months, clamping to the month end', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-08-31', 1)).toBe('2025-09-30');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2025-12-15', 3)).toBe('2026-03-15');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-10-10', 0)).toBe('2025-10-10');
  });
});

describe('instants and China time', () => {
  it('formatInstant matches Date#toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_MS, max: MAX_MS }), (ms) => {
        expect(formatInstant(ms)).toBe(new Date(ms).toISOString());
      }),
    );
  });

  it('parseInstant agrees with Date.parse on strings with an offset', () => {
    const offsets = fc.constantFrom('Z', '+08:00', '-05:00', '+05:45', '+0800', '+00:00');
    fc.assert(
      fc.property(fc.integer({ min: MIN_MS, max: MAX_MS }), offsets, (ms, offset) => {
        const iso = new Date(ms).toISOString().replace('Z', offset);
        expect(parseInstant(iso)).toBe(Date.parse(iso));
        expect(parseInstant(formatChinaInstant(ms))).toBe(ms);
      }),
    );
  });

  it('accepts short forms and rejects strings without an offset', () => {
    expect(parseInstant('2026-03-01T09:30+08:00')).toBe(Date.parse('2026-03-01T01:30:00Z'));
    expect(parseInstant('2026-03-01T09:30:00.123456+08:00')).toBe(Date.parse('2026-03-01T01:30:00.123Z'));
    expect(parseInstant(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(() => parseInstant('2026-03-01T09:30:00')).toThrow(/offset/);
    expect(() => parseInstant('2026-03-01')).toThrow(RangeError);
    expect(() => parseInstant('2026-02-30T00:00:00Z')).toThrow(RangeError);
    expect(() => parseInstant(1.5)).toThrow(RangeError);
  });

  it('converts instants to China dates with a fixed +8h offset', () => {
    expect(chinaDateOf('2026-02-28T15:59:59.999Z')).toBe('2026-02-28');
    expect(chinaDateOf('2026-02-28T16:00:00Z')).toBe('2026-03-01');
    expect(chinaDateOf('2026-03-01T00:00:00+08:00')).toBe('2026-03-01');
    expect(chinaDateOf(Date.UTC(2025, 11, 31, 16))).toBe('2026-01-01');
    expect(formatInstant(chinaDayStart('2026-01-05'))).toBe('2026-01-04T16:00:00.000Z');
    expect(formatChinaInstant(chinaDayEnd('2026-01-05'))).toBe('2026-01-05T23:59:59.999+08:00');
    expect(chinaTimeOfDay('2026-01-05T09:30:00+08:00')).toBe(9.5 * 3_600_000);
  });

  it('chinaDayStart/chinaDayEnd bracket every instant of the China day', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_MS, max: MAX_MS }), (ms) => {
        const d = chinaDateOf(ms);
        expect(chinaDayStart(d)).toBeLessThanOrEqual(ms);
        expect(chinaDayEnd(d)).toBeGreaterThanOrEqual(ms);
        expect(chinaDateOf(chinaDayStart(d))).toBe(d);
        expect(chinaDateOf(chinaDayEnd(d))).toBe(d);
      }),
    );
  });

  it('parses times of day', () => {
    expect(parseTimeOfDay('09:00')).toBe(9 * 3_600_000);
    expect(parseTimeOfDay('24:00')).toBe(24 * 3_600_000);
    expect(() => parseTimeOfDay('9:00')).toThrow(RangeError);
    expect(() => parseTimeOfDay('12:60')).toThrow(RangeError);
  });
});
