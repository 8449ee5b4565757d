/**
 * Public replies (答复公开): only items in status `published` and not confidential (涉密) are ever
 * read, enforced in SQL in one place ({@link PUBLIC_WHERE}) for the list, the detail and the filter
 * values.
 */
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { publicReplyListQuery } from './contracts/public';
import { countCapped, highlightRow, rankedPage, searchSql } from './search';

/** The only items the public ever sees. */
export const PUBLIC_WHERE = `s.status = 'published' AND s.confidential = false AND s.merged_into_id IS NULL`;

/** The sent replies (答复, not co-handlers' opinions) of the item's latest round that has any. */
const repliesExpr = `COALESCE((SELECT json_agg(json_build_object('unitId', r.unit_id, 'unitName', u.name, 'category', r.category, 'body', r.body,
    'promisedDate', r.promised_date, 'sentAt', r.sent_at, 'round', r.round) ORDER BY u.code)
  FROM replies r JOIN units u ON u.id = r.unit_id
  WHERE r.suggestion_id = s.id AND r.kind = 'reply' AND r.sent_at IS NOT NULL
    AND r.round = (SELECT max(r2.round) FROM replies r2 WHERE r2.suggestion_id = s.id AND r2.kind = 'reply' AND r2.sent_at IS NOT NULL)), '[]'::json)`;

const columns = `s.id, s.registration_no AS "registrationNo", s.title, s.topic, s.session_year AS "sessionYear",
  d.name AS "leadDeputyName", s.updated_at AS "publishedAt", ${repliesExpr} AS replies,
  s.excellent, s.excellent_reason AS "excellentReason"`;

export type PublicReplyListQuery = z.infer<typeof publicReplyListQuery>;

export class PublicRepository {
  constructor(private ds: DataSource) {}

  /** One page of published replies, newest first (a keyword search ranks by relevance first). */
  async list(q: PublicReplyListQuery) {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [PUBLIC_WHERE];
    if (q.unitId)
      where.push(
        `EXISTS (SELECT 1 FROM replies ur WHERE ur.suggestion_id = s.id AND ur.kind = 'reply' AND ur.sent_at IS NOT NULL AND ur.unit_id = ${p(q.unitId)}::uuid)`,
      );
    if (q.sessionYear !== undefined) where.push(`s.session_year = ${p(q.sessionYear)}::int`);
    const search = q.q ? searchSql(q.q, p, { replies: true }) : null;
    if (search) return this.listByRelevance(where, search, params, q);
    const w = where.join(' AND ');
    const countParams = [...params];
    const order = `s.updated_at DESC, s.id DESC`;
    const limit = p(q.pageSize);
    const offset = p((q.page - 1) * q.pageSize);
    // The page walks the partial index of public items (newest first); the count stops at
    // COUNT_CAP + 1 matches and beyond that is the planner's estimate (`totalExact: false`).
    const [{ total, totalExact }, items] = await Promise.all([
      countCapped(this.ds, `FROM suggestions s WHERE ${w}`, countParams),
      this.ds.query(
        `WITH page AS (SELECT s.id FROM suggestions s WHERE ${w} ORDER BY ${order} LIMIT ${limit}::int OFFSET ${offset}::bigint)
         SELECT ${columns}, left(s.content, 200) AS excerpt FROM page JOIN suggestions s ON s.id = page.id LEFT JOIN deputies d ON d.id = s.lead_deputy_id
         ORDER BY ${order}`,
        params,
      ) as Promise<{ title: string; excerpt: string; highlight?: unknown }[]>,
    ]);
    return { items, total, totalExact };
  }

  /**
   * A keyword search ranks by relevance first (the item's own text; items found by their replies'
   * text only come after, newest first): search.ts `rankedPage`.
   */
  private async listByRelevance(
    filters: string[],
    search: ReturnType<typeof searchSql>,
    params: unknown[],
    q: PublicReplyListQuery,
  ) {
    const { ids, total, totalExact } = await rankedPage(this.ds, {
      from: 'FROM suggestions s',
      filters,
      search,
      params,
      newest: 's.updated_at',
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    const items: { title: string; excerpt: string; highlight?: unknown }[] = ids.length
      ? await this.ds.query(
          `SELECT ${columns}, left(s.content, 200) AS excerpt FROM unnest($1::uuid[]) WITH ORDINALITY AS page(id, n)
           JOIN suggestions s ON s.id = page.id LEFT JOIN deputies d ON d.id = s.lead_deputy_id
           WHERE ${PUBLIC_WHERE} ORDER BY page.n`,
          [ids],
        )
      : [];
    for (const it of items)
      it.highlight = highlightRow({ title: it.title, content: it.excerpt }, search.parsed);
    return { items, total, totalExact };
  }

  /** The values the search form offers: units that have published replies, and sessions. */
  async facets(): Promise<{ units: { id: string; name: string }[]; sessions: number[] }> {
    const [units, sessions] = await Promise.all([
      // Per unit one index probe (replies by unit) until a public reply is found, not a join of every reply.
      this.ds
        .query(`SELECT u.id, u.name, u.code FROM units u WHERE EXISTS (SELECT 1 FROM replies r JOIN suggestions s ON s.id = r.suggestion_id
        WHERE r.unit_id = u.id AND r.kind = 'reply' AND r.sent_at IS NOT NULL AND ${PUBLIC_WHERE}) ORDER BY u.code`),
      // The distinct sessions by skipping through the session index, each checked for a public item.
      this.ds.query(
        `WITH RECURSIVE y AS (SELECT min(session_year) AS v FROM suggestions
           UNION ALL SELECT (SELECT min(session_year) FROM suggestions WHERE session_year > y.v) FROM y WHERE y.v IS NOT NULL)
         SELECT y.v AS "sessionYear" FROM y WHERE y.v IS NOT NULL
           AND EXISTS (SELECT 1 FROM suggestions s WHERE s.session_year = y.v AND ${PUBLIC_WHERE}) ORDER BY 1 DESC`,
      ),
    ]);
    return {
      units: (units as { id: string; name: string }[]).map(({ id, name }) => ({ id, name })),
      sessions: (sessions as { sessionYear: number }[]).map((s) => s.sessionYear),
    };
  }

  /** One published reply with the item's full text, or null when it is not public. */
  async find(id: string): Promise<unknown> {
    const rows: unknown[] = await this.ds.query(
      `SELECT ${columns}, s.content FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id WHERE s.id = $1 AND ${PUBLIC_WHERE}`,
      [id],
    );
    return rows[0] ?? null;
  }
}
