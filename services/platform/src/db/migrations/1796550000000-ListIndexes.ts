import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the list filters that were slow at a million items (issue 13, bench/queries.bench.ts):
 * a status filter (the 交办会 page: accepted items by registration number; a status by last change or
 * by creation) and a session (届次 year) filter each walked the whole sort index and dropped most rows.
 * With (filter column, sort column, id) the page is a range of one index. Plain CREATE INDEX: on a
 * million items each takes seconds and blocks writes to suggestions meanwhile (run the upgrade's
 * migration job in a quiet hour, README "Deploying").
 */
export class ListIndexes1796550000000 implements MigrationInterface {
  name = 'ListIndexes1796550000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "idx_suggestions_status_updated" ON "suggestions" ("status", "updated_at", "id")`,
    );
    await q.query(
      `CREATE INDEX "idx_suggestions_status_created" ON "suggestions" ("status", "created_at", "id")`,
    );
    await q.query(
      `CREATE INDEX "idx_suggestions_status_regno" ON "suggestions" ("status", "registration_no", "id")`,
    );
    await q.query(
      `CREATE INDEX "idx_suggestions_session_created" ON "suggestions" ("session_year", "created_at", "id")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_suggestions_session_created"`);
    await q.query(`DROP INDEX "idx_suggestions_status_regno"`);
    await q.query(`DROP INDEX "idx_suggestions_status_created"`);
    await q.query(`DROP INDEX "idx_suggestions_status_updated"`);
  }
}
