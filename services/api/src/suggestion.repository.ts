import type { DataSource, EntityManager } from 'typeorm';
import { itemVisibleSql, loadWorkCalendar, recordVisibleSql, type SessionUser } from '@jianyi/platform';
import { isDeadlineProvisional } from '@jianyi/domain';
import { searchDocument } from '@jianyi/text';
import { countCapped, highlightRow, rankedPage, searchSql, type Highlighted } from './search';

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
  s.registration_no AS "registrationNo", s.created_at AS "createdAt", s.submitted_at AS "submittedAt", s.updated_at AS "updatedAt",
  s.excellent, s.excellent_reason AS "excellentReason"`;

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

  /** Title and text of a submitted item (any item past its draft), for comparing it with others. */
  async submittedText(id: string): Promise<{ title: string; content: string } | null> {
    const rows: { title: string; content: string }[] = await this.ds.query(
      `SELECT title, content FROM suggestions WHERE id = $1 AND status <> 'draft'`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The handling record of a visible item: assignments, contacts, replies and opinions, evaluations
   * (the full record with names is the timeline, timeline.service.ts). Replies and opinions under the
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
  async list(
    user: SessionUser,
    f: ListFilter,
  ): Promise<{ items: SuggestionListItem[]; total: number; totalExact: boolean; nextCursor: string | null }> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [visibility(user, params)];
    // One status as an equality, so the (status, sort column, id) indexes give the page in order.
    if (f.statuses?.length === 1) where.push(`s.status = ${p(f.statuses[0])}`);
    else if (f.statuses?.length) where.push(`s.status = ANY(${p(f.statuses)}::varchar[])`);
    if (f.unitId)
      where.push(
        `EXISTS (SELECT 1 FROM assignments fa WHERE fa.suggestion_id = s.id AND fa.unit_id = ${p(f.unitId)}::uuid)`,
      );
    if (f.deputyId) {
      const d = p(f.deputyId);
      where.push(
        `s.id IN (SELECT ds.id FROM suggestions ds WHERE ds.lead_deputy_id = ${d}::uuid UNION ALL SELECT c.suggestion_id FROM suggestion_cosigners c WHERE c.deputy_id = ${d}::uuid)`,
      );
    }
    if (f.town !== undefined) where.push(`d.town = ${p(f.town)}`);
    if (f.sessionYear !== undefined) where.push(`s.session_year = ${p(f.sessionYear)}::int`);
    if (f.topic !== undefined) where.push(`s.topic = ${p(f.topic)}`);
    if (f.overdue !== undefined) where.push(f.overdue ? overdueExpr : `NOT ${overdueExpr}`);
    if (f.key !== undefined) where.push(f.key ? 's.key_supervision' : 'NOT s.key_supervision');
    const search = f.q ? searchSql(f.q, p) : null;
    if (search) where.push(search.where);
    const from = 'FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id';
    const filterWhere = where.join(' AND ');
    const countParams = [...params];
    // Relevance (ts_rank_cd) is the default order of a keyword search (paged by offset, no cursor);
    // newest first otherwise.
    const sort = f.sort ?? (search?.rank ? 'relevance' : 'createdAt');
    const relevance = sort === 'relevance' ? (search?.rank ?? null) : null;
    const { col, nullable, type } = sortColumns[sort === 'relevance' ? 'createdAt' : sort];
    const desc = relevance ? true : f.order !== 'asc';
    const dir = desc ? 'DESC' : 'ASC';
    // NOT NULL columns without NULLS LAST, so the (column, id) index gives the order as it is.
    const orderBy = relevance
      ? `${relevance} DESC NULLS LAST, s.created_at DESC, s.id DESC`
      : nullable
        ? `${col} ${dir} NULLS LAST, s.id ${dir}`
        : `${col} ${dir}, s.id ${dir}`;
    // Keyset pagination: after the last row of the previous page (its sort value and id).
    const pageWhere = [...where];
    if (f.after && !relevance) {
      const cmp = desc ? '<' : '>';
      const id = p(f.after.id);
      if (f.after.value === null) pageWhere.push(`(${col} IS NULL AND s.id ${cmp} ${id}::uuid)`);
      else {
        const v = `${p(f.after.value)}::${type}`;
        pageWhere.push(
          nullable
            ? `(${col} ${cmp} ${v} OR (${col} = ${v} AND s.id ${cmp} ${id}::uuid) OR ${col} IS NULL)`
            : `(${col}, s.id) ${cmp} (${v}, ${id}::uuid)`,
        );
      }
    }
    // The search's own arm is the last condition: a relevance page takes it apart (rankedPage).
    if (relevance && search) return this.listByRelevance(where.slice(0, -1), search, params, f);
    const limit = p(f.limit);
    const offset = p(f.after && !relevance ? 0 : f.offset);
    // Overdue items are a few percent of all and mostly old: walking the sort index newest first and
    // dropping the rest read 150,000 rows at a million items, and sorting the whole overdue set took
    // seconds. So two arms, each a page in order, merged: the flagged items (newest first from their
    // partial index), and the few whose open deadline passed before the flag was set (their partial
    // index on the deadline; behind a fence, OFFSET 0, so they are not looked for along the sort index).
    const rest = pageWhere.filter((x) => x !== overdueExpr).join(' AND ');
    const reach = `${limit}::int + ${offset}::bigint`;
    const matches = f.overdue
      ? `FROM ((SELECT s.* ${from} WHERE ${rest} AND s.overdue ORDER BY ${orderBy} LIMIT ${reach})
          UNION ALL (SELECT * FROM (SELECT s.* ${from} WHERE ${rest} AND NOT s.overdue AND s.open_deadline_at < now() OFFSET 0) s
            ORDER BY ${orderBy} LIMIT ${reach})) s`
      : `${from} WHERE ${pageWhere.join(' AND ')}`;
    // Page the ids first, then compute the per-row extras (overdue, units) for that page only.
    const [{ total, totalExact }, items] = await Promise.all([
      countCapped(this.ds, `${from} WHERE ${filterWhere}`, countParams),
      this.ds.query(
        `WITH page AS (SELECT s.id ${matches} ORDER BY ${orderBy} LIMIT ${limit}::int OFFSET ${offset}::bigint)
         SELECT ${columns}, d.town, s.session_year AS "sessionYear", s.topic, s.key_supervision AS "keySupervision",
           s.deadline_at AS "deadlineAt", ${overdueExpr} AS overdue, ${latestUnitsExpr} AS units, ${col}::text AS "sortValue"
         FROM page JOIN suggestions s ON s.id = page.id LEFT JOIN deputies d ON d.id = s.lead_deputy_id
         ORDER BY ${orderBy}`,
        params,
      ) as Promise<(SuggestionListItem & { sortValue: unknown })[]>,
    ]);
    if (search) for (const it of items) it.highlight = highlightRow(it, search.parsed);
    const last = items.length === f.limit && !relevance ? items[items.length - 1] : undefined;
    const nextCursor = last ? encodeCursor(last.sortValue, last.id) : null;
    return { items: items.map(({ sortValue: _, ...item }) => item), total, totalExact, nextCursor };
  }

  /** A keyword search by relevance (search.ts `rankedPage`): the page's ids, then their rows in that order. */
  private async listByRelevance(
    filters: string[],
    search: NonNullable<ReturnType<typeof searchSql>>,
    params: unknown[],
    f: ListFilter,
  ) {
    const { ids, total, totalExact } = await rankedPage(this.ds, {
      from: 'FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id',
      filters,
      search,
      params,
      newest: 's.created_at',
      limit: f.limit,
      offset: f.offset,
    });
    const items: SuggestionListItem[] = ids.length
      ? await this.ds.query(
          `SELECT ${columns}, d.town, s.session_year AS "sessionYear", s.topic, s.key_supervision AS "keySupervision",
             s.deadline_at AS "deadlineAt", ${overdueExpr} AS overdue, ${latestUnitsExpr} AS units
           FROM unnest($1::uuid[]) WITH ORDINALITY AS page(id, n) JOIN suggestions s ON s.id = page.id
           LEFT JOIN deputies d ON d.id = s.lead_deputy_id ORDER BY page.n`,
          [ids],
        )
      : [];
    for (const it of items) it.highlight = highlightRow(it, search.parsed);
    return { items, total, totalExact, nextCursor: null };
  }
}

export { COUNT_CAP, countCapped, estimateRows } from './search';

/** A keyset cursor: the last row's sort value and id, base64url JSON (opaque to clients). */
export function encodeCursor(value: unknown, id: string): string {
  // The value as PostgreSQL's text (microseconds kept), so the next page starts exactly after it.
  const v = value ?? null;
  return Buffer.from(JSON.stringify([v, id])).toString('base64url');
}
export function decodeCursor(cursor: string): { value: string | null; id: string } | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 2) return null;
    const [value, id] = v as unknown[];
    if (value !== null && typeof value !== 'string') return null;
    if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      return null;
    if (typeof value === 'string' && value.length > 64) return null;
    return { value, id };
  } catch {
    return null;
  }
}

/** Sortable fields of the list: API name → column (the only way a sort reaches SQL). */
const sortColumns = {
  createdAt: { col: 's.created_at', nullable: false, type: 'timestamptz' },
  submittedAt: { col: 's.submitted_at', nullable: true, type: 'timestamptz' },
  deadlineAt: { col: 's.deadline_at', nullable: true, type: 'timestamptz' },
  registrationNo: { col: 's.registration_no', nullable: true, type: 'varchar' },
  updatedAt: { col: 's.updated_at', nullable: false, type: 'timestamptz' },
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
  /** Keyset pagination: the decoded `cursor` of the previous page (then `offset` is ignored). */
  after?: { value: string | null; id: string };
}

/** The list's filters and order from a validated list query (the list and its xlsx export read them alike). */
export function listFilterOf(
  q: Pick<
    ListFilter,
    'unitId' | 'deputyId' | 'town' | 'sessionYear' | 'topic' | 'overdue' | 'key' | 'q' | 'sort' | 'order'
  > & {
    status?: string[];
  },
): Omit<ListFilter, 'limit' | 'offset' | 'after'> {
  return {
    statuses: q.status,
    unitId: q.unitId,
    deputyId: q.deputyId,
    town: q.town,
    sessionYear: q.sessionYear,
    topic: q.topic,
    overdue: q.overdue,
    key: q.key,
    q: q.q,
    sort: q.sort,
    order: q.order,
  };
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

/**
 * Overdue: the projection says so, or a part of the current round is past its deadline without its
 * reply or opinion sent (`open_deadline_at`, kept by the database: the earliest such deadline).
 */
// No open part (open_deadline_at NULL) is not overdue: false, not NULL (NOT NULL would drop the item).
const overdueExpr = `(s.overdue OR (s.open_deadline_at IS NOT NULL AND s.open_deadline_at < now()))`;

/** The units of the latest handling round, in the order of the handling record. */
const latestUnitsExpr = `COALESCE((SELECT json_agg(json_build_object('unitId', la.unit_id, 'unitName', lu.name, 'role', la.role) ORDER BY la.role DESC, lu.code)
  FROM assignments la JOIN units lu ON lu.id = la.unit_id
  WHERE la.suggestion_id = s.id AND la.round = (SELECT max(lr.round) FROM assignments lr WHERE lr.suggestion_id = s.id)), '[]'::json)`;
