import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly trend (按月趋势: GET /api/stats/trend and the 统计表 export's sheet) as a maintained
 * aggregate, kept by the database the way the statistics are (migration ScaleProjections): 11.9 s
 * for all items and 1.5 s for one unit at a million items when counted from the records.
 *
 * - `stats_trend_facts`: what one item contributes to the trend, one row per item × unit × month
 *   (China time), with the item's town, session year and 届次 key (the trend's filters). The unit
 *   `ITEM` (00000000-…) holds the item-level counts (each item once); a unit's rows its own:
 *   - received: ITEM: submitted in the month; a unit: its first part (any role) assigned in the month;
 *   - assigned: first assigned in the month (ITEM: the first part of any unit; a unit: its first part);
 *   - replied / on_time: first-round replies sent in the month, one per reply × the unit's first-round
 *     main part (主办/分办), and those sent by that part's deadline (or without one);
 *   - evaluated / satisfied: ratings recorded in the month (满意), for a unit when it has a main part.
 *   Merged items (并案) have none. The view `stats_trend_facts_live` computes them from the records
 *   (the definitions of `StatsRepository.trendFromRecords`).
 * - `stats_trend_cube` sums them per (unit, month, town, session year, 届次); changes are written as
 *   signed rows to `stats_trend_delta` and folded in by `stats_compact()`, as for `stats_cube`.
 * - `jianyi_refresh_suggestion(id)`, which every write to an item, its parts, replies, contacts,
 *   ratings, its lead deputy's town or the sessions already calls, now refreshes the item's trend
 *   rows too (`jianyi_refresh_trend`): it writes the difference, nothing when nothing changed.
 * - `stats_trend_rebuild()` recomputes everything set-based; `stats_rebuild()` calls it (bulk loaders
 *   that switch triggers off call `stats_rebuild()`). This migration fills the tables with it.
 */
const ITEM = `'00000000-0000-0000-0000-000000000000'::uuid`;
/** The first day of the month (China time) of an instant. */
const month = (col: string) => `(date_trunc('month', ${col} AT TIME ZONE 'Asia/Shanghai'))::date`;

const counts = `"received" integer NOT NULL DEFAULT 0, "assigned" integer NOT NULL DEFAULT 0, "replied" integer NOT NULL DEFAULT 0,
  "on_time" integer NOT NULL DEFAULT 0, "evaluated" integer NOT NULL DEFAULT 0, "satisfied" integer NOT NULL DEFAULT 0`;
const dims = `"unit_id" uuid NOT NULL, "month" date NOT NULL, "town" character varying(50) NOT NULL,
  "session_year" integer NOT NULL, "session_key" character varying(64) NOT NULL`;
const countNames = `received, assigned, replied, on_time, evaluated, satisfied`;
const sums = `sum(received)::int, sum(assigned)::int, sum(replied)::int, sum(on_time)::int, sum(evaluated)::int, sum(satisfied)::int`;

/** The session-aware refresh of migration StatsBySession, with the trend's refresh added (`withTrend`). */
const refreshSuggestion = (withTrend: boolean) => `
  CREATE OR REPLACE FUNCTION jianyi_refresh_suggestion(sid uuid) RETURNS void LANGUAGE plpgsql AS $$
  DECLARE
    fresh stats_facts[];
    stored stats_facts[];
  BEGIN
    IF sid IS NULL THEN RETURN; END IF;
    -- One refresh of an item at a time, each reading what the one before it committed.
    PERFORM pg_advisory_xact_lock(1795, hashtext(sid::text));
    UPDATE suggestions s SET open_deadline_at = x.d
    FROM (SELECT min(a.deadline_at) AS d FROM assignments a JOIN suggestions s2 ON s2.id = a.suggestion_id AND a.round = s2.round
          WHERE a.suggestion_id = sid AND a.status NOT IN ('replied', 'opinion_sent', 'reassigned')) x
    WHERE s.id = sid AND s.open_deadline_at IS DISTINCT FROM x.d;${withTrend ? `\n    PERFORM jianyi_refresh_trend(sid);` : ''}
    fresh := ARRAY(SELECT ROW(v.*)::stats_facts FROM stats_facts_live v WHERE v.suggestion_id = sid ORDER BY v.unit_id);
    stored := ARRAY(SELECT f FROM stats_facts f WHERE f.suggestion_id = sid ORDER BY f.unit_id);
    IF fresh = stored THEN RETURN; END IF;
    DELETE FROM stats_facts WHERE suggestion_id = sid;
    INSERT INTO stats_facts SELECT * FROM unnest(fresh);
    INSERT INTO stats_delta (unit_id, town, session_year, session_key, assigned, closed, on_time, replied, met, contacted, evaluated,
        satisfied, basically_satisfied, solved, solved_ab)
      SELECT unit_id, town, session_year, session_key, assigned, closed, on_time, replied, met, contacted, evaluated, satisfied,
        basically_satisfied, solved, solved_ab
      FROM (SELECT * FROM stats_delta_rows(stored, -1) UNION ALL SELECT * FROM stats_delta_rows(fresh, 1)) d;
  END $$`;

/** stats_compact() of migration StatsBySession; with the trend, its delta is folded in the same call. */
const compact = (withTrend: boolean) => `
  CREATE OR REPLACE FUNCTION stats_compact() RETURNS integer LANGUAGE sql AS $$
    WITH d AS (DELETE FROM stats_delta RETURNING *),
    up AS (
      INSERT INTO stats_cube AS c (unit_id, town, session_year, session_key, assigned, closed, on_time, replied, met, contacted, evaluated,
          satisfied, basically_satisfied, solved, solved_ab)
      SELECT unit_id, town, session_year, session_key, sum(assigned), sum(closed), sum(on_time), sum(replied), sum(met), sum(contacted),
        sum(evaluated), sum(satisfied), sum(basically_satisfied), sum(solved), sum(solved_ab)
      FROM d GROUP BY unit_id, town, session_year, session_key
      ON CONFLICT (unit_id, town, session_year, session_key) DO UPDATE SET assigned = c.assigned + excluded.assigned,
        closed = c.closed + excluded.closed, on_time = c.on_time + excluded.on_time, replied = c.replied + excluded.replied,
        met = c.met + excluded.met, contacted = c.contacted + excluded.contacted, evaluated = c.evaluated + excluded.evaluated,
        satisfied = c.satisfied + excluded.satisfied, basically_satisfied = c.basically_satisfied + excluded.basically_satisfied,
        solved = c.solved + excluded.solved, solved_ab = c.solved_ab + excluded.solved_ab
      RETURNING 1)${
        withTrend
          ? `,
    td AS (DELETE FROM stats_trend_delta RETURNING *),
    tup AS (
      INSERT INTO stats_trend_cube AS c (unit_id, month, town, session_year, session_key, ${countNames})
      SELECT unit_id, month, town, session_year, session_key, ${sums}
      FROM td GROUP BY unit_id, month, town, session_year, session_key
      ON CONFLICT (unit_id, month, town, session_year, session_key) DO UPDATE SET received = c.received + excluded.received,
        assigned = c.assigned + excluded.assigned, replied = c.replied + excluded.replied, on_time = c.on_time + excluded.on_time,
        evaluated = c.evaluated + excluded.evaluated, satisfied = c.satisfied + excluded.satisfied
      RETURNING 1)
    SELECT ((SELECT count(*) FROM d) + (SELECT count(*) FROM td))::int`
          : `
    SELECT count(*)::int FROM d`
      }
  $$`;

/** stats_rebuild() of migration StatsBySession; with the trend, it rebuilds that too. */
const rebuild = (withTrend: boolean) => `
  CREATE OR REPLACE FUNCTION stats_rebuild() RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE suggestions s SET open_deadline_at = x.d
    FROM (SELECT a.suggestion_id, min(a.deadline_at) AS d FROM assignments a JOIN suggestions s2 ON s2.id = a.suggestion_id AND a.round = s2.round
          WHERE a.status NOT IN ('replied', 'opinion_sent', 'reassigned') GROUP BY a.suggestion_id) x
    WHERE s.id = x.suggestion_id AND s.open_deadline_at IS DISTINCT FROM x.d;
    UPDATE suggestions s SET open_deadline_at = NULL WHERE s.open_deadline_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.suggestion_id = s.id AND a.round = s.round
        AND a.status NOT IN ('replied', 'opinion_sent', 'reassigned'));
    TRUNCATE stats_facts, stats_delta, stats_cube;
    INSERT INTO stats_facts SELECT * FROM stats_facts_live;
    INSERT INTO stats_cube (unit_id, town, session_year, session_key, assigned, closed, on_time, replied, met, contacted, evaluated,
        satisfied, basically_satisfied, solved, solved_ab)
      SELECT unit_id, town, session_year, session_key, count(*), count(*) FILTER (WHERE closed), count(*) FILTER (WHERE on_time),
        count(*) FILTER (WHERE replied), count(*) FILTER (WHERE met), count(*) FILTER (WHERE contacted),
        count(rating), count(*) FILTER (WHERE rating = 'satisfied'), count(*) FILTER (WHERE rating = 'basically_satisfied'),
        count(*) FILTER (WHERE solved), count(*) FILTER (WHERE solved_ab)
      FROM (SELECT unit_id, town, session_year, session_key, closed, on_time, replied, met, contacted, solved, solved_ab, rating FROM stats_facts
            UNION ALL
            SELECT '00000000-0000-0000-0000-000000000000'::uuid, min(town), min(session_year), min(session_key), bool_or(closed), bool_and(on_time),
              bool_and(replied), bool_and(met), bool_and(contacted), bool_and(solved), bool_and(solved_ab), max(rating)
            FROM stats_facts GROUP BY suggestion_id) f
      GROUP BY unit_id, town, session_year, session_key;${withTrend ? `\n    PERFORM stats_trend_rebuild();` : ''}
  END $$`;

/** The sessions changed: refresh the items whose 届次 changed (with the trend: its item rows too). */
const sessionsChanged = (withTrend: boolean) => `
  CREATE OR REPLACE FUNCTION jianyi_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM jianyi_refresh_suggestion(x.suggestion_id)
    FROM (SELECT DISTINCT f.suggestion_id FROM (SELECT f.suggestion_id, f.session_key FROM stats_facts f${
      withTrend
        ? `
            UNION ALL SELECT t.suggestion_id, t.session_key FROM stats_trend_facts t WHERE t.unit_id = ${ITEM}`
        : ''
    }) f
          JOIN suggestions s ON s.id = f.suggestion_id
          WHERE f.session_key IS DISTINCT FROM congress_session_key(s.submitted_at)) x;
    RETURN NULL;
  END $$`;

export class TrendAggregate1796800000000 implements MigrationInterface {
  name = 'TrendAggregate1796800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "stats_trend_facts" (
        "suggestion_id" uuid NOT NULL, ${dims}, ${counts},
        CONSTRAINT "PK_stats_trend_facts" PRIMARY KEY ("suggestion_id", "unit_id", "month")
      )`);
    await q.query(`
      CREATE TABLE "stats_trend_cube" (
        ${dims}, ${counts},
        CONSTRAINT "PK_stats_trend_cube" PRIMARY KEY ("unit_id", "month", "town", "session_year", "session_key")
      )`);
    await q.query(`
      CREATE TABLE "stats_trend_delta" (
        "id" BIGSERIAL NOT NULL, ${dims}, ${counts},
        CONSTRAINT "PK_stats_trend_delta" PRIMARY KEY ("id")
      )`);

    // What each item contributes, per unit and month, from the records (no filter dimensions: those
    // are the item's, joined once per item below). Every branch reads by suggestion id, so the
    // refresh of one item reads only its rows.
    await q.query(`
      CREATE VIEW stats_trend_events AS
      SELECT x.suggestion_id, x.unit_id, x.month, ${sums.replace(/sum\((\w+)\)::int/g, 'sum(x.$1)::int AS $1')}
      FROM (
        SELECT s.id AS suggestion_id, ${ITEM} AS unit_id, ${month('s.submitted_at')} AS month,
          1 AS received, 0 AS assigned, 0 AS replied, 0 AS on_time, 0 AS evaluated, 0 AS satisfied
        FROM suggestions s WHERE s.submitted_at IS NOT NULL
        UNION ALL
        SELECT a.suggestion_id, ${ITEM}, ${month('min(a.assigned_at)')}, 0, 1, 0, 0, 0, 0
        FROM assignments a GROUP BY a.suggestion_id
        UNION ALL
        SELECT a.suggestion_id, a.unit_id, ${month('min(a.assigned_at)')}, 1, 1, 0, 0, 0, 0
        FROM assignments a GROUP BY a.suggestion_id, a.unit_id
        UNION ALL
        SELECT r.suggestion_id, u.unit_id, ${month('r.sent_at')}, 0, 0, 1,
          (a.deadline_at IS NULL OR r.sent_at <= a.deadline_at)::int, 0, 0
        FROM replies r
        JOIN assignments a ON a.suggestion_id = r.suggestion_id AND a.unit_id = r.unit_id AND a.round = 1 AND a.role <> 'co'
        CROSS JOIN LATERAL (VALUES (${ITEM}), (r.unit_id)) u(unit_id)
        WHERE r.kind = 'reply' AND r.round = 1 AND r.sent_at IS NOT NULL
        UNION ALL
        SELECT e.suggestion_id, ${ITEM}, ${month('e.created_at')}, 0, 0, 0, 0, 1, (e.rating = 'satisfied')::int
        FROM evaluations e
        UNION ALL
        SELECT e.suggestion_id, m.unit_id, ${month('e.created_at')}, 0, 0, 0, 0, 1, (e.rating = 'satisfied')::int
        FROM evaluations e
        JOIN (SELECT DISTINCT a.suggestion_id, a.unit_id FROM assignments a WHERE a.role <> 'co') m ON m.suggestion_id = e.suggestion_id
      ) x
      GROUP BY x.suggestion_id, x.unit_id, x.month`);
    // With the item's filter dimensions, in the column order of stats_trend_facts.
    await q.query(`
      CREATE VIEW stats_trend_facts_live AS
      SELECT e.suggestion_id, e.unit_id, e.month, COALESCE(d.town, '')::varchar(50) AS town, COALESCE(s.session_year, 0) AS session_year,
        congress_session_key(s.submitted_at) AS session_key, e.received, e.assigned, e.replied, e.on_time, e.evaluated, e.satisfied
      FROM stats_trend_events e
      JOIN suggestions s ON s.id = e.suggestion_id
      LEFT JOIN deputies d ON d.id = s.lead_deputy_id
      WHERE s.merged_into_id IS NULL`);

    await q.query(`
      CREATE FUNCTION jianyi_refresh_trend(sid uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        fresh stats_trend_facts[];
        stored stats_trend_facts[];
      BEGIN
        fresh := ARRAY(SELECT ROW(v.*)::stats_trend_facts FROM stats_trend_facts_live v WHERE v.suggestion_id = sid ORDER BY v.unit_id, v.month);
        stored := ARRAY(SELECT f FROM stats_trend_facts f WHERE f.suggestion_id = sid ORDER BY f.unit_id, f.month);
        IF fresh = stored THEN RETURN; END IF;
        DELETE FROM stats_trend_facts WHERE suggestion_id = sid;
        INSERT INTO stats_trend_facts SELECT * FROM unnest(fresh);
        -- The difference per cell (a reply sent changes one month's row, not the item's other rows).
        INSERT INTO stats_trend_delta (unit_id, month, town, session_year, session_key, ${countNames})
          SELECT unit_id, month, town, session_year, session_key, ${sums.replace(/sum\((\w+)\)/g, 'sum(sgn * $1)')}
          FROM (SELECT -1 AS sgn, * FROM unnest(stored) UNION ALL SELECT 1, * FROM unnest(fresh)) d
          GROUP BY unit_id, month, town, session_year, session_key
          HAVING (${countNames.replace(/(\w+)/g, 'sum(sgn * $1)')}) IS DISTINCT FROM (0, 0, 0, 0, 0, 0);
      END $$`);

    await q.query(`
      CREATE FUNCTION stats_trend_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        -- A million items: the grouping fits in memory instead of spilling in 4 MB pieces.
        PERFORM set_config('work_mem', '256MB', true);
        TRUNCATE stats_trend_facts, stats_trend_delta, stats_trend_cube;
        -- The items' dimensions once per item (the 届次 key is a function of the sessions), not per row.
        INSERT INTO stats_trend_facts
          WITH k AS MATERIALIZED (
            SELECT s.id, COALESCE(d.town, '')::varchar(50) AS town, COALESCE(s.session_year, 0) AS session_year,
              congress_session_key(s.submitted_at) AS session_key
            FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id WHERE s.merged_into_id IS NULL)
          SELECT e.suggestion_id, e.unit_id, e.month, k.town, k.session_year, k.session_key, e.received, e.assigned, e.replied,
            e.on_time, e.evaluated, e.satisfied
          FROM stats_trend_events e JOIN k ON k.id = e.suggestion_id;
        INSERT INTO stats_trend_cube (unit_id, month, town, session_year, session_key, ${countNames})
          SELECT unit_id, month, town, session_year, session_key, ${sums}
          FROM stats_trend_facts GROUP BY unit_id, month, town, session_year, session_key;
      END $$`);

    await q.query(refreshSuggestion(true));
    await q.query(compact(true));
    await q.query(rebuild(true));
    await q.query(sessionsChanged(true));
    await q.query(`SELECT stats_trend_rebuild()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(sessionsChanged(false));
    await q.query(rebuild(false));
    await q.query(compact(false));
    await q.query(refreshSuggestion(false));
    await q.query(`DROP FUNCTION stats_trend_rebuild()`);
    await q.query(`DROP FUNCTION jianyi_refresh_trend(uuid)`);
    await q.query(`DROP VIEW stats_trend_facts_live`);
    await q.query(`DROP VIEW stats_trend_events`);
    await q.query(`DROP TABLE "stats_trend_delta"`);
    await q.query(`DROP TABLE "stats_trend_cube"`);
    await q.query(`DROP TABLE "stats_trend_facts"`);
  }
}
