/** A unit's group robot (企业微信/钉钉-style webhook URL and signing secret), mounted at /api: admin only. */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { Role } from '@jianyi/domain';
import { requireRole } from './http/auth';
import { pathId, validate } from './http/validate';
import { notificationLabels, unitWebhookBody } from './contracts/notifications';
import { UnitWebhookService } from './unit-webhook.service';

export function unitWebhookRoutes(ds: DataSource): Router {
  const svc = new UnitWebhookService(ds);
  const r = Router();

  r.get('/admin/robots', async (req, res) => {
    requireRole(req, Role.admin);
    res.json(await svc.list());
  });
  r.post('/units/:id/webhook/test', async (req, res) => {
    const user = requireRole(req, Role.admin);
    res.json(await svc.test(user, pathId(req.params.id, 'unit'), req.requestId ?? null));
  });
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
