import type { DataSource, EntityManager } from 'typeorm';
import { itemVisibleSql, loadWorkCalendar, recordVisibleSql, type SessionUser } from '@jianyi/platform';
import { isDeadlineProvisional } from '@jianyi/domain';
import { searchDocument } from '@jianyi/text';
import { highlightRow, searchSql, type Highlighted } from './search';

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

/** What a user may see: the platform's one rule (itemVisibleSql in @jianyi/platform). */
const visibility = (user: SessionUser, params: unknown[]) => itemVisibleSql(user, params);

export class SuggestionRepository {
  constructor(private ds: DataSource) {}

  get dataSource(): DataSource {
    return this.ds;
  }

  async insert(
    m: EntityManager,
    row: {
      id: string;
      title: string;
      content: string;
      topic?: string;
      leadDeputyId: string;
      createdBy: string;
    },
  ): Promise<void> {
    // Session (届次) defaults to the current year in China time; a session-time intake sets it explicitly later.
    await m.query(
      `INSERT INTO suggestions (id, title, content, topic, status, lead_deputy_id, created_by, session_year, search_tsv, search_segmented)
       VALUES ($1,$2,$3,$4,'draft',$5,$6, extract(year from now() AT TIME ZONE 'Asia/Shanghai')::int, to_tsvector('simple', $7), true)`,
      [
        row.id,
        row.title,
        row.content,
        row.topic ?? '',
        row.leadDeputyId,
        row.createdBy,
        searchDocument(row.title, row.content),
      ],
    );
  }

  async findVisible(user: SessionUser, id: string): Promise<SuggestionRow | null> {
    const params: unknown[] = [id];
    const rows: SuggestionRow[] = await this.ds.query(
      `SELECT ${columns} FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id WHERE s.id = $1 AND (${visibility(user, params)})`,
      params,
    );
    return rows[0] ?? null;
  }

  /**
   * The handling record of a visible item: assignments, contacts, replies and opinions, evaluations
   * (the full record with names is the timeline, timeline.routes.ts). Replies and opinions under the
   * one record rule: a draft only for its own unit and the overseers.
   */
  async handling(user: SessionUser, id: string) {
    const replyParams: unknown[] = [id];
    const replyRule = recordVisibleSql(user, replyParams, 'r');
    const [assignments, contacts, replies, evaluations] = await Promise.all([
      this.ds.query(
        `SELECT a.unit_id AS "unitId", u.name AS "unitName", a.role, a.round, a.status, a.deadline_at AS "deadlineAt", a.signed_in_at AS "signedInAt", a.assigned_at AS "assignedAt"
        FROM assignments a JOIN units u ON u.id = a.unit_id WHERE a.suggestion_id = $1 ORDER BY a.round, a.role DESC, u.code`,
        [id],
      ),
      this.ds.query(
        `SELECT unit_id AS "unitId", contacted_on AS "contactedOn", form, summary, created_at AS "createdAt" FROM contacts WHERE suggestion_id = $1 ORDER BY created_at`,
        [id],
      ),
      this.ds.query(
        `SELECT r.unit_id AS "unitId", r.round, r.kind, r.category, r.body, r.promised_date AS "promisedDate", r.explanation, r.signed_at AS "signedAt", r.sent_at AS "sentAt"
        FROM replies r WHERE r.suggestion_id = $1 AND ${replyRule} ORDER BY r.round, r.kind`,
        replyParams,
      ),
      this.ds.query(
        `SELECT round, rating, comment, created_at AS "createdAt" FROM evaluations WHERE suggestion_id = $1 ORDER BY round`,
        [id],
      ),
    ]);
    const cal = await loadWorkCalendar(this.ds);
    return {
      assignments: (assignments as { deadlineAt: Date | null; assignedAt: Date | null }[]).map((a) => ({
        ...a,
        deadlineProvisional: isDeadlineProvisional(cal, a.deadlineAt, a.assignedAt),
      })),
      contacts,
      replies,
      evaluations,
    };
  }

  /**
   * A page of the suggestions the user may see (always within `visibility()`), filtered and sorted.
   * Every user value is a bind parameter; the sort column and direction come from whitelists.
   */
  async list(user: SessionUser, f: ListFilter): Promise<{ items: SuggestionListItem[]; total: number }> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [visibility(user, params)];
    if (f.statuses?.length) where.push(`s.status = ANY(${p(f.statuses)}::varchar[])`);
    if (f.unitId)
      where.push(
        `EXISTS (SELECT 1 FROM assignments fa WHERE fa.suggestion_id = s.id AND fa.unit_id = ${p(f.unitId)}::uuid)`,
      );
    if (f.deputyId) {
      const d = p(f.deputyId);
      where.push(
        `(s.lead_deputy_id = ${d}::uuid OR EXISTS (SELECT 1 FROM suggestion_cosigners c WHERE c.suggestion_id = s.id AND c.deputy_id = ${d}::uuid))`,
      );
    }
    if (f.town !== undefined) where.push(`d.town = ${p(f.town)}`);
    if (f.sessionYear !== undefined) where.push(`s.session_year = ${p(f.sessionYear)}::int`);
    if (f.topic !== undefined) where.push(`s.topic = ${p(f.topic)}`);
    if (f.overdue !== undefined) where.push(f.overdue ? overdueExpr : `NOT ${overdueExpr}`);
    if (f.key !== undefined) where.push(f.key ? 's.key_supervision' : 'NOT s.key_supervision');
    const search = f.q ? searchSql(f.q, p) : null;
    if (search) where.push(search.where);
    const w = where.join(' AND ');
    // Relevance (ts_rank_cd) is the default order of a keyword search; newest first otherwise.
    const sort = f.sort ?? (search?.rank ? 'relevance' : 'createdAt');
    const col = sort === 'relevance' ? (search?.rank ?? sortColumns.createdAt) : sortColumns[sort];
    const dir = sort === 'relevance' ? 'DESC' : f.order === 'asc' ? 'ASC' : 'DESC';
    const orderBy =
      sort === 'relevance'
        ? `${col} DESC NULLS LAST, s.created_at DESC, s.id DESC`
        : `${col} ${dir} NULLS LAST, s.id ${dir}`;
    const from = 'FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id';
    const countParams = [...params];
    const limit = p(f.limit);
    const offset = p(f.offset);
    // Page the ids first, then compute the per-row extras (overdue, units) for that page only.
    const [total, items] = await Promise.all([
      this.ds.query(`SELECT count(*)::int AS n ${from} WHERE ${w}`, countParams) as Promise<{ n: number }[]>,
      this.ds.query(
        `WITH page AS (SELECT s.id ${from} WHERE ${w} ORDER BY ${orderBy} LIMIT ${limit}::int OFFSET ${offset}::bigint)
         SELECT ${columns}, d.town, s.session_year AS "sessionYear", s.topic, s.key_supervision AS "keySupervision",
           s.deadline_at AS "deadlineAt", ${overdueExpr} AS overdue, ${latestUnitsExpr} AS units
         FROM page JOIN suggestions s ON s.id = page.id LEFT JOIN deputies d ON d.id = s.lead_deputy_id
         ORDER BY ${orderBy}`,
        params,
      ) as Promise<SuggestionListItem[]>,
    ]);
    if (search) for (const it of items) it.highlight = highlightRow(it, search.parsed);
    return { items, total: total[0]!.n };
  }
}

/** Sortable fields of the list: API name → column (the only way a sort reaches SQL). */
const sortColumns = {
  createdAt: 's.created_at',
  submittedAt: 's.submitted_at',
  deadlineAt: 's.deadline_at',
  registrationNo: 's.registration_no',
  updatedAt: 's.updated_at',
} as const;
export type ListSort = keyof typeof sortColumns | 'relevance';

export interface ListFilter {
  statuses?: string[];
  unitId?: string;
  deputyId?: string;
  town?: string;
  sessionYear?: number;
  topic?: string;
  overdue?: boolean;
  key?: boolean;
  q?: string;
  /** Unset: relevance when q is given, else createdAt. */
  sort?: ListSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface SuggestionListItem extends SuggestionRow {
  town: string | null;
  sessionYear: number | null;
  topic: string;
  keySupervision: boolean;
  deadlineAt: string | null;
  overdue: boolean;
  units: { unitId: string; unitName: string; role: string }[];
  /** With a keyword search: the title and a snippet of the content, matched words marked. */
  highlight?: Highlighted;
}

/** Overdue: the projection says so, or a unit's deadline passed without its reply or opinion sent. */
const overdueExpr = `(s.overdue OR EXISTS (SELECT 1 FROM assignments oa WHERE oa.suggestion_id = s.id
  AND oa.deadline_at < now() AND oa.status NOT IN ('replied', 'opinion_sent')))`;

/** The units of the latest handling round, in the order of the handling record. */
const latestUnitsExpr = `COALESCE((SELECT json_agg(json_build_object('unitId', la.unit_id, 'unitName', lu.name, 'role', la.role) ORDER BY la.role DESC, lu.code)
  FROM assignments la JOIN units lu ON lu.id = la.unit_id
  WHERE la.suggestion_id = s.id AND la.round = (SELECT max(lr.round) FROM assignments lr WHERE lr.suggestion_id = s.id)), '[]'::json)`;
