/**
 * Contracts of constituent intake (一码通 / 云接待) and stations (家站点): the constituent's public
 * routes (/api/intake), the inbox of those who handle messages (/api/messages) and the admin's
 * stations (/api/admin/stations). Personal data (name, phone) appears only in `messageView` and only
 * for the station's deputies and staff (null for everyone else); never in a public answer.
 */
import { z } from 'zod';
import {
  messageActions,
  messageCategories,
  messageRatings,
  messageStatuses,
  stationKinds,
  CODE_ALPHABET,
} from '@jianyi/domain';
import type { FieldLabels } from './common';
import { optionalQuery, queryInt } from './common';

/** Chinese names of the fields a constituent, a deputy or an admin can get wrong. */
export const intakeFieldLabels: FieldLabels = {
  category: '留言类别',
  content: '留言内容',
  name: '姓名',
  phone: '手机号码',
  consent: '同意联系',
  rating: '评价',
  comment: '评价意见',
  answer: '答复内容',
  unitId: '承办单位',
  note: '转交说明',
  title: '建议标题',
  suggestionId: '代表建议',
  intoMessageId: '保留的留言',
  reason: '合并理由',
  kind: '站点类型',
  town: '镇(街道)',
  address: '地址',
  openingHours: '开放时间',
  deputyIds: '进站代表',
  staffUserIds: '站点工作人员',
  duties: '值班表',
  stationId: '站点',
  status: '状态',
  q: '关键词',
  page: '页码',
  limit: '每页条数',
};

/** A QR target's code (a station's or a deputy's), 6 characters of the readable alphabet; anything else is 404. */
export const TARGET_CODE_LENGTH = 6;
const codeParam = z.string().max(40);
export const targetParams = z.object({ code: codeParam });
export const trackParams = z.object({ code: codeParam });
export { CODE_ALPHABET };

const phone = z
  .string()
  .trim()
  .regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'a mainland mobile (11 digits) or landline number');

export const MAX_MESSAGE_CHARS = 2000;

/** POST /api/intake/targets/:code/messages: what a constituent writes. */
export const messageBody = z.object({
  category: z.enum(messageCategories),
  content: z.string().trim().min(5).max(MAX_MESSAGE_CHARS),
  name: z.string().trim().max(50).optional().nullable(),
  phone: phone
    .optional()
    .nullable()
    .or(z.literal('').transform(() => null)),
  consent: z.boolean().default(false),
  /** Honeypot: a field people never see; a filled one marks a robot (answered like a success, nothing stored). */
  website: z.string().max(200).optional(),
});
export type MessageBody = z.infer<typeof messageBody>;

/** POST /api/messages/offline: 线下反馈 entered by the station's staff. */
export const offlineMessageBody = messageBody.omit({ website: true }).extend({ stationId: z.uuid() });

export const ratingBody = z.object({
  rating: z.enum(messageRatings),
  comment: z.string().trim().max(500).optional().nullable(),
});
export const answerBody = z.object({ answer: z.string().trim().min(5).max(5000) });
export const forwardBody = z.object({ unitId: z.uuid(), note: z.string().trim().max(1000).default('') });
export const convertBody = z.object({ title: z.string().trim().min(5).max(200) });
/** POST /api/messages/:id/link: join an existing suggestion of the claiming deputy (a suggestion may gather several messages). */
export const linkBody = z.object({ suggestionId: z.uuid() });
/** POST /api/messages/:id/merge: 合并重复留言 into the surviving message, which the caller picks. */
export const mergeBody = z.object({
  intoMessageId: z.uuid(),
  reason: z.string().trim().max(500).default('重复留言'),
});
/** GET /api/messages/link-targets: the caller's suggestions a message may join. */
export const linkTargets = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      status: z.string(),
      registrationNo: z.string().nullable(),
      messages: z.number().int(),
    }),
  ),
});

export const messageListQuery = z.object({
  status: optionalQuery(z.enum(messageStatuses)),
  suggestionId: optionalQuery(z.uuid()),
  /** Words of the content, a tracking code, a station or a unit (substring, case-insensitive). */
  q: optionalQuery(z.string().trim().min(1).max(100)),
  /** The page size. */
  limit: queryInt(1, 200).default(100),
  page: queryInt(1, 1_000_000).default(1),
});
/** GET /api/exports/messages.xlsx: the inbox's filters, without paging. */
export const messageExportQuery = messageListQuery.omit({ limit: true, page: true });

/** GET /api/admin/stations: search by name, code, town or address; pages. */
export const stationListQuery = z.object({
  q: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(50).optional()),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const stationBody = z.object({
  name: z.string().trim().min(2).max(100),
  kind: z.enum(stationKinds),
  town: z.string().trim().max(50).default(''),
  address: z.string().trim().max(200).default(''),
  openingHours: z.string().trim().max(200).default(''),
  deputyIds: z.array(z.uuid()).max(200).default([]),
  staffUserIds: z.array(z.uuid()).max(50).default([]),
});
export const stationPatch = z.object({
  name: z.string().trim().min(2).max(100).optional(),
  kind: z.enum(stationKinds).optional(),
  town: z.string().trim().max(50).optional(),
  address: z.string().trim().max(200).optional(),
  openingHours: z.string().trim().max(200).optional(),
  deputyIds: z.array(z.uuid()).max(200).optional(),
  staffUserIds: z.array(z.uuid()).max(50).optional(),
  active: z.boolean().optional(),
});
export const dutiesBody = z.object({
  duties: z
    .array(
      z.object({
        deputyId: z.uuid(),
        day: z.iso.date(),
        slot: z.enum(['am', 'pm', 'day']).default('day'),
      }),
    )
    .max(500),
});

// ---- responses ----

const option = z.object({ value: z.string(), label: z.string() });

/** GET /api/intake/targets/:code: what the QR code opens (no personal data). */
export const targetView = z.object({
  code: z.string(),
  kind: z.enum(['station', 'deputy']),
  name: z.string(),
  stationKind: z.string().nullable(),
  stationKindLabel: z.string().nullable(),
  town: z.string(),
  address: z.string(),
  openingHours: z.string(),
  deputies: z.array(z.string()),
  /** 今日值班代表: the deputies on duty today (China time), named as on the roster. */
  onDutyToday: z.array(z.object({ name: z.string(), slot: z.string(), slotLabel: z.string() })),
  /** 值班安排: the roster of the coming 14 days (names only). */
  duties: z.array(z.object({ day: z.string(), slot: z.string(), slotLabel: z.string(), name: z.string() })),
  categories: z.array(option),
  url: z.string(),
});

/** POST /api/intake/targets/:code/messages and /api/messages/offline. */
export const messageCreated = z.object({
  trackingCode: z.string(),
  trackUrl: z.string().nullable(),
  id: z.uuid().optional(),
});

/** GET /api/intake/track/:code: progress in plain words; never name or phone. */
export const trackView = z.object({
  trackingCode: z.string(),
  status: z.enum(messageStatuses),
  statusLabel: z.string(),
  progress: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  content: z.string(),
  createdAt: z.string(),
  to: z.string().nullable(),
  claimerName: z.string().nullable(),
  unitName: z.string().nullable(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  rating: z.string().nullable(),
  ratingLabel: z.string().nullable(),
  canRate: z.boolean(),
  suggestion: z
    .object({
      registrationNo: z.string(),
      status: z.string(),
      /** The suggestion has been answered (建议已答复): told to the constituent here. */
      answered: z.boolean(),
      answeredAt: z.string().nullable(),
      notice: z.string().nullable(),
    })
    .nullable(),
  /** 合并办理: this message was merged as a duplicate; progress and answer are the surviving one's. */
  merged: z.boolean(),
});
export const ratingResult = z.object({
  trackingCode: z.string(),
  status: z.literal('rated'),
  rating: z.enum(messageRatings),
});

/** One message as its handlers see it; name/phone/consent null unless the caller handles it (station deputies and staff). */
export const messageView = z.object({
  id: z.uuid(),
  trackingCode: z.string(),
  status: z.enum(messageStatuses),
  statusLabel: z.string(),
  category: z.string(),
  content: z.string(),
  channel: z.string(),
  stationId: z.uuid().nullable(),
  stationName: z.string().nullable(),
  deputyId: z.uuid().nullable(),
  deputyName: z.string().nullable(),
  claimedByDeputyId: z.uuid().nullable(),
  claimedByUserId: z.uuid().nullable(),
  claimerName: z.string().nullable(),
  unitId: z.uuid().nullable(),
  unitName: z.string().nullable(),
  forwardNote: z.string().nullable(),
  createdAt: z.string(),
  claimDeadlineAt: z.string().nullable(),
  claimOverdue: z.boolean(),
  claimedAt: z.string().nullable(),
  forwardedAt: z.string().nullable(),
  answerDeadlineAt: z.string().nullable(),
  overdue: z.boolean(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  onTime: z.boolean().nullable(),
  suggestionId: z.uuid().nullable(),
  suggestionAnsweredAt: z.string().nullable(),
  mergedIntoId: z.uuid().nullable(),
  mergedIntoCode: z.string().nullable(),
  mergeReason: z.string().nullable(),
  /** Messages merged into this one (their count). */
  mergedCount: z.number().int(),
  rating: z.string().nullable(),
  ratingComment: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  consentContact: z.boolean().nullable(),
  /** The steps the caller may take now (rules module: decideMessage). */
  allowedActions: z.array(z.enum(messageActions)),
});
export type MessageView = z.infer<typeof messageView>;
export const messageList = z.object({
  items: z.array(messageView),
  /** Every message that matches the filters (all pages). */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

const stationRef = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  town: z.string(),
});
/** The caller's stations; for a deputy also their own duties from today on, and who is on duty today. */
export const myStations = z.object({
  items: z.array(
    stationRef.extend({
      onDutyToday: z.array(z.string()),
      myDuties: z.array(z.object({ day: z.string(), slot: z.string(), slotLabel: z.string() })),
    }),
  ),
});

export const stationSummary = stationRef.extend({
  address: z.string(),
  openingHours: z.string(),
  active: z.boolean(),
  deputies: z.number().int(),
  staff: z.number().int(),
  messages: z.number().int(),
});
export const stationListView = z.object({
  items: z.array(stationSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const stationDetailView = stationRef.extend({
  address: z.string(),
  openingHours: z.string(),
  active: z.boolean(),
  kindLabel: z.string(),
  deputies: z.array(z.object({ id: z.uuid(), name: z.string(), town: z.string().nullable() })),
  staff: z.array(z.object({ id: z.uuid(), username: z.string(), displayName: z.string() })),
  duties: z.array(
    z.object({ deputyId: z.uuid(), deputyName: z.string(), day: z.string(), slot: z.string() }),
  ),
});
export type StationDetail = z.infer<typeof stationDetailView>;
export const deputyCodeList = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), town: z.string().nullable(), code: z.string() })),
});

// ---- 一码通 statistics (overseers) ----

/** GET /api/stats/messages and /api/exports/message-stats.xlsx: messages received between two China dates. */
export const messageStatsQuery = z.object({
  from: optionalQuery(z.iso.date()),
  to: optionalQuery(z.iso.date()),
});
const messageStatsRow = z.object({
  key: z.string(),
  label: z.string(),
  town: z.string(),
  received: z.number().int(),
  claimed: z.number().int(),
  claimedInTime: z.number().int(),
  claimedInTimeRate: z.number().nullable(),
  answered: z.number().int(),
  answeredInTime: z.number().int(),
  answeredInTimeRate: z.number().nullable(),
  forwarded: z.number().int(),
  converted: z.number().int(),
  rated: z.number().int(),
  satisfied: z.number().int(),
  basicallySatisfied: z.number().int(),
  unsatisfied: z.number().int(),
  satisfactionRate: z.number().nullable(),
});
export const messageStatsView = z.object({
  total: messageStatsRow,
  byTown: z.array(messageStatsRow),
  byStation: z.array(messageStatsRow),
  definitions: z.array(
    z.object({ key: z.string(), zh: z.string(), en: z.string(), defZh: z.string(), defEn: z.string() }),
  ),
});
export type MessageStatsView = z.infer<typeof messageStatsView>;

/** GET /api/messages/:id/similar: 疑似重复 messages (same station, where a merge may go) and suggestions. */
export const messageSimilarView = z.object({
  messages: z.array(
    z.object({
      id: z.uuid(),
      trackingCode: z.string(),
      status: z.enum(messageStatuses),
      statusLabel: z.string(),
      excerpt: z.string(),
      createdAt: z.string(),
      score: z.number(),
      sharedTerms: z.array(z.string()),
    }),
  ),
  suggestions: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      status: z.string(),
      registrationNo: z.string().nullable(),
      sessionYear: z.number().nullable(),
      score: z.number(),
      sharedTerms: z.array(z.string()),
    }),
  ),
  /** Whether the caller may merge this message now (the merge step's own rule). */
  canMerge: z.boolean(),
});
