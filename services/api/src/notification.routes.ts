/**
 * Notifications (站内通知), the caller's notification preferences and deputies' 履职积分, mounted at
 * /api after requireUser. Everyone signed in reads and marks only their own notices and sets only
 * their own preferences; points are visible to the deputy themself, reviewers, supervisors and admins;
 * admins set a unit's group robot (webhook URL and signing secret).
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { Role } from '@jianyi/domain';
import { currentUser, requireRole } from './http/auth';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import {
  notificationId,
  notificationLabels,
  notificationListQuery,
  notificationPreferencesBody,
  pointsRankingQuery,
  unitWebhookBody,
} from './contracts/notifications';
import { NotificationService } from './notification.service';

export function notificationRoutes(ds: DataSource): Router {
  const svc = new NotificationService(ds);
  const r = Router();

  r.get('/notifications', async (req, res) => {
    res.json(
      await svc.list(currentUser(req), validate(notificationListQuery, req.query, notificationLabels)),
    );
  });
  r.post('/notifications/read-all', async (req, res) => {
    await svc.markAllRead(currentUser(req), req.requestId ?? null);
    res.status(204).end();
  });
  r.post('/notifications/:id/read', async (req, res) => {
    await svc.markRead(
      currentUser(req),
      pathId(req.params.id, 'notification', notificationId),
      req.requestId ?? null,
    );
    res.status(204).end();
  });

  r.get('/me/preferences', async (req, res) => {
    res.json(await svc.preferences(currentUser(req)));
  });
  r.put('/me/preferences', async (req, res) => {
    const user = currentUser(req);
    res.json(
      await svc.setPreferences(
        user,
        validate(notificationPreferencesBody, req.body, notificationLabels),
        req.requestId ?? null,
      ),
    );
  });

  r.get('/points/me', async (req, res) => {
    const user = requireRole(req, Role.deputy);
    if (!user.deputyId) throw problems.notFound('deputy');
    res.json(await svc.points(user.deputyId));
  });
  r.get('/points/ranking', async (req, res) => {
    requireRole(req, Role.reviewer, Role.supervisor, Role.admin);
    res.json(await svc.ranking(validate(pointsRankingQuery, req.query, notificationLabels).town));
  });
  r.get('/deputies/:id/points', async (req, res) => {
    const user = currentUser(req);
    const id = pathId(req.params.id, 'deputy');
    if (!(user.role === Role.deputy && user.deputyId === id))
      requireRole(req, Role.reviewer, Role.supervisor, Role.admin);
    res.json(await svc.points(id));
  });

  // A unit's group robot (企业微信/钉钉-style webhook): admin only.
  r.get('/units/:id/webhook', async (req, res) => {
    requireRole(req, Role.admin);
    res.json(await svc.webhook(pathId(req.params.id, 'unit')));
  });
  r.put('/units/:id/webhook', async (req, res) => {
    const user = requireRole(req, Role.admin);
    const unitId = pathId(req.params.id, 'unit');
    res.json(
      await svc.setWebhook(
        user,
        unitId,
        validate(unitWebhookBody, req.body, notificationLabels),
        req.requestId ?? null,
      ),
    );
  });
  return r;
}
