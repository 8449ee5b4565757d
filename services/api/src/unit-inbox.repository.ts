/**
 * 收件箱: a unit's parts of the latest round of each item, with the unit's own status and deadline in
 * working days, newest first (or by relevance for a keyword search).
 */
import type { DataSource } from 'typeorm';
import type { PolicyRegistry } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { loadWorkCalendar } from '@jianyi/platform';
import { CLOSED_ASSIGNMENT, deadlineLevel, yellowWorkingDays } from './deadlines';
import { highlightRow, searchSql } from './search';

export class UnitInboxRepository {
  constructor(
    private ds: DataSource,
    private policies?: PolicyRegistry,
  ) {}

  async list(unitId: string, q: { q?: string }) {
    const params: unknown[] = [unitId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const search = q.q ? searchSql(q.q, p) : null;
    const rows: {
      title: string;
      content?: string;
      deadlineAt: Date | null;
      assignmentStatus: string;
      policyVersion?: string | null;
    }[] = await this.ds.query(
      `SELECT s.id, s.title, s.content, s.policy_version AS "policyVersion", s.status, s.registration_no AS "registrationNo", d.name AS "leadDeputyName", s.key_supervision AS "keySupervision",
         a.role, a.round, a.status AS "assignmentStatus", a.assigned_at AS "assignedAt", a.signed_in_at AS "signedInAt", a.deadline_at AS "deadlineAt",
         EXISTS (SELECT 1 FROM unit_requests q WHERE q.suggestion_id = s.id AND q.unit_id = a.unit_id AND q.round = a.round AND q.status = 'pending') AS "requestPending"
       FROM assignments a JOIN suggestions s ON s.id = a.suggestion_id LEFT JOIN deputies d ON d.id = s.lead_deputy_id
       WHERE a.unit_id = $1
         -- the unit's latest round of the item; NOT EXISTS (not "= max(round)") so the planner walks (unit_id, assigned_at) backwards
         AND NOT EXISTS (SELECT 1 FROM assignments r2 WHERE r2.suggestion_id = a.suggestion_id AND r2.unit_id = a.unit_id AND r2.round > a.round)
       ${search ? `AND ${search.where}` : ''}
       ORDER BY ${search?.rank ? `${search.rank} DESC, ` : ''}a.assigned_at DESC LIMIT 500`,
      params,
    );
    const cal = await loadWorkCalendar(this.ds);
    this.policies ??= loadPolicyRegistry();
    const registry = this.policies;
    const now = new Date();
    return rows.map(({ policyVersion, content, ...row }) => ({
      ...row,
      ...(search
        ? { highlight: highlightRow({ title: row.title, content: content ?? '' }, search.parsed) }
        : {}),
      deadline:
        row.deadlineAt && !CLOSED_ASSIGNMENT.has(row.assignmentStatus)
          ? deadlineLevel(
              cal,
              now,
              new Date(row.deadlineAt),
              yellowWorkingDays(policyVersion ? registry.find(policyVersion) : undefined),
              (row as { assignedAt?: Date | null }).assignedAt ?? null,
            )
          : null,
    }));
  }
}
