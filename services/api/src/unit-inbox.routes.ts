/**
 * GET /api/unit-inbox, 收件箱: the caller's unit's parts of the latest round of each item, with the
 * unit's own status and deadline in working days, newest first. Unit handlers and leaders only.
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { PolicyRegistry } from '@jianyi/domain';
import { currentUser, requireUnitUser } from './http/auth';
import { validate } from './http/validate';
import { unitInboxQuery } from './contracts/workbench';
import { UnitInboxRepository } from './unit-inbox.repository';

export function unitInboxRoutes(ds: DataSource, opts: { policies?: PolicyRegistry } = {}): Router {
  const r = Router();
  const inbox = new UnitInboxRepository(ds, opts.policies);

  r.get('/unit-inbox', async (req, res) => {
    const unitId = requireUnitUser(currentUser(req), "only a unit's people have an inbox");
    const items = await inbox.list(unitId, validate(unitInboxQuery, req.query));
    res.json({ items, total: items.length });
  });
  return r;
}
