import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyword search at a million items (issues 12 and 13): with the RUM index access method (the `rum`
 * extension, Debian's postgresql-15-rum) the suggestions' search index keeps each word's positions, so
 * `ORDER BY search_tsv <=> query LIMIT n` returns the best-ranked matches straight from the index;
 * with GIN every match is fetched from the table and ranked (`ts_rank_cd`), seconds for a common word.
 *
 * RUM is used when the extension is installed in the database (it needs a superuser: infra/stack.sh
 * creates it, a deployer runs `CREATE EXTENSION rum`, README "What a deployer provides") or when the
 * migrating role may create it; otherwise the GIN index stays and search ranks as before. The index
 * keeps its name either way (`idx_suggestions_search`, declared `synchronize: false` on the entity), so
 * the schema generated from the entities matches both. The API reads which kind it is
 * (services/api/src/search.ts). Installing rum later: create the extension, then run this migration's
 * `up` again (revert it and migrate), which rebuilds the index.
 */
export class RumSearch1796640000000 implements MigrationInterface {
  name = 'RumSearch1796640000000';

  public async up(q: QueryRunner): Promise<void> {
    const [state]: { installed: boolean; available: boolean; superuser: boolean }[] = await q.query(
      `SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'rum') AS installed,
              EXISTS (SELECT FROM pg_available_extensions WHERE name = 'rum') AS available,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`,
    );
    if (!state!.installed) {
      if (!state!.available || !state!.superuser) return;
      await q.query(`CREATE EXTENSION IF NOT EXISTS rum`);
    }
    await q.query(`DROP INDEX "idx_suggestions_search"`);
    await q.query(
      `CREATE INDEX "idx_suggestions_search" ON "suggestions" USING rum ("search_tsv" rum_tsvector_ops)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    const [row]: { am: string }[] = await q.query(
      `SELECT am.amname AS am FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'idx_suggestions_search'`,
    );
    if (row?.am !== 'rum') return;
    await q.query(`DROP INDEX "idx_suggestions_search"`);
    await q.query(`CREATE INDEX "idx_suggestions_search" ON "suggestions" USING GIN ("search_tsv")`);
  }
}
