import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 届次 in the statistics (issue 9): the maintained aggregate (migration ScaleProjections) is keyed by the
 * congress session an item belongs to as well as its year. `congress_session_key(submitted_at)` is the
 * session whose dates hold the submission day (China time): its id; else the period between sessions
 * (闭会期间) of the term of the last session that ended before it (`interim:<term>`; before the first
 * recorded session, the term of the next one); '' when no session is recorded at all. The key is stored
 * in `stats_facts.session_key` and is a dimension of `stats_cube` / `stats_delta`; a change to the
 * sessions (an admin adds, moves or deletes one) refreshes the items whose key changed.
 */
export class StatsBySession1796400000000 implements MigrationInterface {
  name = 'StatsBySession1796400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION congress_session_key(at timestamptz) RETURNS varchar LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN at IS NULL THEN '' ELSE COALESCE(
          (SELECT cs.id::text FROM congress_sessions cs
            WHERE (at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN cs.starts_on AND cs.ends_on ORDER BY cs.starts_on LIMIT 1),
          (SELECT 'interim:' || cs.term FROM congress_sessions cs
            WHERE cs.ends_on < (at AT TIME ZONE 'Asia/Shanghai')::date ORDER BY cs.ends_on DESC LIMIT 1),
          (SELECT 'interim:' || cs.term FROM congress_sessions cs ORDER BY cs.starts_on LIMIT 1),
          '') END::varchar(64)
      $$`);
    await q.query(`ALTER TABLE "stats_facts" ADD "session_key" character varying(64) NOT NULL DEFAULT ''`);
    await q.query(`CREATE INDEX "idx_stats_facts_session_key" ON "stats_facts" ("session_key")`);
    await q.query(`ALTER TABLE "stats_cube" ADD "session_key" character varying(64) NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE "stats_cube" DROP CONSTRAINT "PK_stats_cube"`);
    await q.query(
      `ALTER TABLE "stats_cube" ADD CONSTRAINT "PK_stats_cube" PRIMARY KEY ("unit_id", "town", "session_year", "session_key")`,
    );
    await q.query(`ALTER TABLE "stats_delta" ADD "session_key" character varying(64) NOT NULL DEFAULT ''`);
    await q.query(`
      CREATE OR REPLACE VIEW stats_facts_live AS
      SELECT s.id AS suggestion_id, m.unit_id, COALESCE(d.town, '')::varchar(50) AS town, COALESCE(s.session_year, 0) AS session_year,
        s.status IN ('closed', 'published') AS closed,
        (r1.sent_at IS NOT NULL AND (m.first_deadline IS NULL OR r1.sent_at <= m.first_deadline)) AS on_time,
        rl.sent_at IS NOT NULL AS replied,
        (rl.sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM contacts c WHERE c.suggestion_id = s.id AND c.unit_id = m.unit_id
          AND c.contacted_on <= (rl.sent_at AT TIME ZONE 'Asia/Shanghai')::date AND c.form IN ('面商', '座谈', '视察', '走访'))) AS met,
        (rl.sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM contacts c WHERE c.suggestion_id = s.id AND c.unit_id = m.unit_id
          AND c.contacted_on <= (rl.sent_at AT TIME ZONE 'Asia/Shanghai')::date)) AS contacted,
        (rl.sent_at IS NOT NULL AND COALESCE(rl.category = 'A', false)) AS solved,
        (rl.sent_at IS NOT NULL AND COALESCE(rl.category IN ('A', 'B'), false)) AS solved_ab,
        ev.rating::varchar(20) AS rating,
        congress_session_key(s.submitted_at) AS session_key
      FROM suggestions s
      JOIN (SELECT a.suggestion_id, a.unit_id, (array_agg(a.deadline_at ORDER BY a.round))[1] AS first_deadline
            FROM assignments a WHERE a.role <> 'co' GROUP BY a.suggestion_id, a.unit_id HAVING bool_or(a.status <> 'reassigned')) m
        ON m.suggestion_id = s.id
      LEFT JOIN deputies d ON d.id = s.lead_deputy_id
      LEFT JOIN LATERAL (SELECT r.sent_at FROM replies r WHERE r.suggestion_id = s.id AND r.unit_id = m.unit_id AND r.kind = 'reply' AND r.round = 1 AND r.sent_at IS NOT NULL LIMIT 1) r1 ON true
      LEFT JOIN LATERAL (SELECT r.sent_at, r.category FROM replies r WHERE r.suggestion_id = s.id AND r.unit_id = m.unit_id AND r.kind = 'reply' AND r.sent_at IS NOT NULL ORDER BY r.round DESC LIMIT 1) rl ON true
      LEFT JOIN LATERAL (SELECT e.rating FROM evaluations e WHERE e.suggestion_id = s.id ORDER BY e.round DESC LIMIT 1) ev ON true
      WHERE s.merged_into_id IS NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION stats_delta_rows(rows stats_facts[], sgn integer)
      RETURNS SETOF stats_delta LANGUAGE sql STABLE AS $$
        SELECT NULL::bigint, f.unit_id, f.town, f.session_year, sgn, sgn * f.closed::int, sgn * f.on_time::int, sgn * f.replied::int,
          sgn * f.met::int, sgn * f.contacted::int, sgn * (f.rating IS NOT NULL)::int, sgn * COALESCE(f.rating = 'satisfied', false)::int,
          sgn * COALESCE(f.rating = 'basically_satisfied', false)::int, sgn * f.solved::int, sgn * f.solved_ab::int, f.session_key
        FROM unnest(rows) f
        UNION ALL
        SELECT NULL::bigint, '00000000-0000-0000-0000-000000000000'::uuid, min(f.town), min(f.session_year), sgn,
          sgn * bool_or(f.closed)::int, sgn * bool_and(f.on_time)::int, sgn * bool_and(f.replied)::int, sgn * bool_and(f.met)::int,
          sgn * bool_and(f.contacted)::int, sgn * (max(f.rating) IS NOT NULL)::int, sgn * COALESCE(max(f.rating) = 'satisfied', false)::int,
          sgn * COALESCE(max(f.rating) = 'basically_satisfied', false)::int, sgn * bool_and(f.solved)::int, sgn * bool_and(f.solved_ab)::int,
          min(f.session_key)
        FROM unnest(rows) f HAVING count(*) > 0
      $$`);
    await q.query(`
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
        WHERE s.id = sid AND s.open_deadline_at IS DISTINCT FROM x.d;
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
      END $$`);
    // The submission time decides the session: refresh when it changes too.
    await q.query(`DROP TRIGGER jianyi_refresh_update ON suggestions`);
    await q.query(`CREATE TRIGGER jianyi_refresh_update AFTER UPDATE OF status, session_year, merged_into_id, lead_deputy_id, round, submitted_at ON suggestions
      FOR EACH ROW WHEN ((OLD.status, OLD.session_year, OLD.merged_into_id, OLD.lead_deputy_id, OLD.round, OLD.submitted_at)
        IS DISTINCT FROM (NEW.status, NEW.session_year, NEW.merged_into_id, NEW.lead_deputy_id, NEW.round, NEW.submitted_at))
      EXECUTE FUNCTION jianyi_refresh_trigger()`);
    // The sessions changed (rare: an admin's edit): refresh the items whose session changed.
    await q.query(`
      CREATE FUNCTION jianyi_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM jianyi_refresh_suggestion(x.suggestion_id)
        FROM (SELECT DISTINCT f.suggestion_id FROM stats_facts f JOIN suggestions s ON s.id = f.suggestion_id
              WHERE f.session_key IS DISTINCT FROM congress_session_key(s.submitted_at)) x;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER jianyi_sessions_changed AFTER INSERT OR UPDATE OR DELETE ON congress_sessions
      FOR EACH STATEMENT EXECUTE FUNCTION jianyi_sessions_changed()`);
    await q.query(`
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
          RETURNING 1)
        SELECT count(*)::int FROM d
      $$`);
    await q.query(`
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
          GROUP BY unit_id, town, session_year, session_key;
      END $$`);
    await q.query(`SELECT stats_rebuild()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // Back to the year-only aggregate: the functions of ScaleProjections without the session key.
    await q.query(`DROP TRIGGER jianyi_sessions_changed ON congress_sessions`);
    await q.query(`DROP FUNCTION jianyi_sessions_changed()`);
    await q.query(`DROP TRIGGER jianyi_refresh_update ON suggestions`);
    await q.query(`CREATE TRIGGER jianyi_refresh_update AFTER UPDATE OF status, session_year, merged_into_id, lead_deputy_id, round ON suggestions
      FOR EACH ROW WHEN ((OLD.status, OLD.session_year, OLD.merged_into_id, OLD.lead_deputy_id, OLD.round)
        IS DISTINCT FROM (NEW.status, NEW.session_year, NEW.merged_into_id, NEW.lead_deputy_id, NEW.round))
      EXECUTE FUNCTION jianyi_refresh_trigger()`);
    await q.query(`DROP FUNCTION stats_rebuild()`);
    await q.query(`DROP FUNCTION stats_compact()`);
    await q.query(`DROP FUNCTION jianyi_refresh_suggestion(uuid)`);
    await q.query(`DROP FUNCTION stats_delta_rows(stats_facts[], integer)`);
    await q.query(`DROP VIEW stats_facts_live`);
    await q.query(`TRUNCATE stats_facts, stats_delta, stats_cube`);
    await q.query(`ALTER TABLE "stats_delta" DROP COLUMN "session_key"`);
    await q.query(`ALTER TABLE "stats_cube" DROP CONSTRAINT "PK_stats_cube"`);
    await q.query(`ALTER TABLE "stats_cube" DROP COLUMN "session_key"`);
    await q.query(
      `ALTER TABLE "stats_cube" ADD CONSTRAINT "PK_stats_cube" PRIMARY KEY ("unit_id", "town", "session_year")`,
    );
    await q.query(`DROP INDEX "idx_stats_facts_session_key"`);
    await q.query(`ALTER TABLE "stats_facts" DROP COLUMN "session_key"`);
    await q.query(`DROP FUNCTION congress_session_key(timestamptz)`);
    // ScaleProjections' view and functions, as it created them.
    await q.query(`
      CREATE VIEW stats_facts_live AS
      SELECT s.id AS suggestion_id, m.unit_id, COALESCE(d.town, '')::varchar(50) AS town, COALESCE(s.session_year, 0) AS session_year,
        s.status IN ('closed', 'published') AS closed,
        (r1.sent_at IS NOT NULL AND (m.first_deadline IS NULL OR r1.sent_at <= m.first_deadline)) AS on_time,
        rl.sent_at IS NOT NULL AS replied,
        (rl.sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM contacts c WHERE c.suggestion_id = s.id AND c.unit_id = m.unit_id
          AND c.contacted_on <= (rl.sent_at AT TIME ZONE 'Asia/Shanghai')::date AND c.form IN ('面商', '座谈', '视察', '走访'))) AS met,
        (rl.sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM contacts c WHERE c.suggestion_id = s.id AND c.unit_id = m.unit_id
          AND c.contacted_on <= (rl.sent_at AT TIME ZONE 'Asia/Shanghai')::date)) AS contacted,
        (rl.sent_at IS NOT NULL AND COALESCE(rl.category = 'A', false)) AS solved,
        (rl.sent_at IS NOT NULL AND COALESCE(rl.category IN ('A', 'B'), false)) AS solved_ab,
        ev.rating::varchar(20) AS rating
      FROM suggestions s
      JOIN (SELECT a.suggestion_id, a.unit_id, (array_agg(a.deadline_at ORDER BY a.round))[1] AS first_deadline
            FROM assignments a WHERE a.role <> 'co' GROUP BY a.suggestion_id, a.unit_id HAVING bool_or(a.status <> 'reassigned')) m
        ON m.suggestion_id = s.id
      LEFT JOIN deputies d ON d.id = s.lead_deputy_id
      LEFT JOIN LATERAL (SELECT r.sent_at FROM replies r WHERE r.suggestion_id = s.id AND r.unit_id = m.unit_id AND r.kind = 'reply' AND r.round = 1 AND r.sent_at IS NOT NULL LIMIT 1) r1 ON true
      LEFT JOIN LATERAL (SELECT r.sent_at, r.category FROM replies r WHERE r.suggestion_id = s.id AND r.unit_id = m.unit_id AND r.kind = 'reply' AND r.sent_at IS NOT NULL ORDER BY r.round DESC LIMIT 1) rl ON true
      LEFT JOIN LATERAL (SELECT e.rating FROM evaluations e WHERE e.suggestion_id = s.id ORDER BY e.round DESC LIMIT 1) ev ON true
      WHERE s.merged_into_id IS NULL`);
    await q.query(`
      CREATE FUNCTION stats_delta_rows(rows stats_facts[], sgn integer)
      RETURNS SETOF stats_delta LANGUAGE sql STABLE AS $$
        SELECT NULL::bigint, f.unit_id, f.town, f.session_year, sgn, sgn * f.closed::int, sgn * f.on_time::int, sgn * f.replied::int,
          sgn * f.met::int, sgn * f.contacted::int, sgn * (f.rating IS NOT NULL)::int, sgn * COALESCE(f.rating = 'satisfied', false)::int,
          sgn * COALESCE(f.rating = 'basically_satisfied', false)::int, sgn * f.solved::int, sgn * f.solved_ab::int
        FROM unnest(rows) f
        UNION ALL
        SELECT NULL::bigint, '00000000-0000-0000-0000-000000000000'::uuid, min(f.town), min(f.session_year), sgn,
          sgn * bool_or(f.closed)::int, sgn * bool_and(f.on_time)::int, sgn * bool_and(f.replied)::int, sgn * bool_and(f.met)::int,
          sgn * bool_and(f.contacted)::int, sgn * (max(f.rating) IS NOT NULL)::int, sgn * COALESCE(max(f.rating) = 'satisfied', false)::int,
          sgn * COALESCE(max(f.rating) = 'basically_satisfied', false)::int, sgn * bool_and(f.solved)::int, sgn * bool_and(f.solved_ab)::int
        FROM unnest(rows) f HAVING count(*) > 0
      $$`);
    await q.query(`
      CREATE FUNCTION jianyi_refresh_suggestion(sid uuid) RETURNS void LANGUAGE plpgsql AS $$
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
        WHERE s.id = sid AND s.open_deadline_at IS DISTINCT FROM x.d;
        fresh := ARRAY(SELECT ROW(v.*)::stats_facts FROM stats_facts_live v WHERE v.suggestion_id = sid ORDER BY v.unit_id);
        stored := ARRAY(SELECT f FROM stats_facts f WHERE f.suggestion_id = sid ORDER BY f.unit_id);
        IF fresh = stored THEN RETURN; END IF;
        DELETE FROM stats_facts WHERE suggestion_id = sid;
        INSERT INTO stats_facts SELECT * FROM unnest(fresh);
        INSERT INTO stats_delta (unit_id, town, session_year, assigned, closed, on_time, replied, met, contacted, evaluated,
            satisfied, basically_satisfied, solved, solved_ab)
          SELECT unit_id, town, session_year, assigned, closed, on_time, replied, met, contacted, evaluated, satisfied,
            basically_satisfied, solved, solved_ab
          FROM (SELECT * FROM stats_delta_rows(stored, -1) UNION ALL SELECT * FROM stats_delta_rows(fresh, 1)) d;
      END $$`);
    await q.query(`
      CREATE FUNCTION stats_compact() RETURNS integer LANGUAGE sql AS $$
        WITH d AS (DELETE FROM stats_delta RETURNING *),
        up AS (
          INSERT INTO stats_cube AS c (unit_id, town, session_year, assigned, closed, on_time, replied, met, contacted, evaluated,
              satisfied, basically_satisfied, solved, solved_ab)
          SELECT unit_id, town, session_year, sum(assigned), sum(closed), sum(on_time), sum(replied), sum(met), sum(contacted),
            sum(evaluated), sum(satisfied), sum(basically_satisfied), sum(solved), sum(solved_ab)
          FROM d GROUP BY unit_id, town, session_year
          ON CONFLICT (unit_id, town, session_year) DO UPDATE SET assigned = c.assigned + excluded.assigned,
            closed = c.closed + excluded.closed, on_time = c.on_time + excluded.on_time, replied = c.replied + excluded.replied,
            met = c.met + excluded.met, contacted = c.contacted + excluded.contacted, evaluated = c.evaluated + excluded.evaluated,
            satisfied = c.satisfied + excluded.satisfied, basically_satisfied = c.basically_satisfied + excluded.basically_satisfied,
            solved = c.solved + excluded.solved, solved_ab = c.solved_ab + excluded.solved_ab
          RETURNING 1)
        SELECT count(*)::int FROM d
      $$`);
    await q.query(`
      CREATE FUNCTION stats_rebuild() RETURNS void LANGUAGE plpgsql AS $$
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
        INSERT INTO stats_cube (unit_id, town, session_year, assigned, closed, on_time, replied, met, contacted, evaluated,
            satisfied, basically_satisfied, solved, solved_ab)
          SELECT unit_id, town, session_year, count(*), count(*) FILTER (WHERE closed), count(*) FILTER (WHERE on_time),
            count(*) FILTER (WHERE replied), count(*) FILTER (WHERE met), count(*) FILTER (WHERE contacted),
            count(rating), count(*) FILTER (WHERE rating = 'satisfied'), count(*) FILTER (WHERE rating = 'basically_satisfied'),
            count(*) FILTER (WHERE solved), count(*) FILTER (WHERE solved_ab)
          FROM (SELECT unit_id, town, session_year, closed, on_time, replied, met, contacted, solved, solved_ab, rating FROM stats_facts
                UNION ALL
                SELECT '00000000-0000-0000-0000-000000000000'::uuid, min(town), min(session_year), bool_or(closed), bool_and(on_time),
                  bool_and(replied), bool_and(met), bool_and(contacted), bool_and(solved), bool_and(solved_ab), max(rating)
                FROM stats_facts GROUP BY suggestion_id) f
          GROUP BY unit_id, town, session_year;
      END $$`);
    await q.query(`SELECT stats_rebuild()`);
  }
}
