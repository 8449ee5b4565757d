/**
 * Deputies' 履职积分, mounted at /api after requireUser: visible to the deputy themself, reviewers,
 * supervisors and admins.
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { Role } from '@jianyi/domain';
import { currentUser, requireRole } from './http/auth';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { notificationLabels, pointsRankingQuery } from './contracts/notifications';
import { PointsService } from './points.service';

export function pointsRoutes(ds: DataSource): Router {
  const svc = new PointsService(ds);
  const r = Router();

  r.get('/points/me', async (req, res) => {
    const user = requireRole(req, Role.deputy);
    if (!user.deputyId) throw problems.notFound('deputy');
    res.json(await svc.points(user.deputyId));
  });
  r.get('/points/ranking', async (req, res) => {
    requireRole(req, Role.reviewer, Role.supervisor, Role.admin);
    res.json(await svc.ranking(validate(pointsRankingQuery, req.query, notificationLabels)));
  });
  r.get('/deputies/:id/points', async (req, res) => {
    const user = currentUser(req);
    const id = pathId(req.params.id, 'deputy');
    if (!(user.role === Role.deputy && user.deputyId === id))
      requireRole(req, Role.reviewer, Role.supervisor, Role.admin);
    res.json(await svc.points(id));
  });
  return r;
}
