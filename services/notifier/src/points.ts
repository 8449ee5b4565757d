/**
 * 履职积分: deputies' performance points credited from events into points_ledger by rules kept as
 * data (policies/points/rules.json; the numbers come from the item's jurisdiction policy). A credit
 * is unique per (event, deputy, rule), so a replayed event never credits twice, and the ledger can
 * be rebuilt from the outbox (the event log) with the same result.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DEFAULT_POLICY_KEY,
  parseAnyEvent,
  pointsRulesSchema,
  type PointsRules,
  type PolicyRegistry,
  type DomainEvent,
} from '@jianyi/domain';

export const DEFAULT_RULES_FILE = path.resolve(__dirname, '../../../policies/points/rules.json');

export function loadPointsRules(file = DEFAULT_RULES_FILE): PointsRules {
  return pointsRulesSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export interface Credit {
  deputyId: string;
  rule: string;
  points: number;
  reason: string;
  once: 'event' | 'suggestion';
}

/** The credits an event earns under the rules (PURE). */
export function creditsFor(event: DomainEvent, rules: PointsRules, policies: PolicyRegistry): Credit[] {
  const policy = policies.find(event.policyVersion) ?? policies.find(DEFAULT_POLICY_KEY);
  const out: Credit[] = [];
  for (const r of rules.rules) {
    if (r.event !== event.type) continue;
    const data = event.data as Record<string, unknown>;
    // A field the event does not carry matches null (e.g. `cosigner` on a lead deputy's rating).
    if (
      r.when &&
      !Object.entries(r.when).every(([k, allowed]) => allowed.includes((data[k] ?? null) as never))
    )
      continue;
    const points = typeof r.points === 'number' ? r.points : (policy?.points[r.points] ?? 0);
    if (points === 0) continue;
    const signers = event.data.audience.deputyIds;
    // claimer: the deputy who claimed a constituent message (一码通), named in the event's data.
    const claimer = typeof data.claimerDeputyId === 'string' ? [data.claimerDeputyId] : [];
    // attendees: the deputies a station record names (duty day, appointment held, activity, training).
    const attendees = Array.isArray(data.attendeeDeputyIds) ? (data.attendeeDeputyIds as string[]) : [];
    const to =
      r.to === 'attendees'
        ? attendees
        : r.to === 'claimer'
          ? claimer
          : r.to === 'lead'
            ? signers.slice(0, 1)
            : r.to === 'signers'
              ? signers
              : event.actor.deputyId
                ? [event.actor.deputyId]
                : [];
    for (const deputyId of new Set(to))
      out.push({ deputyId, rule: r.rule, points, reason: r.reason, once: r.once });
  }
  return out;
}

/** The record a credit is for besides a suggestion: a constituent message or a station record. */
function recordOf(event: DomainEvent): string | null {
  if ('messageId' in event) return event.messageId;
  if ('recordId' in event) return event.recordId;
  return null;
}

/** Writes an event's credits; returns how many were new. Serialized by an advisory lock (see rebuild). */
export async function creditEvent(
  m: EntityManager,
  event: DomainEvent,
  rules: PointsRules,
  policies: PolicyRegistry,
): Promise<number> {
  const credits = creditsFor(event, rules, policies);
  if (!credits.length) return 0;
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('jianyi.points'))`);
  let n = 0;
  for (const c of credits) {
    const r: unknown[] = await m.query(
      `INSERT INTO points_ledger (event_id, deputy_id, rule, points, suggestion_id, reason, policy_version, occurred_at, record_id)
       SELECT $1::uuid, $2::uuid, $3::varchar, $4::int, $5::uuid, $6::varchar, $7::varchar, $8::timestamptz, $10::uuid
       WHERE NOT ($9::boolean AND EXISTS (SELECT 1 FROM points_ledger WHERE suggestion_id = $5::uuid AND deputy_id = $2::uuid AND rule = $3::varchar))
       ON CONFLICT (event_id, deputy_id, rule) DO NOTHING RETURNING id`,
      [
        event.id,
        c.deputyId,
        c.rule,
        c.points,
        'suggestionId' in event ? event.suggestionId : null,
        c.reason,
        event.policyVersion,
        event.occurredAt,
        c.once === 'suggestion',
        recordOf(event),
      ],
    );
    n += r.length;
  }
  return n;
}

export async function creditPoints(
  ds: DataSource,
  event: DomainEvent,
  rules: PointsRules,
  policies: PolicyRegistry,
): Promise<number> {
  return ds.transaction((m) => creditEvent(m, event, rules, policies));
}

/**
 * Empties the ledger and credits every event of the outbox again, in outbox order, in one
 * transaction (readers see the old ledger until it commits; the live consumer waits on the lock and
 * then finds its credits already there).
 */
export async function rebuildPoints(
  ds: DataSource,
  rules: PointsRules,
  policies: PolicyRegistry,
): Promise<{ events: number; credits: number }> {
  return ds.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('jianyi.points'))`);
    await m.query(`DELETE FROM points_ledger`);
    const types = [...new Set(rules.rules.map((r) => r.event))];
    let after = '0';
    let events = 0;
    let credits = 0;
    for (;;) {
      const rows: { id: string; payload: unknown }[] = await m.query(
        `SELECT id, payload FROM outbox WHERE id > $1 AND type = ANY($2::text[]) ORDER BY id LIMIT 1000`,
        [after, types],
      );
      if (!rows.length) break;
      for (const r of rows) {
        credits += await creditEvent(m, parseAnyEvent(r.payload), rules, policies);
        events += 1;
      }
      after = rows[rows.length - 1]!.id;
    }
    return { events, credits };
  });
}
