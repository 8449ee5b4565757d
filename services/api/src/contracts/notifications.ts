/** Contracts of notices (站内通知), notification preferences, 履职积分 and units' group robots. */
import { z } from 'zod';
import { noticeCategories, noticeChannels, robotKinds } from '@jianyi/domain';
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
  categories: '按类别的通知偏好',
  kind: '机器人类型',
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
/** Per kind of notice (通知类别) and channel: true = wanted. Omitted entries are on. */
const channelChoices = z.strictObject(
  Object.fromEntries(noticeChannels.map((c) => [c, z.boolean().optional()])) as Record<
    (typeof noticeChannels)[number],
    z.ZodOptional<z.ZodBoolean>
  >,
);
export const categoryPreferences = z.strictObject(
  Object.fromEntries(noticeCategories.map((c) => [c, channelChoices.optional()])) as Record<
    (typeof noticeCategories)[number],
    z.ZodOptional<typeof channelChoices>
  >,
);

/** PUT /api/me/preferences: the whole set of the caller's preferences (categories optional: unchanged when left out). */
export const notificationPreferencesBody = z.strictObject({
  email: z.email().max(200).nullable(),
  channels: z.strictObject({ in_app: z.literal(true), email: z.boolean(), webhook: z.boolean() }),
  digest: z.boolean(),
  categories: categoryPreferences.optional(),
  /** Read-only (what GET answers), accepted and ignored so a GET can be written back as is. */
  alwaysInApp: z.array(z.enum(noticeCategories)).optional(),
});

/**
 * PUT /api/units/:id/webhook: a unit's group robot. `kind` chooses the message format and signing
 * (generic: our signed JSON; dingtalk: 钉钉 加签; wecom: 企业微信 markdown). The secret may be left out
 * to keep the one stored; a generic or 钉钉 robot needs one.
 */
export const unitWebhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(500),
  secret: z.string().min(16).max(200).optional(),
  active: z.boolean().default(true),
  kind: z.enum(robotKinds).default('generic'),
});

/** GET /api/points/ranking. */
/** By town and by delegation (代表团), for one year (China time) or all years. */
export const pointsRankingQuery = z.object({
  town: z.string().trim().min(1).max(50).optional(),
  delegation: z.string().trim().min(1).max(100).optional(),
  year: z
    .string()
    .regex(/^\d{4}$/, 'a year such as 2026')
    .transform(Number)
    .pipe(z.number().int().min(2000).max(2100))
    .optional(),
});

export type NotificationPreferencesInput = z.infer<typeof notificationPreferencesBody>;
export type UnitWebhookInput = z.infer<typeof unitWebhookBody>;

// ---- responses ----

export const notificationView = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  suggestionId: z.uuid().nullable(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
/** GET /api/notifications. */
export const notificationPage = z.object({
  items: z.array(notificationView),
  total: z.number().int(),
  unread: z.number().int(),
});
const fullChannels = z.object({ in_app: z.boolean(), email: z.boolean(), webhook: z.boolean() });
/** GET/PUT /api/me/preferences: every category × channel spelled out; `alwaysInApp` cannot be switched off in the platform. */
export const notificationPreferences = z
  .object({
    email: z.email().max(200).nullable(),
    channels: z.object({ in_app: z.literal(true), email: z.boolean(), webhook: z.boolean() }),
    digest: z.boolean(),
    categories: z.object(
      Object.fromEntries(noticeCategories.map((c) => [c, fullChannels])) as Record<
        (typeof noticeCategories)[number],
        typeof fullChannels
      >,
    ),
    alwaysInApp: z.array(z.enum(noticeCategories)),
  })
  .meta({ id: 'Preferences' });

export const pointsEntry = z.object({
  id: z.string(),
  eventId: z.string(),
  rule: z.string(),
  points: z.number().int(),
  suggestionId: z.uuid().nullable(),
  createdAt: z.string(),
  reason: z.string(),
});
/** GET /api/points/me and /api/deputies/:id/points: 履职积分 and its ledger. */
export const pointsView = z
  .object({ deputyId: z.uuid(), total: z.number().int(), entries: z.array(pointsEntry) })
  .meta({ id: 'Points' });
/** GET /api/points/ranking. */
export const pointsRanking = z.object({
  items: z.array(
    z.object({
      deputyId: z.uuid(),
      name: z.string(),
      town: z.string(),
      delegation: z.string(),
      total: z.number().int(),
      rank: z.number().int(),
    }),
  ),
  /** The towns and delegations there are, for the filters. */
  towns: z.array(z.string()),
  delegations: z.array(z.string()),
});
/** GET/PUT /api/units/:id/webhook: the secret is never read back, only whether one is set. */
export const unitWebhookView = z.object({
  unitId: z.uuid(),
  url: z.string().nullable(),
  active: z.boolean(),
  hasSecret: z.boolean(),
  kind: z.enum(robotKinds),
  updatedAt: z.string().nullable(),
});
/** GET /api/admin/robots: every unit with its group robot (or none). */
export const robotList = z.object({
  items: z.array(unitWebhookView.extend({ unitName: z.string(), unitActive: z.boolean() })),
});
/** POST /api/units/:id/webhook/test: what the robot answered to a signed test message. */
export const robotTestResult = z.object({
  ok: z.boolean(),
  kind: z.enum(robotKinds),
  status: z.number().int().nullable(),
  answer: z.string(),
  error: z.string().nullable(),
});

export type NotificationView = z.infer<typeof notificationView>;
export type NotificationPage = z.infer<typeof notificationPage>;
export type PointsView = z.infer<typeof pointsView>;
