/**
 * One visibility rule for an item's records and events (who may read what), used by every API route
 * that reads an item and by the tracker's live stream and catch-up. In words:
 *
 * - reviewers, coordinators, supervisors and admins (overseers) see every submitted item, all of it;
 * - a deputy sees the items they lead (drafts too) and the submitted items they co-signed (联名);
 *   of the handling, only what was sent to them: replies and opinions once sent, never a draft, an
 *   explanation in a draft, or the unit-internal steps of drafting and signing off;
 * - a unit's people see the items on which their unit has a part that was not re-assigned away
 *   (调整交办); of the records, their own unit's drafts and what other units sent, never another
 *   unit's draft or its drafting and sign-off steps. A unit whose part was re-assigned away reads
 *   nothing more of the item and receives no more of its events (only the decision on its request).
 *
 * The SQL pieces bind every value as a parameter (pushed onto `params`).
 */
import type { DataSource } from 'typeorm';
import { roleSets, type StationEvent } from '@jianyi/domain';

/** An event that names its whole audience (constituent messages, station records). */
type AudienceEvent = { data: { audience: { deputyIds: string[]; unitIds: string[]; userIds: string[] } } };
import type { SessionUser } from './sessions';

/** The role sets of the rules (@jianyi/domain), defined once. */
export const OVERSEER_ROLES: readonly string[] = roleSets.overseers;
export const UNIT_ROLES: readonly string[] = roleSets.unitStaff;

export const isOverseer = (u: Pick<SessionUser, 'role'>) => OVERSEER_ROLES.includes(u.role);
/** The unit a user acts for: a unit handler's or leader's own unit; null for every other role. */
export const ownUnit = (u: Pick<SessionUser, 'role' | 'unitId'>): string | null =>
  u.unitId && UNIT_ROLES.includes(u.role) ? u.unitId : null;
/** The one unit-scope check: does `user` act for unit `unitId` (its part of an item, its figures, its requests)? */
export const actsForUnit = (u: Pick<SessionUser, 'role' | 'unitId'>, unitId: string | null | undefined) =>
  !!unitId && ownUnit(u) === unitId;

/** An assignment that still counts for its unit (SQL, on alias `a`). */
const ACTIVE_PART = `a.status <> 'reassigned'`;

/** SQL condition: may `user` see the item `s` (alias of suggestions)? */
export function itemVisibleSql(user: SessionUser, params: unknown[], s = 's'): string {
  if (user.role === 'deputy' && user.deputyId) {
    params.push(user.deputyId);
    const p = `$${params.length}`;
    // The deputy's own items (drafts too) and the submitted items they co-signed, as a set the planner
    // builds first from two indexes (an OR with EXISTS walked every item: 25 s at a million items).
    return `${s}.id IN (SELECT own.id FROM suggestions own WHERE own.lead_deputy_id = ${p}
      UNION ALL SELECT c.suggestion_id FROM suggestion_cosigners c JOIN suggestions cs ON cs.id = c.suggestion_id WHERE c.deputy_id = ${p} AND cs.status <> 'draft')`;
  }
  if (isOverseer(user)) return `${s}.status <> 'draft'`;
  const unitId = ownUnit(user);
  if (unitId) {
    params.push(unitId);
    return `EXISTS (SELECT 1 FROM assignments a WHERE a.suggestion_id = ${s}.id AND a.unit_id = $${params.length} AND ${ACTIVE_PART})`;
  }
  return 'false';
}

/**
 * SQL condition: may `user` read this reply or opinion row `r` (alias of replies) of an item they
 * may see? Drafts (not yet sent) are the drafting unit's own business.
 */
export function recordVisibleSql(user: SessionUser, params: unknown[], r = 'r'): string {
  if (isOverseer(user)) return 'true';
  const unitId = ownUnit(user);
  if (unitId) {
    params.push(unitId);
    return `(${r}.sent_at IS NOT NULL OR ${r}.unit_id = $${params.length})`;
  }
  return `${r}.sent_at IS NOT NULL`;
}

/** Steps inside one unit's handling: seen by that unit and the overseers only. */
export const UNIT_INTERNAL_EVENTS: ReadonlySet<string> = new Set([
  'suggestion.reply_drafted',
  'suggestion.reply_signed',
]);

export interface VisibleEvent {
  type: string;
  data: { audience: { deputyIds: string[]; unitIds: string[] }; unitId?: string | null };
}

/**
 * May `user` see this event of an item? `activeUnitIds` are the units that have a part on the item
 * now, not re-assigned away (activeUnits() reads them); the event's audience is what the workflow
 * knew when it happened and keeps a re-assigned unit, so units are checked against the current parts.
 */
export function eventVisible(
  user: SessionUser,
  event: VisibleEvent,
  activeUnitIds: readonly string[],
): boolean {
  if (isOverseer(user)) return true;
  const internal = UNIT_INTERNAL_EVENTS.has(event.type);
  if (user.role === 'deputy')
    return !!user.deputyId && !internal && event.data.audience.deputyIds.includes(user.deputyId);
  const unitId = ownUnit(user);
  if (!unitId) return false;
  const own = event.data.unitId === unitId;
  // The decision on its own re-assignment request reaches a unit whose part has just been moved away.
  if (event.type === 'suggestion.reassignment_decided' && own) return true;
  if (!activeUnitIds.includes(unitId)) return false;
  return !internal || own;
}

/** The units with a part (not re-assigned away) on each of these items. */
export async function activeUnits(ds: DataSource, suggestionIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!suggestionIds.length) return out;
  const rows: { id: string; units: string[] }[] = await ds.query(
    `SELECT a.suggestion_id AS id, array_agg(DISTINCT a.unit_id::text) AS units FROM assignments a
     WHERE a.suggestion_id = ANY($1::uuid[]) AND ${ACTIVE_PART} GROUP BY a.suggestion_id`,
    [[...new Set(suggestionIds)]],
  );
  for (const r of rows) out.set(r.id, r.units);
  return out;
}

/**
 * Whether a user may see a constituent message's event (一码通): overseers all; a deputy of the
 * station (or the addressed deputy); the unit it was forwarded to; the station's staff users.
 */
export function messageEventVisible(user: SessionUser, event: AudienceEvent): boolean {
  if (isOverseer(user)) return true;
  const a = event.data.audience;
  if (user.role === 'deputy') return !!user.deputyId && a.deputyIds.includes(user.deputyId);
  const unitId = ownUnit(user);
  if (unitId) return a.unitIds.includes(unitId);
  return a.userIds.includes(user.id);
}

/**
 * A station record's event (约见, duty days, activities, training): the same audience rule as a
 * message's (overseers; the deputies concerned; the station's staff users). Units see none.
 */
export function stationEventVisible(user: SessionUser, event: StationEvent): boolean {
  return messageEventVisible(user, event);
}
