import type { EntityManager } from 'typeorm';
import { parseStationEvent, type StationEvent } from '@jianyi/domain';

/**
 * Appends a station record's event (约见, duty day, activity, training) to the outbox inside the
 * caller's transaction, keyed by the record's id. Same rules as appendOutbox (validated first; the
 * same advisory lock keeps outbox ids visible in id order; a re-append of the same event id is a no-op).
 */
export async function appendStationOutbox(manager: EntityManager, event: StationEvent): Promise<boolean> {
  const valid = parseStationEvent(event);
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('jianyi.outbox'))`);
  const rows: unknown[] = await manager.query(
    `INSERT INTO outbox (event_id, aggregate_id, type, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (event_id) DO NOTHING RETURNING id`,
    [valid.id, valid.recordId, valid.type, JSON.stringify(valid)],
  );
  return rows.length === 1;
}
