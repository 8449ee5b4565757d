/** Contracts of notices (站内通知), notification preferences, 履职积分 and units' group robots. */
import { z } from 'zod';
import type { FieldLabels } from './common';

export const notificationLabels: FieldLabels = {
  unread: '仅未读',
  page: '页码',
  pageSize: '每页条数',
  town: '镇(街道)',
  email: '电子邮箱',
  channels: '通知渠道',
  'channels.in_app': '站内通知',
  'channels.email': '邮件通知',
  'channels.webhook': '群机器人通知',
  digest: '每日提醒',
  url: '机器人地址',
  secret: '签名密钥',
  active: '启用状态',
};

/** A notification's id: a positive bigint written in decimal. */
export const notificationId = z.string().regex(/^[1-9]\d{0,17}$/);

/** GET /api/notifications. */
export const notificationListQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** PUT /api/me/preferences: the whole set of the caller's preferences. */
export const notificationPreferencesBody = z.strictObject({
  email: z.email().max(200).nullable(),
  channels: z.strictObject({ in_app: z.literal(true), email: z.boolean(), webhook: z.boolean() }),
  digest: z.boolean(),
});

/** PUT /api/units/:id/webhook: a unit's group robot (企业微信/钉钉-style). */
export const unitWebhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(500),
  secret: z.string().min(16).max(200),
  active: z.boolean().default(true),
});

/** GET /api/points/ranking. */
export const pointsRankingQuery = z.object({ town: z.string().trim().min(1).max(50).optional() });

export type NotificationPreferencesInput = z.infer<typeof notificationPreferencesBody>;
export type UnitWebhookInput = z.infer<typeof unitWebhookBody>;
