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
import {
  chineseDaysHolidayName,
  chineseDaysYearRange,
  seedFromChineseDays,
} from '@jianyi/domain/src/calendar/seed';

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
  /** Requested years the package has no data for (not yet announced): provisional until loaded. */
  missing: number[];
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
  // A year an admin loaded from the State Council notice is left whole (its days are the notice's).
  const adminYears = new Set(
    (
      (await managerOf(db).query(`SELECT year FROM work_calendar_years WHERE source = 'admin'`)) as {
        year: number;
      }[]
    ).map((r) => r.year),
  );
  const incoming = new Map<string, CalendarDayKind>();
  for (const d of data.holidays) incoming.set(d, 'holiday');
  for (const d of data.workdays) incoming.set(d, 'workday');
  const days = [...incoming.keys()].filter((d) => !adminYears.has(Number(d.slice(0, 4)))).sort();
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
    // The seeded years are official; a year an admin loaded keeps its source.
    await m.query(
      `INSERT INTO work_calendar_years (year, source) SELECT y, 'chinese-days' FROM unnest($1::int[]) AS t(y)
       ON CONFLICT (year) DO NOTHING`,
      [years],
    );
    const missing: number[] = [];
    for (let y = Number(coverage.to.slice(0, 4)) + 1; y <= toYear; y += 1) missing.push(y);
    return {
      missing,
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
  const official = await officialYears(db);
  const data: WorkCalendarData = {
    holidays: rows.filter((r) => r.kind === 'holiday').map((r) => r.day),
    workdays: rows.filter((r) => r.kind === 'workday').map((r) => r.day),
    officialYears: official.map((y) => y.year),
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

// ---- official, provisional and missing years ----------------------------------------------------

export interface OfficialYear {
  year: number;
  source: 'chinese-days' | 'admin';
  loadedBy: string | null;
  loadedAt: string;
}

/** The years whose holidays are official (table `work_calendar_years`), ascending. */
export async function officialYears(db: Db): Promise<OfficialYear[]> {
  return managerOf(db).query(
    `SELECT year, source, loaded_by AS "loadedBy", to_char(loaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "loadedAt"
     FROM work_calendar_years ORDER BY year`,
  );
}

/**
 * official: the year's holidays come from chinese-days or were loaded by an admin.
 * provisional: not loaded, and next year or later (not announced yet): counted as ordinary weeks
 * until the notice is loaded; deadlines counted through it are marked provisional.
 * missing: not loaded although the year has begun (or is past): counted as ordinary weeks too, and
 * the calendar is wrong for it now; an admin should load it.
 */
export type CalendarYearState = 'official' | 'provisional' | 'missing';

export interface CalendarYearStatus {
  year: number;
  state: CalendarYearState;
  source: 'chinese-days' | 'admin' | null;
  loadedAt: string | null;
}

/** Each year from the first official one (or this year) to next year, plus every official year. */
export async function calendarYearStates(
  db: Db,
  today: string = chinaToday(),
): Promise<CalendarYearStatus[]> {
  const thisYear = Number(today.slice(0, 4));
  const official = await officialYears(db);
  const byYear = new Map(official.map((o) => [o.year, o]));
  const first = Math.min(official[0]?.year ?? thisYear, thisYear);
  const last = Math.max(official[official.length - 1]?.year ?? thisYear + 1, thisYear + 1);
  const out: CalendarYearStatus[] = [];
  for (let y = first; y <= last; y += 1) {
    const o = byYear.get(y);
    out.push({
      year: y,
      state: o ? 'official' : y > thisYear ? 'provisional' : 'missing',
      source: o?.source ?? null,
      loadedAt: o?.loadedAt ?? null,
    });
  }
  return out;
}

function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * When the table has no official year at all (a fresh or unseeded database), seeds every year the
 * chinese-days package has from 2024 on, so no process ever counts on a silently empty calendar.
 * Every process (API, notifier, worker) calls this at start and then reads only the table.
 * Returns the years seeded (empty when the table already had official years).
 */
export async function ensureCalendarSeeded(db: Db): Promise<number[]> {
  const rows: { n: number }[] = await managerOf(db).query(
    `SELECT count(*)::int AS n FROM work_calendar_years`,
  );
  if ((rows[0]?.n ?? 0) > 0) return [];
  const { last } = chineseDaysYearRange();
  const r = await seedCalendar(db, 2024, last);
  return r.years;
}

/**
 * The one calendar source of every process: the table, re-read at most every `ttlMs` (an admin's
 * change applies without a restart). `invalidate()` drops the cached copy (after a load).
 */
export function calendarSource(
  ds: DataSource,
  ttlMs = 60_000,
): (() => Promise<WorkCalendar>) & { invalidate: () => void } {
  let cached: { at: number; cal: WorkCalendar } | null = null;
  const get = async (): Promise<WorkCalendar> => {
    if (!cached || Date.now() - cached.at > ttlMs)
      cached = { at: Date.now(), cal: await loadWorkCalendar(ds) };
    return cached.cal;
  };
  return Object.assign(get, { invalidate: () => void (cached = null) });
}

// ---- loading a year (the State Council notice) ---------------------------------------------------

export interface NoticeDay {
  date: string;
  name?: string | null;
}
export interface CalendarNotice {
  holidays: NoticeDay[];
  workdays: NoticeDay[];
}
export interface NoticeFieldError {
  field: string;
  message: string;
  messageEn: string;
}

/**
 * Reads a notice in CSV: one day a line, `date,kind[,name]`, kind `holiday`/`休`/`放假` or
 * `workday`/`班`/`上班`; a header line (starting with `date` or `日期`) and blank lines are skipped.
 */
export function parseNoticeCsv(text: string): { notice: CalendarNotice; errors: NoticeFieldError[] } {
  const notice: CalendarNotice = { holidays: [], workdays: [] };
  const errors: NoticeFieldError[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || /^(date|日期)\b/i.test(line)) return;
    const [date = '', kind = '', ...rest] = line.split(/[,，\t]/).map((c) => c.trim());
    const name = rest.join(',').trim().slice(0, NAME_MAX);
    const k = kind.toLowerCase();
    if (['holiday', '休', '放假', '假'].includes(k)) notice.holidays.push({ date, name });
    else if (['workday', '班', '上班'].includes(k)) notice.workdays.push({ date, name });
    else
      errors.push({
        field: `csv[${i + 1}]`,
        message: `第 ${i + 1} 行:类型须为“休”或“班”(holiday/workday)`,
        messageEn: `line ${i + 1}: kind must be holiday or workday, got ${JSON.stringify(kind)}`,
      });
  });
  return { notice, errors };
}

/**
 * Checks a notice for one year: every date a real 'YYYY-MM-DD' of that year, no date twice, no date
 * both a holiday and a make-up working day, make-up working days on Saturdays or Sundays, at least
 * one holiday. Returns the field errors (empty when valid).
 */
export function validateNotice(year: number, notice: CalendarNotice): NoticeFieldError[] {
  const errors: NoticeFieldError[] = [];
  const seen = new Map<string, string>();
  const check = (list: NoticeDay[], field: 'holidays' | 'workdays') => {
    list.forEach((d, i) => {
      const f = `${field}[${i}].date`;
      if (!isCalendarDate(d.date)) {
        errors.push({
          field: f,
          message: '日期:格式须为 YYYY-MM-DD',
          messageEn: `not a YYYY-MM-DD date: ${JSON.stringify(d.date)}`,
        });
        return;
      }
      if (Number(d.date.slice(0, 4)) !== year) {
        errors.push({
          field: f,
          message: `日期:${d.date} 不在 ${year} 年`,
          messageEn: `${d.date} is not in ${year}`,
        });
        return;
      }
      const prior = seen.get(d.date);
      if (prior) {
        errors.push({
          field: f,
          message: prior === field ? `日期:${d.date} 重复` : `日期:${d.date} 不能既放假又上班`,
          messageEn:
            prior === field
              ? `${d.date} is listed twice`
              : `${d.date} is both a holiday and a make-up working day`,
        });
        return;
      }
      seen.set(d.date, field);
      if (field === 'workdays') {
        const dow = new Date(`${d.date}T00:00:00Z`).getUTCDay();
        if (dow !== 0 && dow !== 6)
          errors.push({
            field: f,
            message: `日期:调休上班日 ${d.date} 须为周六或周日`,
            messageEn: `make-up working day ${d.date} is not a Saturday or Sunday`,
          });
      }
    });
  };
  check(notice.holidays, 'holidays');
  check(notice.workdays, 'workdays');
  if (notice.holidays.length === 0)
    errors.push({ field: 'holidays', message: '放假日期:至少一天', messageEn: 'list at least one holiday' });
  return errors;
}

/**
 * Loads one year's holidays and make-up working days (an admin, from the State Council notice), in
 * the caller's transaction: the year's rows are replaced by the notice (source 'admin', so a later
 * re-seed keeps them) and the year becomes official. Validate with {@link validateNotice} first.
 * Returns the rows before and after (for the audit) and the previous state of the year.
 */
export async function loadCalendarYear(
  m: EntityManager,
  year: number,
  notice: CalendarNotice,
  by: string | null,
): Promise<{ before: { days: number; official: boolean }; after: { holidays: number; workdays: number } }> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('work_calendar_years'), $1)`, [year]);
  const prev: { n: number }[] = await m.query(
    `SELECT count(*)::int AS n FROM work_calendar_days WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)`,
    [year],
  );
  const wasOfficial: unknown[] = await m.query(`SELECT 1 FROM work_calendar_years WHERE year = $1`, [year]);
  await m.query(
    `DELETE FROM work_calendar_days WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)`,
    [year],
  );
  const days = [...notice.holidays, ...notice.workdays].map((d) => d.date);
  const kinds = [...notice.holidays.map(() => 'holiday'), ...notice.workdays.map(() => 'workday')];
  const names = [...notice.holidays, ...notice.workdays].map((d) => (d.name ?? '').slice(0, NAME_MAX));
  await m.query(
    `INSERT INTO work_calendar_days (day, kind, name, source, updated_by)
     SELECT d, k, n, 'admin', $4 FROM unnest($1::date[], $2::text[], $3::text[]) AS t(d, k, n)`,
    [days, kinds, names, by],
  );
  await m.query(
    `INSERT INTO work_calendar_years (year, source, loaded_by, loaded_at) VALUES ($1, 'admin', $2, now())
     ON CONFLICT (year) DO UPDATE SET source = 'admin', loaded_by = EXCLUDED.loaded_by, loaded_at = now()`,
    [year, by],
  );
  return {
    before: { days: prev[0]?.n ?? 0, official: wasOfficial.length > 0 },
    after: { holidays: notice.holidays.length, workdays: notice.workdays.length },
  };
}
