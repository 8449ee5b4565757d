import type { EntityManager } from 'typeorm';
import { parseEvent, type SuggestionEvent } from '@jianyi/domain';

/**
 * Appends an event to the outbox inside the caller's transaction. The event is validated against
 * its contract first, so nothing malformed is ever stored. Re-appending the same event id (an
 * activity retried after a crash) is a no-op.
 */
export async function appendOutbox(manager: EntityManager, event: SuggestionEvent): Promise<boolean> {
  const valid = parseEvent(event);
  const rows: unknown[] = await manager.query(
    `INSERT INTO outbox (event_id, aggregate_id, type, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (event_id) DO NOTHING RETURNING id`,
    [valid.id, valid.suggestionId, valid.type, JSON.stringify(valid)],
  );
  return rows.length === 1;
}
