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

/** Writes many audit rows in one statement, in the caller's transaction. */
export async function auditMany(manager: EntityManager, inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const col = <T>(f: (i: AuditInput) => T) => inputs.map(f);
  const json = (v: Record<string, unknown> | null | undefined) => (v == null ? null : JSON.stringify(v));
  await manager.query(
    `INSERT INTO audit_log (actor_user_id, actor_role, action, entity_type, entity_id, before, after, request_id)
     SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::jsonb[], $7::jsonb[], $8::varchar[])`,
    [
      col((i) => i.actorUserId),
      col((i) => i.actorRole),
      col((i) => i.action),
      col((i) => i.entityType),
      col((i) => i.entityId),
      col((i) => json(i.before)),
      col((i) => json(i.after)),
      col((i) => i.requestId ?? null),
    ],
  );
}
