/** The caller's notification preferences (通知偏好), mounted at /api after requireUser: only their own. */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { currentUser } from './http/auth';
import { validate } from './http/validate';
import { notificationLabels, notificationPreferencesBody } from './contracts/notifications';
import { PreferenceService } from './preference.service';

export function preferenceRoutes(ds: DataSource): Router {
  const svc = new PreferenceService(ds);
  const r = Router();

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
  return r;
}
