import type { EntityManager } from 'typeorm';
import { parseEvent, type SuggestionEvent } from '@jianyi/domain';

/**
 * Appends an event to the outbox inside the caller's transaction. The event is validated against
 * its contract first, so nothing malformed is ever stored. Re-appending the same event id (an
 * activity retried after a crash) is a no-op.
 */
export async function appendOutbox(manager: EntityManager, event: SuggestionEvent): Promise<boolean> {
  const valid = parseEvent(event);
  // Outbox ids must become visible in id order: the tracker resumes SSE clients by id, and a row
  // with a lower id committed after a higher one would be skipped. Holding this lock from insert to
  // commit serializes event-writing transactions (they are short; see bench/ for the throughput).
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('jianyi.outbox'))`);
  const rows: unknown[] = await manager.query(
    `INSERT INTO outbox (event_id, aggregate_id, type, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (event_id) DO NOTHING RETURNING id`,
    [valid.id, valid.suggestionId, valid.type, JSON.stringify(valid)],
  );
  return rows.length === 1;
}
