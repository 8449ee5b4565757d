/**
 * Notifications (站内通知), the caller's notification preferences and deputies' 履职积分, mounted at
 * /api after requireUser. Everyone signed in reads and marks only their own notices and sets only
 * their own preferences; points are visible to the deputy themself, reviewers, supervisors and admins;
 * admins set a unit's group robot (webhook URL and signing secret).
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { Role } from '@jianyi/domain';
import { currentUser, requireRole } from './http/auth';
import { problems, zodProblem } from './http/problem';
import { NotificationService } from './notification.service';

const labels: Record<string, [string, string]> = {
  unread: ['仅未读', 'unread'],
  page: ['页码', 'page'],
  pageSize: ['每页条数', 'pageSize'],
  town: ['镇(街道)', 'town'],
  email: ['电子邮箱', 'email'],
  channels: ['通知渠道', 'channels'],
  'channels.in_app': ['站内通知', 'channels.in_app'],
  'channels.email': ['邮件通知', 'channels.email'],
  'channels.webhook': ['群机器人通知', 'channels.webhook'],
  digest: ['每日提醒', 'digest'],
  url: ['机器人地址', 'url'],
  secret: ['签名密钥', 'secret'],
  active: ['启用状态', 'active'],
};

/** Parses with zod; a 422 names each field in Chinese (label) and English (path). */
function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const p = zodProblem(r.error);
  p.errors.forEach((e) => {
    const label = labels[e.field]?.[0];
    const colon = e.message.indexOf(':');
    if (label && colon >= 0) e.message = `${label}:${e.message.slice(colon + 1)}`;
  });
  throw p;
}

const listQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
const preferencesBody = z.strictObject({
  email: z.email().max(200).nullable(),
  channels: z.strictObject({ in_app: z.literal(true), email: z.boolean(), webhook: z.boolean() }),
  digest: z.boolean(),
});
const webhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(500),
  secret: z.string().min(16).max(200),
  active: z.boolean().default(true),
});
const rankingQuery = z.object({ town: z.string().trim().min(1).max(50).optional() });
const idOf = (req: Request, what: string, schema: z.ZodType<string>): string => {
  const r = schema.safeParse(req.params.id);
  if (!r.success) throw problems.notFound(what);
  return r.data;
};
const notificationId = z.string().regex(/^[1-9]\d{0,17}$/);
const uuid = z.uuid();

export function notificationRoutes(ds: DataSource): Router {
  const svc = new NotificationService(ds);
  const r = Router();

  r.get('/notifications', async (req, res) => {
    res.json(await svc.list(currentUser(req), parse(listQuery, req.query)));
  });
  r.post('/notifications/read-all', async (req, res) => {
    await svc.markAllRead(currentUser(req), req.requestId ?? null);
    res.status(204).end();
  });
  r.post('/notifications/:id/read', async (req, res) => {
    await svc.markRead(currentUser(req), idOf(req, 'notification', notificationId), req.requestId ?? null);
    res.status(204).end();
  });

  r.get('/me/preferences', async (req, res) => {
    res.json(await svc.preferences(currentUser(req)));
  });
  r.put('/me/preferences', async (req, res) => {
    const user = currentUser(req);
    res.json(await svc.setPreferences(user, parse(preferencesBody, req.body), req.requestId ?? null));
  });

  r.get('/points/me', async (req, res) => {
    const user = requireRole(req, Role.deputy);
    if (!user.deputyId) throw problems.notFound('deputy');
    res.json(await svc.points(user.deputyId));
  });
  r.get('/points/ranking', async (req, res) => {
    requireRole(req, Role.reviewer, Role.supervisor, Role.admin);
    res.json(await svc.ranking(parse(rankingQuery, req.query).town));
  });
  r.get('/deputies/:id/points', async (req, res) => {
    const user = currentUser(req);
    const id = idOf(req, 'deputy', uuid);
    if (!(user.role === Role.deputy && user.deputyId === id))
      requireRole(req, Role.reviewer, Role.supervisor, Role.admin);
    res.json(await svc.points(id));
  });

  // A unit's group robot (企业微信/钉钉-style webhook): admin only.
  r.get('/units/:id/webhook', async (req, res) => {
    requireRole(req, Role.admin);
    res.json(await svc.webhook(idOf(req, 'unit', uuid)));
  });
  r.put('/units/:id/webhook', async (req, res) => {
    const user = requireRole(req, Role.admin);
    const unitId = idOf(req, 'unit', uuid);
    res.json(await svc.setWebhook(user, unitId, parse(webhookBody, req.body), req.requestId ?? null));
  });
  return r;
}
