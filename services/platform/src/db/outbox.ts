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

/**
 * Appends many events in one statement (a 交办会 writes hundreds in one transaction), in the order
 * given; each validated as in `appendOutbox`. Returns the ids of the events that were new.
 */
export async function appendOutboxMany(
  manager: EntityManager,
  events: SuggestionEvent[],
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const valid = events.map(parseEvent);
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('jianyi.outbox'))`);
  const rows: { event_id: string }[] = await manager.query(
    `INSERT INTO outbox (event_id, aggregate_id, type, payload)
     SELECT e, a, t, p FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::jsonb[]) WITH ORDINALITY AS x(e, a, t, p, n)
     ORDER BY n
     ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [
      valid.map((v) => v.id),
      valid.map((v) => v.suggestionId),
      valid.map((v) => v.type),
      valid.map((v) => JSON.stringify(v)),
    ],
  );
  return new Set(rows.map((r) => r.event_id));
}
