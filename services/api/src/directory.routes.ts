/**
 * Directories the workbenches pick from, mounted at /api: the handling units (for assignment) and the
 * deputies (for choosing co-signers, 联名).
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { isOverseer } from '@jianyi/platform';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { validate } from './http/validate';
import { deputyDirectoryLabels, deputyDirectoryQuery } from './contracts/workbench';
import { DeputyRepository } from './deputy.repository';
import { UnitRepository } from './unit.repository';
import { UserRepository } from './user.repository';
import { inRoleSet } from '@jianyi/domain';

export function directoryRoutes(ds: DataSource): Router {
  const r = Router();
  const units = new UnitRepository(ds);
  const deputies = new DeputyRepository(ds);
  const users = new UserRepository(ds);

  /** Units are public bodies; every signed-in user may list their names. */
  r.get('/directory/units', async (_req, res) => {
    res.json({ items: await units.directory() });
  });

  /** Deputies by name and town (public facts about them), for the co-signer picker. */
  r.get('/directory/deputies', async (req, res) => {
    const user = currentUser(req);
    // Station staff pick the deputies who attended an activity.
    if (user.role !== 'deputy' && user.role !== 'station_staff' && !isOverseer(user))
      throw problems.forbidden('units do not choose deputies');
    const q = validate(deputyDirectoryQuery, req.query, deputyDirectoryLabels);
    res.json(await deputies.directory(q));
  });

  /** 督办领导 who may lead a key item (重点督办), for choosing the supervising leader; who sets key supervision may list them. */
  r.get('/directory/supervisors', async (req, res) => {
    const user = currentUser(req);
    if (!inRoleSet('keySetters', user.role) && user.role !== 'admin')
      throw problems.forbidden('only who sets key supervision chooses its supervising leader');
    res.json({ items: await users.supervisors() });
  });
  return r;
}
