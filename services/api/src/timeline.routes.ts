/**
 * GET /api/suggestions/:id/timeline, the 办理轨迹 of one item (timeline.service.ts). Same visibility as
 * GET /api/suggestions/:id: 404 when the caller may not see the item.
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { PolicyRegistry } from '@jianyi/domain';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { pathId } from './http/validate';
import { TimelineService } from './timeline.service';

export function timelineRoutes(ds: DataSource, opts: { policies?: PolicyRegistry } = {}): Router {
  const r = Router();
  const svc = new TimelineService(ds, opts.policies);

  r.get('/:id/timeline', async (req, res) => {
    const out = await svc.timeline(currentUser(req), pathId(req.params.id, 'suggestion'));
    if (!out) throw problems.notFound('suggestion');
    res.json(out);
  });
  return r;
}
