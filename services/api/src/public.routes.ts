/**
 * Public replies (答复公开), mounted at /api/public BEFORE requireUser: anyone may read them.
 * Only items in status `published` and not confidential (涉密) are ever shown (public.repository.ts).
 * Rate limited per client address (publicRateLimit in http/hardening.ts), and every page is bounded
 * (pageSize ≤ 50, page ≤ 10,000).
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { publicReplyListQuery } from './contracts/public';
import { PublicRepository } from './public.repository';

export function publicRoutes(ds: DataSource): Router {
  const r = Router();
  const repo = new PublicRepository(ds);

  r.get('/replies', async (req, res) => {
    const q = validate(publicReplyListQuery, req.query);
    const { items, total, totalExact } = await repo.list(q);
    // Not cached: an item marked confidential must disappear at once, also from shared caches.
    res.set('Cache-Control', 'no-cache');
    res.json({ items, total, totalExact, page: q.page, pageSize: q.pageSize });
  });

  /** The values the search form offers: units that have published replies, and sessions. */
  r.get('/facets', async (_req, res) => {
    res.json(await repo.facets());
  });

  r.get('/replies/:id', async (req, res) => {
    const row = await repo.find(pathId(req.params.id, 'published reply'));
    if (!row) throw problems.notFound('published reply');
    res.json(row);
  });
  return r;
}
