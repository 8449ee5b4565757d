/**
 * GET /api/unit-inbox, 收件箱: the caller's unit's parts of the latest round of each item, with the
 * unit's own status and deadline in working days, newest first. Unit handlers and leaders only.
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { PolicyRegistry } from '@jianyi/domain';
import { currentUser, requireUnitUser } from './http/auth';
import { problems } from './http/problem';
import { validate } from './http/validate';
import { unitInboxQuery } from './contracts/workbench';
import { UnitInboxRepository } from './unit-inbox.repository';

export function unitInboxRoutes(ds: DataSource, opts: { policies?: PolicyRegistry } = {}): Router {
  const r = Router();
  const inbox = new UnitInboxRepository(ds, opts.policies);

  r.get('/unit-inbox', async (req, res) => {
    const unitId = requireUnitUser(currentUser(req), "only a unit's people have an inbox");
    res.json(await inbox.list(unitId, validate(unitInboxQuery, req.query)));
  });
  // 待我签发: unit leaders only (handlers draft, leaders sign).
  r.get('/unit-inbox/sign-off', async (req, res) => {
    const user = currentUser(req);
    const unitId = requireUnitUser(user, "only a unit's leaders sign replies off");
    if (user.role !== 'unit_leader') throw problems.forbidden('only unit leaders sign replies off');
    res.json(await inbox.signOffQueue(unitId, user.principal === true));
  });
  return r;
}
