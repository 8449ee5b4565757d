import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chinese full-text search (issue 12): a `simple` tsvector of the jieba segments on suggestions and
 * replies, written by the app (PostgreSQL cannot segment Chinese). A row written without it (by SQL, by a
 * worker that does not segment, or whose text changed) is marked unsegmented and announced on
 * `search_stale`; the API's indexer segments it, and until then searches match it by substring.
 * Also: each unit's remit (职责) text, and the reviewer's choice against the recommended units.
 */
export class TextSearch1796193946922 implements MigrationInterface {
  name = 'TextSearch1796193946922';

  public async up(q: QueryRunner): Promise<void> {
    for (const [table, text] of [
      ['suggestions', '(NEW.title, NEW.content) IS DISTINCT FROM (OLD.title, OLD.content)'],
      ['replies', 'NEW.body IS DISTINCT FROM OLD.body'],
    ] as const) {
      await q.query(
        `ALTER TABLE "${table}" ADD "search_tsv" tsvector, ADD "search_segmented" boolean NOT NULL DEFAULT false`,
      );
      await q.query(`CREATE INDEX "idx_${table}_search" ON "${table}" USING GIN ("search_tsv")`);
      await q.query(
        `CREATE INDEX "idx_${table}_unsegmented" ON "${table}" ("id") WHERE NOT "search_segmented"`,
      );
      await q.query(`
        CREATE FUNCTION ${table}_search_stale() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND ${text} AND NEW.search_tsv IS NOT DISTINCT FROM OLD.search_tsv THEN
            NEW.search_segmented := false;
          END IF;
          IF NOT NEW.search_segmented THEN PERFORM pg_notify('search_stale', '${table}'); END IF;
          RETURN NEW;
        END; $$`);
      await q.query(
        `CREATE TRIGGER ${table}_search_stale BEFORE INSERT OR UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${table}_search_stale()`,
      );
    }
    await q.query(
      `CREATE INDEX "idx_suggestions_regno_prefix" ON "suggestions" (lower("registration_no") text_pattern_ops)`,
    );
    await q.query(`ALTER TABLE "units" ADD "remit" text NOT NULL DEFAULT ''`);
    await q.query(`
      CREATE TABLE "unit_recommendations" (
        "id" uuid NOT NULL,
        "suggestion_id" uuid NOT NULL,
        "recommended_unit_ids" uuid array NOT NULL,
        "chosen_unit_id" uuid NOT NULL,
        "chosen_rank" integer,
        "decided_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_unit_recommendations" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "IDX_unit_recommendations_created" ON "unit_recommendations" ("created_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "unit_recommendations"`);
    await q.query(`ALTER TABLE "units" DROP COLUMN "remit"`);
    await q.query(`DROP INDEX "idx_suggestions_regno_prefix"`);
    for (const table of ['suggestions', 'replies']) {
      await q.query(`DROP TRIGGER ${table}_search_stale ON "${table}"`);
      await q.query(`DROP FUNCTION ${table}_search_stale()`);
      await q.query(`DROP INDEX "idx_${table}_unsegmented"`);
      await q.query(`DROP INDEX "idx_${table}_search"`);
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "search_segmented", DROP COLUMN "search_tsv"`);
    }
  }
}
