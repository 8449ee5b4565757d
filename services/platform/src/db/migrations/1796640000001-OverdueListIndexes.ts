import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The overdue list at a million items (issue 13): overdue (`overdue OR open_deadline_at < now()`) is
 * a few percent of the items and mostly old ones, so walking the newest-first index dropped tens of
 * thousands of rows, and materialising the overdue set to sort it took 2-3 s. The list now reads two
 * arms merged in order (suggestion.repository.ts): the flagged items newest first from
 * `idx_suggestions_overdue_created`, and the few whose open deadline has passed but whose flag is not
 * set yet (the timer has not fired) from `idx_suggestions_due_unflagged`.
 */
export class OverdueListIndexes1796640000001 implements MigrationInterface {
  name = 'OverdueListIndexes1796640000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS "idx_suggestions_overdue_created" ON "suggestions" ("created_at", "id") WHERE "overdue"`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS "idx_suggestions_due_unflagged" ON "suggestions" ("open_deadline_at") WHERE NOT "overdue"`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_suggestions_due_unflagged"`);
    await q.query(`DROP INDEX "idx_suggestions_overdue_created"`);
  }
}
