/**
 * Notifications (站内通知), mounted at /api after requireUser: everyone signed in reads and marks only
 * their own notices (someone else's is 404).
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { currentUser } from './http/auth';
import { pathId, validate } from './http/validate';
import { notificationId, notificationLabels, notificationListQuery } from './contracts/notifications';
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
  return r;
}
