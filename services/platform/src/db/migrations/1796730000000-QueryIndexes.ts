import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the queries still slow at a million items (issue 13, bench/queries.bench.ts):
 * - `idx_assignments_unit_status` (unit_id, status, suggestion_id): the unit inbox's exact total
 *   (index-only count by unit and part state) and a unit's items as a set (supervision lists per
 *   unit, the 交办清单 export of a unit), without reading the assignments' rows;
 * - `idx_assignments_unit_later_rounds` (unit_id, suggestion_id) WHERE round > 1: the few parts of a
 *   later round, from which the inbox count subtracts the parts they replaced;
 * - `idx_suggestions_overdue_open` (open_deadline_at, id) WHERE overdue AND open: the flagged overdue
 *   open items with their deadline, index-only (a unit's overdue list joins it with its items);
 * - `idx_outbox_aggregate` (aggregate_id, id): the timeline, the rules' facts and the 交办会 read an
 *   item's events by its id; without it each read scans the whole outbox (several rows per item);
 * - `idx_assignments_assigned`, `idx_replies_first_sent` (first-round replies), `idx_evaluations_created`:
 *   the monthly trend (按月趋势, also in the 统计表 export) reads only its window's rows.
 *
 * Built CONCURRENTLY, outside a transaction (`transaction = false`): on a live million-item database
 * writes to suggestions, assignments and the outbox go on while each is built (tens of seconds). A
 * build that failed leaves an INVALID index of the name; it is dropped and built again.
 */
const INDEXES: [name: string, definition: string][] = [
  ['idx_assignments_unit_status', `"assignments" ("unit_id", "status", "suggestion_id")`],
  ['idx_assignments_unit_later_rounds', `"assignments" ("unit_id", "suggestion_id") WHERE "round" > 1`],
  [
    'idx_suggestions_overdue_open',
    `"suggestions" ("open_deadline_at", "id") WHERE "overdue" AND "status" IN ('assigned', 'handling', 'rehandling')`,
  ],
  ['idx_outbox_aggregate', `"outbox" ("aggregate_id", "id")`],
  ['idx_assignments_assigned', `"assignments" ("assigned_at")`],
  ['idx_replies_first_sent', `"replies" ("sent_at") WHERE "kind" = 'reply' AND "round" = 1`],
  ['idx_evaluations_created', `"evaluations" ("created_at")`],
];

export class QueryIndexes1796730000000 implements MigrationInterface {
  name = 'QueryIndexes1796730000000';
  transaction = false;

  public async up(q: QueryRunner): Promise<void> {
    for (const [name, definition] of INDEXES) {
      const invalid: unknown[] = await q.query(
        `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid`,
        [name],
      );
      if (invalid.length) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`);
      await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "${name}" ON ${definition}`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    // Plain DROP INDEX: a short lock, and it runs inside undoLastMigration's transaction too.
    for (const [name] of [...INDEXES].reverse()) await q.query(`DROP INDEX IF EXISTS "${name}"`);
  }
}
