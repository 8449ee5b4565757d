/**
 * 交办会 (bulk assignment) in one transaction: the reviewer's one action on many items is checked and
 * written at once — each item's assignment rows, status, deadline, outbox event (`suggestion.assigned`)
 * and audit row — instead of one workflow step with three activities per item. Each item is refused
 * whole (not found, not accepted any more) with its reason, or written whole; a retry of the activity
 * writes nothing twice (event and row ids are derived from the batch and the item).
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appendOutboxMany, auditMany } from '@jianyi/platform';
import {
  decide,
  type Actor,
  type PolicyDeadlineName,
  type SuggestionEvent,
  type SuggestionStatus,
} from '@jianyi/domain';
import type {
  Assignment,
  PlannedAssignment,
  PlannedClock,
  PlannedUnitPolicy,
  UnitRole,
} from '../workflows/suggestion.messages';

export interface AssignManyInput {
  /** The batch workflow's id: with the item's id it fixes the event and row ids, so a retry is a no-op. */
  batchId: string;
  actor: Actor;
  /** When the batch assigned (the batch workflow's time): every unit's clock counts from it. */
  startedAt: string;
  items: { suggestionId: string; assignment: Assignment }[];
}
/** One written item, its units' plans by key (a batch shares a few plans: it stays a small payload). */
export type WrittenItem = Omit<
  PlannedAssignment,
  'batchId' | 'actor' | 'startedAt' | 'units' | 'unitPolicy'
> & {
  units: (Omit<PlannedAssignment['units'][number], 'plan'> & { planKey: string })[];
  policyKey: string;
};
export interface AssignManyResult {
  written: WrittenItem[];
  plans: Record<string, PlannedClock>;
  unitPolicies: Record<string, PlannedUnitPolicy>;
  refused: { suggestionId: string; status: 403 | 404 | 409; zh: string; en: string }[];
}

/** A UUID fixed by its parts (sha-256, shaped as a version-8 UUID). */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const unitsOf = (a: Assignment): { unitId: string; role: UnitRole }[] =>
  a.mode === 'separate'
    ? a.unitIds.map((unitId) => ({ unitId, role: 'separate' as const }))
    : [
        { unitId: a.leadUnitId, role: 'lead' as const },
        ...a.coUnitIds.map((unitId) => ({ unitId, role: 'co' as const })),
      ];

export async function assignMany(
  ds: DataSource,
  plan: {
    clock: (policyVersion: string, clock: PolicyDeadlineName, start: string) => Promise<PlannedClock>;
    unitPolicy: (policyVersion: string, start: string, capFrom: string) => Promise<PlannedUnitPolicy>;
  },
  input: AssignManyInput,
): Promise<AssignManyResult> {
  const { batchId, actor, startedAt } = input;
  const ids = input.items.map((i) => i.suggestionId);
  return ds.transaction(async (m) => {
    // Rows locked in id order: two batches over the same items cannot deadlock, and a workflow step
    // on one of them (withdraw, or a single assignment) waits for this transaction and then finds it assigned.
    const rows: { id: string; status: SuggestionStatus; policy: string; lead: string }[] = await m.query(
      `SELECT id, status, policy_version AS policy, lead_deputy_id AS lead FROM suggestions
       WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    // Items whose status changed before the policy was kept on the row: the policy their workflow wrote last.
    const unknown = rows.filter((r) => !r.policy).map((r) => r.id);
    if (unknown.length) {
      const found: { id: string; policy: string }[] = await m.query(
        `SELECT DISTINCT ON (aggregate_id) aggregate_id AS id, payload->>'policyVersion' AS policy
         FROM outbox WHERE aggregate_id = ANY($1::uuid[]) ORDER BY aggregate_id, id DESC`,
        [unknown],
      );
      for (const f of found) rows.find((r) => r.id === f.id)!.policy = f.policy;
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const eventIdOf = (id: string) => stableUuid(batchId, id, 'assigned');
    // Written by an earlier attempt of this activity (committed, then the answer was lost).
    const done = new Set(
      (
        (await m.query(`SELECT aggregate_id AS id FROM outbox WHERE event_id = ANY($1::uuid[])`, [
          ids.map(eventIdOf),
        ])) as { id: string }[]
      ).map((r) => r.id),
    );
    const cosigners: { sid: string; did: string }[] = await m.query(
      `SELECT suggestion_id AS sid, deputy_id AS did FROM suggestion_cosigners
       WHERE suggestion_id = ANY($1::uuid[]) ORDER BY created_at`,
      [ids],
    );
    const result: AssignManyResult = { written: [], plans: {}, unitPolicies: {}, refused: [] };
    // Plans depend only on the policy and the clock: the whole batch shares a few.
    const clockOf = async (policy: string, clock: PolicyDeadlineName) => {
      const k = `${policy}/${clock}`;
      result.plans[k] ??= await plan.clock(policy, clock, startedAt);
      return k;
    };
    const policyOf = async (policy: string) => {
      result.unitPolicies[policy] ??= await plan.unitPolicy(policy, startedAt, startedAt);
      return policy;
    };
    const fresh: { w: WrittenItem; event: SuggestionEvent; rowIds: string[] }[] = [];
    const seen = new Set<string>();
    for (const it of input.items) {
      const row = byId.get(it.suggestionId);
      // A draft is not shown to the assigners (visibility.ts): not found, as the single assignment answers.
      if (!row || row.status === 'draft' || seen.has(it.suggestionId)) {
        result.refused.push({
          suggestionId: it.suggestionId,
          status: 404,
          zh: row && row.status !== 'draft' ? '同一建议在本次交办中重复' : '建议不存在',
          en:
            row && row.status !== 'draft'
              ? 'the item appears twice in this assignment'
              : 'suggestion not found',
        });
        continue;
      }
      seen.add(it.suggestionId);
      const units = unitsOf(it.assignment);
      const redo = done.has(it.suggestionId);
      if (!redo) {
        // The same rule the workflow's validator asks, on the status as stored (locked above).
        const d = decide('assign', actor, { status: row.status }, { unitIds: units.map((u) => u.unitId) });
        if (!d.ok) {
          result.refused.push({
            suggestionId: it.suggestionId,
            status: d.status,
            zh: d.reason.zh,
            en: d.reason.en,
          });
          continue;
        }
      }
      const planned: WrittenItem['units'] = [];
      for (const u of units) {
        const clock = u.role === 'co' ? ('coHandlerOpinion' as const) : ('reply' as const);
        const planKey = await clockOf(row.policy, clock);
        planned.push({ ...u, clock, deadlineAt: result.plans[planKey]!.deadlineAt, planKey });
      }
      const w: WrittenItem = {
        suggestionId: it.suggestionId,
        eventId: eventIdOf(it.suggestionId),
        assignment: it.assignment,
        units: planned,
        policyKey: await policyOf(row.policy),
      };
      result.written.push(w);
      if (redo) continue;
      const deputyIds = [
        row.lead,
        ...cosigners.filter((c) => c.sid === it.suggestionId && c.did !== row.lead).map((c) => c.did),
      ];
      const unitIds = units.map((u) => u.unitId);
      const event = {
        id: w.eventId,
        version: 1,
        type: 'suggestion.assigned',
        suggestionId: it.suggestionId,
        occurredAt: startedAt,
        actor,
        policyVersion: row.policy,
        data: {
          from: 'accepted',
          to: 'assigned',
          audience: { deputyIds: [...new Set(deputyIds)], unitIds },
          mode: it.assignment.mode,
          leadUnitId: it.assignment.mode === 'lead' ? it.assignment.leadUnitId : null,
          unitIds,
          coUnitIds: it.assignment.mode === 'lead' ? it.assignment.coUnitIds : [],
        },
      } as SuggestionEvent;
      fresh.push({ w, event, rowIds: units.map((u) => stableUuid(batchId, it.suggestionId, u.unitId)) });
    }
    if (fresh.length === 0) return result;

    const parts = fresh.flatMap(({ w, rowIds }) =>
      w.units.map((u, i) => ({
        id: rowIds[i]!,
        sid: w.suggestionId,
        unitId: u.unitId,
        role: u.role,
        deadlineAt: u.deadlineAt,
      })),
    );
    await m.query(
      `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, deadline_at, assigned_at)
       SELECT id, sid, uid, role, 1, 'pending', dl, $6 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::timestamptz[]) AS x(id, sid, uid, role, dl)
       ON CONFLICT DO NOTHING`,
      [
        parts.map((x) => x.id),
        parts.map((x) => x.sid),
        parts.map((x) => x.unitId),
        parts.map((x) => x.role),
        parts.map((x) => x.deadlineAt),
        startedAt,
      ],
    );
    // The status, the item's deadline (the latest of the units that answer) and whether a part is overdue.
    const written = fresh.map((f) => f.w.suggestionId);
    await m.query(
      `UPDATE suggestions s SET status = 'assigned', updated_at = now(),
         deadline_at = (SELECT max(a.deadline_at) FROM assignments a WHERE a.suggestion_id = s.id AND a.round = 1 AND a.role <> 'co'),
         overdue = EXISTS (SELECT 1 FROM assignments a WHERE a.suggestion_id = s.id AND a.round = 1
                             AND a.status IN ('pending', 'signed_in') AND a.deadline_at < now())
       WHERE s.id = ANY($1::uuid[])`,
      [written],
    );
    await auditMany(
      m,
      fresh.map(({ w }) => ({
        actorUserId: actor.userId,
        actorRole: actor.role,
        action: 'suggestion.assigned',
        entityType: 'suggestion',
        entityId: w.suggestionId,
        before: { status: 'accepted' },
        after: { status: 'assigned', effects: ['assign'], batchId },
      })),
    );
    // Last: the outbox lock is held from here to the commit, so other steps wait as little as possible.
    await appendOutboxMany(
      m,
      fresh.map((f) => f.event),
    );
    return result;
  });
}
