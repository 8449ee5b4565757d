/**
 * Deputies (人大代表) for the admin (系统管理), mounted at /api/admin/deputies after requireUser:
 * list with search, create and edit (deputy.repository.ts; every write audited in its transaction).
 */
import { Router, type Request } from 'express';
import type { DataSource } from 'typeorm';
import { Role } from '@jianyi/domain';
import { requireRole } from './http/auth';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { deputyCreateBody, deputyLabels, deputyListQuery, deputyPatchBody } from './contracts/deputies';
import { DeputyRepository } from './deputy.repository';

export function deputyAdminRoutes(ds: DataSource): Router {
  const r = Router();
  const repo = new DeputyRepository(ds);
  const admin = (req: Request) => requireRole(req, Role.admin);

  r.get('/', async (req, res) => {
    admin(req);
    const q = validate(deputyListQuery, req.query, deputyLabels);
    res.json({ ...(await repo.list(q)), page: q.page, pageSize: q.pageSize });
  });

  r.get('/delegations', async (req, res) => {
    admin(req);
    res.json({ items: await repo.delegations() });
  });

  r.post('/', async (req, res) => {
    const user = admin(req);
    const b = validate(deputyCreateBody, req.body, deputyLabels);
    res.status(201).json(await repo.create({ user, requestId: req.requestId ?? null }, b));
  });

  r.patch('/:id', async (req, res) => {
    const user = admin(req);
    const id = pathId(req.params.id, 'deputy');
    const b = validate(deputyPatchBody, req.body, deputyLabels);
    const out = await repo.update({ user, requestId: req.requestId ?? null }, id, b);
    if (!out) throw problems.notFound('deputy');
    res.json(out);
  });
  return r;
}
