/**
 * Public replies (答复公开), mounted at /api/public BEFORE requireUser: anyone may read them.
 * Only items in status `published` and not confidential (涉密) are ever shown; the query enforces
 * it in SQL in one place ({@link PUBLIC_WHERE}) for the list, the detail and the filter values.
 * No rate limit, but every page is bounded (pageSize ≤ 50).
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { publicReplyListQuery } from './contracts/public';

export { PUBLIC_MAX_PAGE_SIZE } from './contracts/public';
import { highlightRow, searchSql } from './search';

/** The only items the public ever sees. */
export const PUBLIC_WHERE = `s.status = 'published' AND s.confidential = false AND s.merged_into_id IS NULL`;

/** The sent replies (答复, not co-handlers' opinions) of the item's latest round that has any. */
const repliesExpr = `COALESCE((SELECT json_agg(json_build_object('unitId', r.unit_id, 'unitName', u.name, 'category', r.category, 'body', r.body,
    'promisedDate', r.promised_date, 'sentAt', r.sent_at, 'round', r.round) ORDER BY u.code)
  FROM replies r JOIN units u ON u.id = r.unit_id
  WHERE r.suggestion_id = s.id AND r.kind = 'reply' AND r.sent_at IS NOT NULL
    AND r.round = (SELECT max(r2.round) FROM replies r2 WHERE r2.suggestion_id = s.id AND r2.kind = 'reply' AND r2.sent_at IS NOT NULL)), '[]'::json)`;

const columns = `s.id, s.registration_no AS "registrationNo", s.title, s.topic, s.session_year AS "sessionYear",
  d.name AS "leadDeputyName", s.updated_at AS "publishedAt", ${repliesExpr} AS replies`;

export function publicRoutes(ds: DataSource): Router {
  const r = Router();

  r.get('/replies', async (req, res) => {
    const q = validate(publicReplyListQuery, req.query);
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
    if (search) where.push(search.where);
    const w = where.join(' AND ');
    const countParams = [...params];
    const limit = p(q.pageSize);
    const offset = p((q.page - 1) * q.pageSize);
    const [total, items] = await Promise.all([
      ds.query(`SELECT count(*)::int AS n FROM suggestions s WHERE ${w}`, countParams) as Promise<
        { n: number }[]
      >,
      ds.query(
        `SELECT ${columns}, left(s.content, 200) AS excerpt FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id
         WHERE ${w} ORDER BY ${search?.rank ? `${search.rank} DESC NULLS LAST, ` : ''}s.updated_at DESC, s.id LIMIT ${limit}::int OFFSET ${offset}::bigint`,
        params,
      ) as Promise<{ title: string; excerpt: string; highlight?: unknown }[]>,
    ]);
    if (search)
      for (const it of items)
        it.highlight = highlightRow({ title: it.title, content: it.excerpt }, search.parsed);
    // Not cached: an item marked confidential must disappear at once, also from shared caches.
    res.set('Cache-Control', 'no-cache');
    res.json({ items, total: total[0]!.n, page: q.page, pageSize: q.pageSize });
  });

  /** The values the search form offers: units that have published replies, and sessions. */
  r.get('/facets', async (_req, res) => {
    const [units, sessions] = await Promise.all([
      ds.query(`SELECT DISTINCT u.id, u.name, u.code FROM suggestions s JOIN replies r ON r.suggestion_id = s.id AND r.kind = 'reply' AND r.sent_at IS NOT NULL
        JOIN units u ON u.id = r.unit_id WHERE ${PUBLIC_WHERE} ORDER BY u.code`),
      ds.query(
        `SELECT DISTINCT s.session_year AS "sessionYear" FROM suggestions s WHERE ${PUBLIC_WHERE} AND s.session_year IS NOT NULL ORDER BY 1 DESC`,
      ),
    ]);
    res.json({
      units: (units as { id: string; name: string }[]).map(({ id, name }) => ({ id, name })),
      sessions: (sessions as { sessionYear: number }[]).map((s) => s.sessionYear),
    });
  });

  r.get('/replies/:id', async (req, res) => {
    const id = pathId(req.params.id, 'published reply');
    const rows: unknown[] = await ds.query(
      `SELECT ${columns}, s.content FROM suggestions s LEFT JOIN deputies d ON d.id = s.lead_deputy_id WHERE s.id = $1 AND ${PUBLIC_WHERE}`,
      [id],
    );
    if (!rows[0]) throw problems.notFound('published reply');
    res.json(rows[0]);
  });
  return r;
}
