/**
 * 收件箱: a unit's parts of the latest round of each item, with the unit's own status and deadline in
 * working days, newest first (or by relevance for a keyword search, or as asked), a page at a time
 * with the exact total (a unit's rows are few enough to count). 待我签发: the replies drafted in the
 * unit that the calling leader may sign off now.
 */
import type { DataSource } from 'typeorm';
import type { PolicyRegistry } from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { loadWorkCalendar } from '@jianyi/platform';
import type { UnitInboxQuery } from './contracts/workbench';
import { CLOSED_ASSIGNMENT, deadlineLevel, yellowWorkingDays } from './deadlines';
import { highlightRow, searchSql } from './search';

const SORTS: Record<string, string> = {
  assignedAt: 'a.assigned_at',
  deadlineAt: 'a.deadline_at',
  registrationNo: 's.registration_no',
};

/** The unit's own state of its part: open (pending or signed in) or done (anything after). */
const stateSql = (state: UnitInboxQuery['state']) =>
  state === 'open'
    ? `AND a.status IN ('pending', 'signed_in')`
    : state === 'done'
      ? `AND a.status NOT IN ('pending', 'signed_in')`
      : '';

export class UnitInboxRepository {
  constructor(
    private ds: DataSource,
    private policies?: PolicyRegistry,
  ) {}

  private registry(): PolicyRegistry {
    this.policies ??= loadPolicyRegistry();
    return this.policies;
  }

  async list(unitId: string, q: Partial<UnitInboxQuery>) {
    const params: unknown[] = [unitId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const search = q.q ? searchSql(q.q, p) : null;
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const order = q.order === 'asc' ? 'ASC' : 'DESC';
    // assigned_at is NOT NULL: no NULLS LAST there, so the page walks (unit_id, assigned_at) in either direction.
    const sortBy =
      q.sort === 'assignedAt'
        ? ''
        : q.sort
          ? `${SORTS[q.sort]} ${order} NULLS LAST, `
          : search?.rank
            ? `${search.rank} DESC, `
            : '';
    const state = stateSql(q.state);
    const latest = `a.unit_id = $1
         -- the unit's latest round of the item; NOT EXISTS (not "= max(round)") so the planner walks (unit_id, assigned_at) backwards
         AND NOT EXISTS (SELECT 1 FROM assignments r2 WHERE r2.suggestion_id = a.suggestion_id AND r2.unit_id = a.unit_id AND r2.round > a.round)`;
    const offset = (page - 1) * pageSize;
    // The page alone (no count(*) OVER (): it joined and kept every row of the unit, 38,000 at a
    // million items, to count them); the total is counted apart, below.
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
       WHERE ${latest}
       ${search ? `AND ${search.where}` : ''} ${state}
       ORDER BY ${sortBy}a.assigned_at ${q.sort === 'assignedAt' ? order : 'DESC'}, s.id
       LIMIT ${p(pageSize)} OFFSET ${p(offset)}`,
      params,
    );
    const countParams = params.slice(0, params.length - 2);
    const total =
      // A short page (not past the end) tells the total by itself.
      rows.length > 0 && rows.length < pageSize
        ? offset + rows.length
        : rows.length === 0 && page === 1
          ? 0
          : search
            ? (
                (await this.ds.query(
                  `SELECT count(*)::int AS n FROM assignments a JOIN suggestions s ON s.id = a.suggestion_id
                   WHERE ${latest} AND ${search.where} ${state}`,
                  countParams,
                )) as { n: number }[]
              )[0]!.n
            : await this.countParts(unitId, q.state);
    const cal = await loadWorkCalendar(this.ds);
    const registry = this.registry();
    const now = new Date();
    const items = rows.map(({ policyVersion, content, ...row }) => ({
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
    return { items, total, page, pageSize };
  }

  /**
   * The unit's parts of the latest round of each item, exactly, from indexes only: all the unit's
   * rows in the state (idx_assignments_unit_status) less those a later round of the same item
   * replaced, found from the few rows of rounds after the first (idx_assignments_unit_later_rounds).
   * An anti-join over every row of the unit took 50-100 ms at 38,000 rows.
   */
  async countParts(unitId: string, partState: UnitInboxQuery['state']): Promise<number> {
    const state = stateSql(partState);
    const r: { n: number }[] = await this.ds.query(
      `SELECT ((SELECT count(*) FROM assignments a WHERE a.unit_id = $1 ${state})
         - (SELECT count(*) FROM assignments a WHERE a.unit_id = $1 ${state}
             AND a.suggestion_id IN (SELECT h.suggestion_id FROM assignments h WHERE h.unit_id = $1 AND h.round > 1)
             AND EXISTS (SELECT 1 FROM assignments r2 WHERE r2.suggestion_id = a.suggestion_id AND r2.unit_id = a.unit_id AND r2.round > a.round)))::int AS n`,
      [unitId],
    );
    return r[0]!.n;
  }

  /**
   * 待我签发: the unit's unsent, unsigned reply drafts of open parts (latest round), oldest draft
   * first; a key item whose policy wants its principal leader (主要负责人) is listed only for one.
   */
  async signOffQueue(unitId: string, principal: boolean) {
    const rows: {
      id: string;
      title: string;
      registrationNo: string | null;
      keySupervision: boolean;
      round: number;
      role: string;
      category: string | null;
      draftedAt: string;
      draftedByName: string | null;
      deadlineAt: Date | null;
      assignedAt: Date | null;
      assignmentStatus: string;
      policyVersion: string | null;
    }[] = await this.ds.query(
      `SELECT s.id, s.title, s.registration_no AS "registrationNo", s.key_supervision AS "keySupervision", a.round, a.role,
              r.category, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "draftedAt",
              u.display_name AS "draftedByName", a.deadline_at AS "deadlineAt", a.assigned_at AS "assignedAt",
              a.status AS "assignmentStatus", s.policy_version AS "policyVersion"
       FROM replies r
       JOIN assignments a ON a.suggestion_id = r.suggestion_id AND a.unit_id = r.unit_id AND a.round = r.round
       JOIN suggestions s ON s.id = r.suggestion_id
       LEFT JOIN users u ON u.id = r.drafted_by
       WHERE r.unit_id = $1 AND r.kind = 'reply' AND r.signed_at IS NULL AND r.sent_at IS NULL
         AND a.status IN ('pending', 'signed_in')
         AND NOT EXISTS (SELECT 1 FROM assignments r2 WHERE r2.suggestion_id = a.suggestion_id AND r2.unit_id = a.unit_id AND r2.round > a.round)
       ORDER BY r.created_at, s.id`,
      [unitId],
    );
    const cal = await loadWorkCalendar(this.ds);
    const registry = this.registry();
    const now = new Date();
    const items = rows
      .map(({ policyVersion, assignedAt, assignmentStatus, ...row }) => {
        const policy = policyVersion ? registry.find(policyVersion) : undefined;
        const rule = policy?.signOff ?? { normal: 'unit_leader', key: 'unit_leader' };
        const signOffBy: 'unit_leader' | 'principal_leader' =
          (row.keySupervision ? rule.key : rule.normal) === 'principal_leader'
            ? 'principal_leader'
            : 'unit_leader';
        return {
          ...row,
          signOffBy,
          deadline:
            row.deadlineAt && !CLOSED_ASSIGNMENT.has(assignmentStatus)
              ? deadlineLevel(
                  cal,
                  now,
                  new Date(row.deadlineAt),
                  yellowWorkingDays(policy),
                  assignedAt ?? null,
                )
              : null,
        };
      })
      .filter((r) => principal || r.signOffBy === 'unit_leader');
    return { items, total: items.length };
  }
}
