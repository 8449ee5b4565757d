/**
 * The working-day calendar as data (docs/process.md, "Working days"): the table `work_calendar_days`
 * lists the days that differ from the Monday–Friday rule. It is seeded from the `chinese-days`
 * package (source 'chinese-days') and edited by an admin (source 'admin'); a seed never overwrites
 * an admin row, so an admin's decision survives every later re-seed.
 *
 * Kinds of rows:
 * - 'holiday': a day off (public holiday, or a weekday moved into a holiday);
 * - 'workday': a working day, normally a make-up working day (调休上班日) on a weekend;
 * - 'normal' (admin rows only): the admin made a day that chinese-days lists as a holiday or make-up
 *   working day an ordinary day again (the weekday/weekend rule applies). It is kept as a row only so
 *   a re-seed does not bring the package's entry back; {@link loadWorkCalendar} ignores it.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { WorkCalendar, type WorkCalendarData, isCalendarDate } from '@jianyi/domain';
import { chineseDaysHolidayName, seedFromChineseDays } from '@jianyi/domain/src/calendar/seed';

export type CalendarDayKind = 'holiday' | 'workday';
export type CalendarDayChoice = CalendarDayKind | 'normal';

export interface CalendarDayRow {
  day: string;
  kind: CalendarDayKind | 'normal';
  name: string;
  source: 'chinese-days' | 'admin';
  updatedBy: string | null;
  updatedAt: string;
}

type Db = DataSource | EntityManager;

const managerOf = (db: Db): EntityManager => ('manager' in db ? db.manager : db);
/** A transaction of its own for a DataSource; a savepoint inside the caller's transaction for an EntityManager. */
const inTransaction = <T>(db: Db, fn: (m: EntityManager) => Promise<T>): Promise<T> =>
  managerOf(db).transaction(fn);

const NAME_MAX = 50;
const ROW_COLUMNS = `day::text AS day, kind, name, source, updated_by AS "updatedBy", to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

export interface SeedCalendarResult {
  /** The years written: fromYear up to the last consecutive year chinese-days has data for. */
  coverage: { from: string; to: string };
  years: number[];
  /** Rows added, changed and removed (chinese-days rows of the covered years that the package no longer lists). */
  inserted: number;
  updated: number;
  removed: number;
  /** Days the package lists that were left alone because an admin set them. */
  keptAdmin: number;
}

/**
 * Upserts the chinese-days data for fromYear..toYear (inclusive; years the package has no data for
 * at the end of the range are left out, see `seedFromChineseDays`). Rows with source 'admin' are
 * never touched. Idempotent: a second run with the same package changes no row (not even updated_at).
 * Throws a RangeError when the package has no data for `fromYear` or the range is bad.
 */
export async function seedCalendar(db: Db, fromYear: number, toYear: number): Promise<SeedCalendarResult> {
  const data = seedFromChineseDays(fromYear, toYear);
  const coverage = data.coverage!;
  const incoming = new Map<string, CalendarDayKind>();
  for (const d of data.holidays) incoming.set(d, 'holiday');
  for (const d of data.workdays) incoming.set(d, 'workday');
  const days = [...incoming.keys()].sort();
  const kinds = days.map((d) => incoming.get(d)!);
  const names = days.map((d) => (chineseDaysHolidayName(d) ?? '').slice(0, NAME_MAX));

  return inTransaction(db, async (m) => {
    const kept: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM work_calendar_days WHERE source = 'admin' AND day = ANY($1::date[])`,
      [days],
    );
    const written: { inserted: boolean }[] = await m.query(
      `INSERT INTO work_calendar_days (day, kind, name, source, updated_by)
       SELECT d, k, n, 'chinese-days', NULL FROM unnest($1::date[], $2::text[], $3::text[]) AS t(d, k, n)
       ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, source = 'chinese-days', updated_by = NULL, updated_at = now()
       WHERE work_calendar_days.source <> 'admin'
         AND (work_calendar_days.kind, work_calendar_days.name) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name)
       RETURNING (xmax = 0) AS inserted`,
      [days, kinds, names],
    );
    // (Wrapped in a SELECT: TypeORM's query() answers a bare DELETE with [rows, rowCount].)
    const removed: { n: number }[] = await m.query(
      `WITH gone AS (
         DELETE FROM work_calendar_days
         WHERE source = 'chinese-days' AND day BETWEEN $1::date AND $2::date AND NOT (day = ANY($3::date[]))
         RETURNING day)
       SELECT count(*)::int AS n FROM gone`,
      [coverage.from, coverage.to, days],
    );
    const inserted = written.filter((w) => w.inserted).length;
    const years: number[] = [];
    for (let y = fromYear; y <= Number(coverage.to.slice(0, 4)); y += 1) years.push(y);
    return {
      coverage,
      years,
      inserted,
      updated: written.length - inserted,
      removed: removed[0]?.n ?? 0,
      keptAdmin: kept[0]?.n ?? 0,
    };
  });
}

/** The years that have rows: all of them, and those with chinese-days rows (the seeded years). Ascending. */
export async function calendarYears(db: Db): Promise<{ all: number[]; seeded: number[] }> {
  const rows: { year: number; seeded: boolean }[] = await managerOf(db).query(
    `SELECT extract(year FROM day)::int AS year, bool_or(source = 'chinese-days') AS seeded
     FROM work_calendar_days GROUP BY 1 ORDER BY 1`,
  );
  return { all: rows.map((r) => r.year), seeded: rows.filter((r) => r.seeded).map((r) => r.year) };
}

/** The rows of one year (every kind and source), by day. */
export async function listCalendarDays(db: Db, year: number): Promise<CalendarDayRow[]> {
  return managerOf(db).query(
    `SELECT ${ROW_COLUMNS} FROM work_calendar_days WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1) ORDER BY day`,
    [year],
  );
}

/**
 * The calendar data in the table, as plain JSON (hand it to workflows). The coverage is the run of
 * consecutive years present in the table that contains the latest seeded year (or, with no seeded
 * year, the latest run); with an empty table there is no coverage.
 */
export async function loadWorkCalendarData(db: Db): Promise<WorkCalendarData> {
  const rows: { day: string; kind: string }[] = await managerOf(db).query(
    `SELECT day::text AS day, kind FROM work_calendar_days WHERE kind IN ('holiday', 'workday') ORDER BY day`,
  );
  const { all, seeded } = await calendarYears(db);
  const data: WorkCalendarData = {
    holidays: rows.filter((r) => r.kind === 'holiday').map((r) => r.day),
    workdays: rows.filter((r) => r.kind === 'workday').map((r) => r.day),
  };
  const anchor = seeded.length ? seeded[seeded.length - 1]! : all[all.length - 1];
  if (anchor !== undefined) {
    const present = new Set(all);
    let from = anchor;
    let to = anchor;
    while (present.has(from - 1)) from -= 1;
    while (present.has(to + 1)) to += 1;
    data.coverage = {
      from: `${String(from).padStart(4, '0')}-01-01`,
      to: `${String(to).padStart(4, '0')}-12-31`,
    };
  }
  return data;
}

/** A {@link WorkCalendar} built from the table (see {@link loadWorkCalendarData}). */
export async function loadWorkCalendar(db: Db): Promise<WorkCalendar> {
  return new WorkCalendar(await loadWorkCalendarData(db));
}

export interface SetCalendarDayInput {
  day: string;
  kind: CalendarDayChoice;
  name?: string | null;
  /** The admin's user id. */
  by: string | null;
}

/**
 * An admin's decision about one day, written with source 'admin' so a re-seed keeps it. 'normal'
 * makes the weekday/weekend rule apply: the row is deleted, or, when chinese-days lists the day
 * (so a re-seed would bring it back), kept as an admin row of kind 'normal'. Call it inside a
 * transaction and audit `before`/`after` (null = no row) in the same transaction.
 */
export async function setCalendarDay(
  manager: EntityManager,
  input: SetCalendarDayInput,
): Promise<{ before: CalendarDayRow | null; after: CalendarDayRow | null }> {
  if (!isCalendarDate(input.day))
    throw new RangeError(`not a 'YYYY-MM-DD' date: ${JSON.stringify(input.day)}`);
  const name = (input.name ?? '').slice(0, NAME_MAX);
  const beforeRows: CalendarDayRow[] = await manager.query(
    `SELECT ${ROW_COLUMNS} FROM work_calendar_days WHERE day = $1::date FOR UPDATE`,
    [input.day],
  );
  const before = beforeRows[0] ?? null;
  if (input.kind === 'normal' && chineseDaysHolidayName(input.day) === undefined) {
    await manager.query(`DELETE FROM work_calendar_days WHERE day = $1::date`, [input.day]);
    return { before, after: null };
  }
  const afterRows: CalendarDayRow[] = await manager.query(
    `INSERT INTO work_calendar_days (day, kind, name, source, updated_by, updated_at) VALUES ($1::date, $2, $3, 'admin', $4, now())
     ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, source = 'admin', updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING ${ROW_COLUMNS}`,
    [input.day, input.kind, name, input.by],
  );
  return { before, after: afterRows[0] ?? null };
}
