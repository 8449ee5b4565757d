import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin lists (issue 15): paged and searched on the server, at a province's size (~130,000 deputies,
 * as many accounts).
 *
 * Search is a substring match on Chinese names, which are two or three characters: pg_trgm cannot use
 * its index for a pattern under three characters (and Debian has no pg_bigm for PostgreSQL 15). So
 * `search_grams(text)` gives the distinct characters and character pairs (lower case, no whitespace)
 * of a text, a GIN index holds them for each row's searchable fields, and a search asks for the rows
 * whose grams hold all the keyword's (`@>`), then checks the substring itself (ILIKE).
 *
 * Units get their 单位类别 (`kind`); existing ones are classed from their names (镇/乡/街道 →
 * township, 法院/检察院 → judicial, else government), which an admin corrects on /admin/units.
 * Accounts get indexes on their deputy and unit (the deputy list counts each deputy's accounts; the
 * user list filters by unit); deputies on their list order and on the delegation filter.
 */
export class AdminListSearch1796710000000 implements MigrationInterface {
  name = 'AdminListSearch1796710000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION search_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT g), '{}'::text[])
        FROM (SELECT substr(s, i, n) AS g
              FROM (SELECT lower(t) AS s) x, generate_series(1, 2) n, generate_series(1, char_length(s) - n + 1) i) y
        WHERE g !~ '\\s'
      $$`);
    await q.query(
      `CREATE INDEX "idx_deputies_search" ON "deputies" USING GIN (search_grams(name || ' ' || town || ' ' || delegation))`,
    );
    await q.query(
      `CREATE INDEX "idx_users_search" ON "users" USING GIN (search_grams(username || ' ' || display_name || ' ' || coalesce(email, '')))`,
    );
    await q.query(`CREATE INDEX "idx_deputies_town_name" ON "deputies" ("town", "name", "id")`);
    await q.query(
      `CREATE INDEX "idx_deputies_delegation" ON "deputies" ("delegation", "town", "name", "id")`,
    );
    await q.query(`CREATE INDEX "idx_users_deputy" ON "users" ("deputy_id")`);
    await q.query(`CREATE INDEX "idx_users_unit" ON "users" ("unit_id")`);
    await q.query(`ALTER TABLE "units" ADD "kind" character varying(16) NOT NULL DEFAULT 'government'`);
    await q.query(
      `UPDATE "units" SET "kind" = 'township' WHERE "name" ~ '(镇|乡|街道|街道办事处)(人民政府)?$'`,
    );
    await q.query(`UPDATE "units" SET "kind" = 'judicial' WHERE "name" ~ '(法院|检察院)$'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "units" DROP COLUMN "kind"`);
    await q.query(`DROP INDEX "idx_users_unit"`);
    await q.query(`DROP INDEX "idx_users_deputy"`);
    await q.query(`DROP INDEX "idx_deputies_delegation"`);
    await q.query(`DROP INDEX "idx_deputies_town_name"`);
    await q.query(`DROP INDEX "idx_users_search"`);
    await q.query(`DROP INDEX "idx_deputies_search"`);
    await q.query(`DROP FUNCTION search_grams(text)`);
  }
}
