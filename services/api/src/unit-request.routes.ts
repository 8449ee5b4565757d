/**
 * GET /api/unit-requests, the units' requests (申请调整 / 申请延期): the reviewer, coordinator,
 * supervisor and admin see all; a unit's people see their unit's own; deputies none (403).
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { isOverseer, ownUnit } from '@jianyi/platform';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { validate } from './http/validate';
import { unitRequestListQuery } from './contracts/workbench';
import { UnitRequestRepository } from './unit-request.repository';

export function unitRequestRoutes(ds: DataSource): Router {
  const r = Router();
  const requests = new UnitRequestRepository(ds);

  r.get('/unit-requests', async (req, res) => {
    const user = currentUser(req);
    const q = validate(unitRequestListQuery, req.query);
    // Overseers see every request, a unit's people their own unit's, nobody else any.
    const unitId = ownUnit(user) ?? undefined;
    if (!unitId && !isOverseer(user))
      throw problems.forbidden('only the reviewer, coordinator, supervisor or the units see requests');
    const items = await requests.list({ unitId, status: q.status });
    res.json({ items, total: items.length });
  });
  return r;
}
