import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 (queries at a million items): indexes for every list and supervision query, the open
 * deadline of each item as a column kept by the database, and the statistics (办理统计) as a
 * maintained aggregate.
 *
 * - `suggestions.open_deadline_at`: the earliest deadline among the current round's parts that are
 *   still open (not replied, opinion not sent, not re-assigned away). The supervision lists
 *   (逾期, 临期) read it through one partial index in deadline order instead of probing every item.
 * - `stats_facts`: one row per item × main handling unit (主办/分办) with the flags the rates count,
 *   exactly as the view `stats_facts_live` computes them from the records (the definitions of
 *   stats.repository.ts). `stats_cube` holds the counts summed per (unit, town, session); the
 *   item-level counts (by town or session each item counts once) have the unit `ITEM`
 *   (00000000-…). Every change is written as signed rows to `stats_delta` (insert-only, so no two
 *   transactions wait on one counter), and `stats_compact()` folds them into the cube; a reader
 *   sums cube + delta in one snapshot, so a figure is never stale nor counted twice.
 * - One row trigger per source table calls `jianyi_refresh_suggestion(id)`, which recomputes the
 *   item's facts and open deadline and writes the difference (nothing when nothing changed).
 *   `stats_rebuild()` recomputes everything set-based (used here and by bulk loaders that switch
 *   triggers off with `session_replication_role = replica`).
 */
export class ScaleProjections1796193865202 implements MigrationInterface {
  name = 'ScaleProjections1796193865202';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "suggestions" ADD "open_deadline_at" TIMESTAMP WITH TIME ZONE`);
    // Lists: the sort columns with the id as tie-breaker (keyset pagination walks these).
    await q.query(`CREATE INDEX "idx_suggestions_updated" ON "suggestions" ("updated_at", "id")`);
    await q.query(`CREATE INDEX "idx_suggestions_created" ON "suggestions" ("created_at", "id")`);
    await q.query(`CREATE INDEX "idx_suggestions_submitted" ON "suggestions" ("submitted_at", "id")`);
    await q.query(`CREATE INDEX "idx_suggestions_open_deadline" ON "suggestions" ("open_deadline_at", "id")`);
    await q.query(`CREATE INDEX "idx_suggestions_overdue" ON "suggestions" ("id") WHERE overdue`);
    await q.query(
      `CREATE INDEX "idx_suggestions_key" ON "suggestions" ("updated_at", "id") WHERE key_supervision`,
    );
    // Public replies: only published, not confidential, not merged items, newest first.
    await q.query(
      `CREATE INDEX "idx_suggestions_public" ON "suggestions" ("updated_at", "id") WHERE status = 'published' AND confidential = false AND merged_into_id IS NULL`,
    );
    await q.query(`CREATE INDEX "idx_cosigners_deputy" ON "suggestion_cosigners" ("deputy_id")`);
    await q.query(`CREATE INDEX "idx_assignments_unit_assigned" ON "assignments" ("unit_id", "assigned_at")`);
    await q.query(`CREATE INDEX "idx_replies_unit" ON "replies" ("unit_id", "suggestion_id")`);

    await q.query(`
      CREATE TABLE "stats_facts" (
        "suggestion_id" uuid NOT NULL,
        "unit_id" uuid NOT NULL,
        "town" character varying(50) NOT NULL,
        "session_year" integer NOT NULL,
        "closed" boolean NOT NULL,
        "on_time" boolean NOT NULL,
        "replied" boolean NOT NULL,
        "met" boolean NOT NULL,
        "contacted" boolean NOT NULL,
        "solved" boolean NOT NULL,
        "solved_ab" boolean NOT NULL,
        "rating" character varying(20),
        CONSTRAINT "PK_stats_facts" PRIMARY KEY ("suggestion_id", "unit_id")
      )`);
    await q.query(`CREATE INDEX "idx_stats_facts_unit" ON "stats_facts" ("unit_id")`);
    await q.query(`CREATE INDEX "idx_stats_facts_town" ON "stats_facts" ("town")`);
    await q.query(`CREATE INDEX "idx_stats_facts_session" ON "stats_facts" ("session_year")`);
    const counts = `"assigned" integer NOT NULL DEFAULT 0, "closed" integer NOT NULL DEFAULT 0, "on_time" integer NOT NULL DEFAULT 0,
        "replied" integer NOT NULL DEFAULT 0, "met" integer NOT NULL DEFAULT 0, "contacted" integer NOT NULL DEFAULT 0,
        "evaluated" integer NOT NULL DEFAULT 0, "satisfied" integer NOT NULL DEFAULT 0, "basically_satisfied" integer NOT NULL DEFAULT 0,
        "solved" integer NOT NULL DEFAULT 0, "solved_ab" integer NOT NULL DEFAULT 0`;
    await q.query(`
      CREATE TABLE "stats_cube" (
        "unit_id" uuid NOT NULL, "town" character varying(50) NOT NULL, "session_year" integer NOT NULL, ${counts},
        CONSTRAINT "PK_stats_cube" PRIMARY KEY ("unit_id", "town", "session_year")
      )`);
    await q.query(`
      CREATE TABLE "stats_delta" (
        "id" BIGSERIAL NOT NULL, "unit_id" uuid NOT NULL, "town" character varying(50) NOT NULL, "session_year" integer NOT NULL, ${counts},
        CONSTRAINT "PK_stats_delta" PRIMARY KEY ("id")
      )`);

    // The facts, from the records (the definitions of stats.repository.ts).
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

    // Signed count rows of some facts: one per unit row, and one item-level row (unit ITEM).
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
      CREATE FUNCTION jianyi_refresh_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'suggestions' THEN
          PERFORM jianyi_refresh_suggestion(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
        ELSIF TG_TABLE_NAME = 'deputies' THEN
          PERFORM jianyi_refresh_suggestion(s.id) FROM suggestions s WHERE s.lead_deputy_id = NEW.id;
        ELSE
          IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM jianyi_refresh_suggestion(OLD.suggestion_id); END IF;
          IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.suggestion_id IS DISTINCT FROM OLD.suggestion_id) THEN
            PERFORM jianyi_refresh_suggestion(NEW.suggestion_id);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER jianyi_refresh AFTER INSERT OR DELETE ON suggestions FOR EACH ROW EXECUTE FUNCTION jianyi_refresh_trigger()`,
    );
    await q.query(`CREATE TRIGGER jianyi_refresh_update AFTER UPDATE OF status, session_year, merged_into_id, lead_deputy_id, round ON suggestions
      FOR EACH ROW WHEN ((OLD.status, OLD.session_year, OLD.merged_into_id, OLD.lead_deputy_id, OLD.round)
        IS DISTINCT FROM (NEW.status, NEW.session_year, NEW.merged_into_id, NEW.lead_deputy_id, NEW.round))
      EXECUTE FUNCTION jianyi_refresh_trigger()`);
    for (const t of ['assignments', 'replies', 'contacts', 'evaluations'])
      await q.query(
        `CREATE TRIGGER jianyi_refresh AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION jianyi_refresh_trigger()`,
      );
    await q.query(`CREATE TRIGGER jianyi_refresh AFTER UPDATE OF town ON deputies FOR EACH ROW
      WHEN (OLD.town IS DISTINCT FROM NEW.town) EXECUTE FUNCTION jianyi_refresh_trigger()`);

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

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS jianyi_refresh ON deputies`);
    for (const t of ['assignments', 'replies', 'contacts', 'evaluations', 'suggestions'])
      await q.query(`DROP TRIGGER IF EXISTS jianyi_refresh ON ${t}`);
    await q.query(`DROP TRIGGER IF EXISTS jianyi_refresh_update ON suggestions`);
    await q.query(`DROP FUNCTION stats_rebuild()`);
    await q.query(`DROP FUNCTION stats_compact()`);
    await q.query(`DROP FUNCTION jianyi_refresh_trigger()`);
    await q.query(`DROP FUNCTION jianyi_refresh_suggestion(uuid)`);
    await q.query(`DROP FUNCTION stats_delta_rows(stats_facts[], integer)`);
    await q.query(`DROP VIEW stats_facts_live`);
    await q.query(`DROP TABLE "stats_delta"`);
    await q.query(`DROP TABLE "stats_cube"`);
    await q.query(`DROP TABLE "stats_facts"`);
    for (const i of [
      'idx_replies_unit',
      'idx_assignments_unit_assigned',
      'idx_cosigners_deputy',
      'idx_suggestions_public',
      'idx_suggestions_key',
      'idx_suggestions_overdue',
      'idx_suggestions_open_deadline',
      'idx_suggestions_submitted',
      'idx_suggestions_created',
      'idx_suggestions_updated',
    ])
      await q.query(`DROP INDEX "${i}"`);
    await q.query(`ALTER TABLE "suggestions" DROP COLUMN "open_deadline_at"`);
  }
}
