/**
 * What the Excel exports read: the 交办清单 rows (one per assigned item, filtered like the list), and
 * the audit row every export writes (who exported what, with which filters).
 */
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { audit, type SessionUser } from '@jianyi/platform';
import type { assignmentListExportQuery } from './contracts/exports';
import { sessionLabelSql, type StatsFilter } from './stats.repository';

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface AssignmentListRow {
  registrationNo: string | null;
  title: string;
  leadDeputy: string | null;
  cosigners: string | null;
  town: string | null;
  sessionYear: number | null;
  /** 届次: the session's name, or 第N届人民代表大会闭会期间. */
  session: string;
  topic: string;
  status: string;
  keySupervision: boolean;
  overdue: boolean;
  leadUnits: string | null;
  coUnits: string | null;
  separate: boolean;
  assignedAt: Date | null;
  deadlineAt: Date | null;
  confidential: boolean;
}

export class ExportRepository {
  constructor(private ds: DataSource) {}

  /** The 交办清单: every assigned item in `scope` matching `q`, by registration number (at most 100,000). */
  async assignmentList(
    scope: StatsFilter,
    q: z.infer<typeof assignmentListExportQuery>,
  ): Promise<AssignmentListRow[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = ['s.merged_into_id IS NULL'];
    // A unit's items as a set of ids from indexes only (idx_assignments_unit_status), and with a
    // session year only those of that year (idx_suggestions_session_created holds the id): a hash of
    // two id sets, so only the rows exported are read, instead of reading every item of the unit to
    // check its year (37,585 lookups for 6,621 rows of a large unit at a million items).
    let candidates = '';
    if (scope.unitId) {
      const unitItems = `SELECT fa.suggestion_id FROM assignments fa WHERE fa.unit_id = ${p(scope.unitId)}::uuid`;
      candidates = `WITH candidates AS MATERIALIZED (${
        scope.sessionYear !== undefined
          ? `SELECT y.id FROM suggestions y WHERE y.session_year = ${p(scope.sessionYear)}::int AND y.id IN (${unitItems})`
          : `SELECT DISTINCT x.suggestion_id AS id FROM (${unitItems}) x`
      })`;
      where.push(`s.id IN (SELECT c.id FROM candidates c)`);
    }
    if (scope.town) where.push(`d.town = ${p(scope.town)}`);
    if (scope.sessionYear !== undefined) where.push(`s.session_year = ${p(scope.sessionYear)}::int`);
    if (scope.session !== undefined) where.push(`congress_session_key(s.submitted_at) = ${p(scope.session)}`);
    if (q.status) where.push(`s.status = ANY(${p(q.status)}::varchar[])`);
    if (q.key !== undefined) where.push(q.key ? 's.key_supervision' : 'NOT s.key_supervision');
    // open_deadline_at: the earliest open deadline of the current round (kept by the database).
    const overdue = `(s.overdue OR (s.open_deadline_at IS NOT NULL AND s.open_deadline_at < now()))`;
    if (q.overdue !== undefined) where.push(q.overdue ? overdue : `NOT ${overdue}`);
    if (q.q) {
      const like = p(`%${escapeLike(q.q)}%`);
      where.push(
        `(s.title ILIKE ${like} ESCAPE '\\' OR s.content ILIKE ${like} ESCAPE '\\' OR s.registration_no ILIKE ${like} ESCAPE '\\')`,
      );
    }
    // Per item: its first round (index-only), then that round's parts read once for every column
    // (five lookups of the same rows before), and the 届次 key computed once (four times before).
    return this.ds.query(
      `${candidates}
       SELECT s.registration_no AS "registrationNo", s.title, s.confidential, d.name AS "leadDeputy", d.town, s.session_year AS "sessionYear",
         ${sessionLabelSql('sk.key')} AS session, s.topic, s.status,
         s.key_supervision AS "keySupervision", ${overdue} AS overdue,
         (SELECT string_agg(cd.name, '、' ORDER BY c.created_at) FROM suggestion_cosigners c JOIN deputies cd ON cd.id = c.deputy_id WHERE c.suggestion_id = s.id) AS cosigners,
         x.lead_units AS "leadUnits", x.co_units AS "coUnits", COALESCE(x.separate, false) AS separate,
         x.assigned_at AS "assignedAt", x.deadline_at AS "deadlineAt"
       FROM suggestions s
       -- The first round of each assigned item, looked up per item (not grouped over every assignment).
       JOIN LATERAL (SELECT min(a.round) AS round FROM assignments a WHERE a.suggestion_id = s.id) f ON f.round IS NOT NULL
       CROSS JOIN LATERAL (
         SELECT string_agg(u.name, '、' ORDER BY u.code) FILTER (WHERE a.role <> 'co') AS lead_units,
                string_agg(u.name, '、' ORDER BY u.code) FILTER (WHERE a.role = 'co') AS co_units,
                bool_or(a.role = 'separate') AS separate,
                min(a.assigned_at) AS assigned_at,
                max(a.deadline_at) FILTER (WHERE a.role <> 'co') AS deadline_at
         -- Each part's unit by its key (OFFSET 0: not hashed from all 210 units once per item).
         FROM assignments a LEFT JOIN LATERAL (SELECT u.name, u.code FROM units u WHERE u.id = a.unit_id OFFSET 0) u ON true
         WHERE a.suggestion_id = s.id AND a.round = f.round) x
       -- OFFSET 0: computed once per row, not inlined into each use of the key.
       CROSS JOIN LATERAL (SELECT congress_session_key(s.submitted_at) AS key OFFSET 0) sk
       LEFT JOIN deputies d ON d.id = s.lead_deputy_id
       WHERE ${where.join(' AND ')}
       ORDER BY s.registration_no NULLS LAST, s.id
       LIMIT 100000`,
      params,
    );
  }

  /** The audit row of an export: who exported what, with which filters and how many rows. */
  async recordExport(
    user: SessionUser,
    action:
      'export.assignment_list' | 'export.stats' | 'export.list' | 'export.exchange' | 'export.message_stats',
    after: Record<string, unknown>,
    requestId: string | null,
  ): Promise<void> {
    await audit(this.ds.manager, {
      actorUserId: user.id,
      actorRole: user.role,
      action,
      entityType: 'export',
      entityId: null,
      after,
      requestId,
    });
  }
}
