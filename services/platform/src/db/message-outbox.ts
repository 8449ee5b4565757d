import type { EntityManager } from 'typeorm';
import { parseMessageEvent, type MessageEvent } from '@jianyi/domain';

/**
 * Appends a constituent message's event to the outbox inside the caller's transaction, keyed by
 * the message id. Same rules as appendOutbox (validated first; the same advisory lock keeps outbox
 * ids visible in id order; a re-append of the same event id is a no-op).
 */
export async function appendMessageOutbox(manager: EntityManager, event: MessageEvent): Promise<boolean> {
  const valid = parseMessageEvent(event);
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('jianyi.outbox'))`);
  const rows: unknown[] = await manager.query(
    `INSERT INTO outbox (event_id, aggregate_id, type, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (event_id) DO NOTHING RETURNING id`,
    [valid.id, valid.messageId, valid.type, JSON.stringify(valid)],
  );
  return rows.length === 1;
}
