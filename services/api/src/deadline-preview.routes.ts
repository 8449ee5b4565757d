/** GET /api/deadline-preview: the deadlines an assignment made now would get (reviewer, coordinator). */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { inRoleSet, type PolicyRegistry } from '@jianyi/domain';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { DeadlinePreviewService } from './deadline-preview.service';

export function deadlinePreviewRoutes(ds: DataSource, opts: { policies?: PolicyRegistry } = {}): Router {
  const r = Router();
  const svc = new DeadlinePreviewService(ds, opts.policies);

  r.get('/deadline-preview', async (req, res) => {
    const user = currentUser(req);
    if (!inRoleSet('assigners', user.role))
      throw problems.forbidden('only the reviewer or coordinator assigns');
    res.json(await svc.preview());
  });
  return r;
}
