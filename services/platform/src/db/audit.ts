import type { EntityManager } from 'typeorm';

export interface AuditInput {
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  requestId?: string | null;
}

/** Writes one audit row in the caller's transaction, so the action and its record commit together. */
export async function audit(manager: EntityManager, input: AuditInput): Promise<void> {
  await manager.query(
    `INSERT INTO audit_log (actor_user_id, actor_role, action, entity_type, entity_id, before, after, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      input.actorUserId,
      input.actorRole,
      input.action,
      input.entityType,
      input.entityId,
      input.before == null ? null : JSON.stringify(input.before),
      input.after == null ? null : JSON.stringify(input.after),
      input.requestId ?? null,
    ],
  );
}
