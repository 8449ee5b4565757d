import type { DataSource, EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFromChineseDays } from '@jianyi/domain/src/calendar/seed';
import { openDataSource } from '../src';
import {
  listCalendarDays,
  loadWorkCalendar,
  loadWorkCalendarData,
  seedCalendar,
  setCalendarDay,
} from '../src/db/calendar';

// The database is shared with other tests and the dev stack: every test runs in a transaction that is
// rolled back, starting from an empty work_calendar_days inside it.
let ds: DataSource;
beforeAll(async () => {
  ds = await openDataSource();
});
afterAll(async () => {
  await ds?.destroy();
});

async function rolledBack(fn: (m: EntityManager) => Promise<void>): Promise<void> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  await qr.startTransaction();
  try {
    await qr.manager.query('DELETE FROM work_calendar_days');
    await fn(qr.manager);
  } finally {
    await qr.rollbackTransaction();
    await qr.release();
  }
}

/** Every row with its physical tuple id: an UPDATE, even to the same values, changes the ctid. */
const snapshot = (m: EntityManager): Promise<unknown[]> =>
  m.query(
    `SELECT day::text AS day, kind, name, source, updated_by, updated_at, ctid::text AS ctid FROM work_calendar_days ORDER BY day`,
  );

describe('seedCalendar', () => {
  it('writes the chinese-days data and is idempotent', async () => {
    await rolledBack(async (m) => {
      const expected = seedFromChineseDays(2025, 2026);
      const first = await seedCalendar(m, 2025, 2026);
      expect(first).toMatchObject({
        inserted: expected.holidays.length + expected.workdays.length,
        updated: 0,
        removed: 0,
        keptAdmin: 0,
      });
      expect(first.coverage).toEqual({ from: '2025-01-01', to: '2026-12-31' });
      const rows = await listCalendarDays(m, 2026);
      expect(rows.find((r) => r.day === '2026-10-01')).toMatchObject({
        kind: 'holiday',
        name: '国庆节',
        source: 'chinese-days',
        updatedBy: null,
      });
      expect(rows.find((r) => r.day === '2026-02-14')).toMatchObject({
        kind: 'workday',
        name: '春节',
        source: 'chinese-days',
      });

      const before = await snapshot(m);
      const second = await seedCalendar(m, 2025, 2026);
      expect(second).toMatchObject({ inserted: 0, updated: 0, removed: 0 });
      expect(await snapshot(m)).toEqual(before);
    });
  });

  it('never overwrites an admin row, and removes chinese-days rows the package no longer lists', async () => {
    await rolledBack(async (m) => {
      await seedCalendar(m, 2026, 2026);
      await setCalendarDay(m, { day: '2026-10-01', kind: 'workday', name: '本地调整', by: null }); // a package holiday made a working day
      await setCalendarDay(m, { day: '2026-02-14', kind: 'holiday', name: '', by: null }); // a package make-up day made a day off
      await setCalendarDay(m, { day: '2026-01-01', kind: 'normal', by: null }); // a package holiday made an ordinary Thursday
      await setCalendarDay(m, { day: '2026-12-31', kind: 'holiday', name: '本地假日', by: null }); // not in the package
      await m.query(
        `INSERT INTO work_calendar_days (day, kind, name, source) VALUES ('2026-03-03', 'holiday', 'stale', 'chinese-days')`,
      );

      const again = await seedCalendar(m, 2026, 2026);
      expect(again).toMatchObject({ inserted: 0, updated: 0, removed: 1, keptAdmin: 3 });
      const rows = new Map((await listCalendarDays(m, 2026)).map((r) => [r.day, r]));
      expect(rows.get('2026-10-01')).toMatchObject({ kind: 'workday', name: '本地调整', source: 'admin' });
      expect(rows.get('2026-02-14')).toMatchObject({ kind: 'holiday', source: 'admin' });
      expect(rows.get('2026-01-01')).toMatchObject({ kind: 'normal', source: 'admin' });
      expect(rows.get('2026-12-31')).toMatchObject({ kind: 'holiday', name: '本地假日', source: 'admin' });
      expect(rows.has('2026-03-03')).toBe(false);

      const cal = await loadWorkCalendar(m);
      expect(cal.isWorkingDay('2026-10-01')).toBe(true);
      expect(cal.isWorkingDay('2026-02-14')).toBe(false);
      expect(cal.isWorkingDay('2026-01-01')).toBe(true);
      expect(cal.isWorkingDay('2026-10-02')).toBe(false); // untouched package holiday
    });
  });

  it('refuses years the package has no data for', async () => {
    await rolledBack(async (m) => {
      await expect(seedCalendar(m, 1990, 1991)).rejects.toThrow(RangeError);
    });
  });
});

describe('setCalendarDay', () => {
  it('returns before and after for the audit, and "normal" deletes a day the package does not list', async () => {
    await rolledBack(async (m) => {
      const set = await setCalendarDay(m, { day: '2026-12-31', kind: 'holiday', name: '本地假日', by: null });
      expect(set.before).toBeNull();
      expect(set.after).toMatchObject({
        day: '2026-12-31',
        kind: 'holiday',
        name: '本地假日',
        source: 'admin',
      });
      const changed = await setCalendarDay(m, { day: '2026-12-31', kind: 'workday', by: null });
      expect(changed.before).toMatchObject({ kind: 'holiday' });
      expect(changed.after).toMatchObject({ kind: 'workday', name: '' });
      const cleared = await setCalendarDay(m, { day: '2026-12-31', kind: 'normal', by: null });
      expect(cleared).toMatchObject({ before: { kind: 'workday' }, after: null });
      expect(await listCalendarDays(m, 2026)).toEqual([]);
      await expect(setCalendarDay(m, { day: '2026-02-30', kind: 'holiday', by: null })).rejects.toThrow(
        RangeError,
      );
    });
  });
});

describe('loadWorkCalendar', () => {
  it('reflects an admin override: a holiday on 2026-12-31 is skipped by addWorkingDays', async () => {
    await rolledBack(async (m) => {
      await seedCalendar(m, 2026, 2026);
      const plain = await loadWorkCalendar(m);
      expect(plain.addWorkingDays('2026-12-30', 1)).toBe('2026-12-31');
      expect(plain.isWorkingDay('2026-02-14')).toBe(true); // 调休上班 (Saturday)
      expect(plain.isWorkingDay('2026-02-16')).toBe(false); // 春节
      expect(plain.coverage).toEqual({ from: '2026-01-01', to: '2026-12-31' });

      await setCalendarDay(m, { day: '2026-12-31', kind: 'holiday', name: '本地假日', by: null });
      const cal = await loadWorkCalendar(m);
      expect(cal.isWorkingDay('2026-12-31')).toBe(false);
      const next = cal.addWorkingDays('2026-12-30', 1);
      expect(next > '2026-12-31').toBe(true);
      expect(next).toBe(cal.nextWorkingDay('2026-12-31'));
    });
  });

  it('covers the run of consecutive years around the latest seeded year', async () => {
    await rolledBack(async (m) => {
      expect((await loadWorkCalendarData(m)).coverage).toBeUndefined();
      await seedCalendar(m, 2023, 2023);
      await seedCalendar(m, 2025, 2026);
      await setCalendarDay(m, { day: '2027-01-04', kind: 'holiday', by: null }); // an admin row in the next year extends the run
      const data = await loadWorkCalendarData(m);
      expect(data.coverage).toEqual({ from: '2025-01-01', to: '2027-12-31' });
      expect(data.holidays).toContain('2023-10-01');
      expect(data.holidays).toContain('2027-01-04');
    });
  });
});
