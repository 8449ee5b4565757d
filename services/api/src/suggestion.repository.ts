import type { DataSource, EntityManager } from 'typeorm';
import type { SessionUser } from '@jianyi/platform';

export interface SuggestionRow {
  id: string;
  title: string;
  content: string;
  status: string;
  leadDeputyId: string;
  leadDeputyName: string | null;
  registrationNo: string | null;
  createdAt: string;
  submittedAt: string | null;
  updatedAt: string;
}

const columns = `s.id, s.title, s.content, s.status, s.lead_deputy_id AS "leadDeputyId", d.name AS "leadDeputyName",
  s.registration_no AS "registrationNo", s.created_at AS "createdAt", s.submitted_at AS "submittedAt", s.updated_at AS "updatedAt"`;

/** What a user may see: a deputy their own items; reviewers, coordinators, supervisors and admins everything. */
function visibility(user: SessionUser, params: unknown[]): string {
  if (user.role === 'deputy') {
    params.push(user.deputyId);
    return `s.lead_deputy_id = $${params.length}`;
  }
  if (['reviewer', 'coordinator', 'supervisor', 'admin'].includes(user.role)) return `s.status <> 'draft'`;
  if (user.unitId && ['unit_handler', 'unit_leader'].includes(user.role)) {
    params.push(user.unitId);
    return `EXISTS (SELECT 1 FROM assignments a WHERE a.suggestion_id = s.id AND a.unit_id = $${params.length})`;
  }
  return 'false';
}

export class SuggestionRepository {
  constructor(private ds: DataSource) {}

  async insert(m: EntityManager, row: { id: string; title: string; content: string; topic?: string; leadDeputyId: string; createdBy: string }): Promise<void> {
    // Session (届次) defaults to the current year in China time; a session-time intake sets it explicitly later.
    await m.query(
      `INSERT INTO suggestions (id, title, content, topic, status, lead_deputy_id, created_by, session_year)
       VALUES ($1,$2,$3,$4,'draft',$5,$6, extract(year from now() AT TIME ZONE 'Asia/Shanghai')::int)`,
      [row.id, row.title, row.content, row.topic ?? '', row.leadDeputyId, row.createdBy]);
  }

  async findVisible(user: SessionUser, id: string): Promise<SuggestionRow | null> {
    const params: unknown[] = [id];
    const rows: SuggestionRow[] = await this.ds.query(
      `SELECT ${columns} FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id WHERE s.id = $1 AND (${visibility(user, params)})`, params);
    return rows[0] ?? null;
  }

  /** The handling record of a visible item: assignments, contacts, replies and opinions, evaluations. */
  async handling(id: string) {
    const [assignments, contacts, replies, evaluations] = await Promise.all([
      this.ds.query(`SELECT a.unit_id AS "unitId", u.name AS "unitName", a.role, a.round, a.status, a.deadline_at AS "deadlineAt", a.signed_in_at AS "signedInAt", a.assigned_at AS "assignedAt"
        FROM assignments a JOIN units u ON u.id = a.unit_id WHERE a.suggestion_id = $1 ORDER BY a.round, a.role DESC, u.code`, [id]),
      this.ds.query(`SELECT unit_id AS "unitId", contacted_on AS "contactedOn", form, summary, created_at AS "createdAt" FROM contacts WHERE suggestion_id = $1 ORDER BY created_at`, [id]),
      this.ds.query(`SELECT unit_id AS "unitId", round, kind, category, body, promised_date AS "promisedDate", explanation, signed_at AS "signedAt", sent_at AS "sentAt"
        FROM replies WHERE suggestion_id = $1 ORDER BY round, kind`, [id]),
      this.ds.query(`SELECT round, rating, comment, created_at AS "createdAt" FROM evaluations WHERE suggestion_id = $1 ORDER BY round`, [id]),
    ]);
    return { assignments, contacts, replies, evaluations };
  }

  async list(user: SessionUser, q: { status?: string; limit: number; offset: number }): Promise<{ items: SuggestionRow[]; total: number }> {
    const params: unknown[] = [];
    const where = [visibility(user, params)];
    if (q.status) { params.push(q.status); where.push(`s.status = $${params.length}`); }
    const w = where.join(' AND ');
    const total: { n: string }[] = await this.ds.query(`SELECT count(*) AS n FROM suggestions s WHERE ${w}`, params);
    const items: SuggestionRow[] = await this.ds.query(
      `SELECT ${columns} FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id WHERE ${w}
       ORDER BY s.created_at DESC, s.id LIMIT ${q.limit} OFFSET ${q.offset}`, params);
    return { items, total: Number(total[0]!.n) };
  }
}
