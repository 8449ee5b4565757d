/**
 * Contracts of the stations' records (家站点履职, issue 11): appointments (约见) booked on a duty slot
 * by a constituent (public, no account: /api/intake) or by the station's staff for them
 * (/api/appointments), the deputy's confirmation or refusal, the attendance recorded afterwards; the
 * day's desk of a station (duties and appointments, duty days served); activities (接待日, 问政, 视察,
 * 学习); training sessions (代表讲堂); a deputy's record (履职档案). Personal data (name, phone) is in
 * `appointmentView` only for the deputy asked for and the station's staff; never in a public answer.
 */
import { z } from 'zod';
import { activityKinds, appointmentStatuses, dutySlots } from '@jianyi/domain';
import type { FieldLabels } from './common';
import { optionalQuery, queryInt } from './common';

export const stationRecordLabels: FieldLabels = {
  deputyId: '代表',
  stationId: '站点',
  day: '日期',
  slot: '时段',
  topic: '约见事由',
  name: '姓名',
  phone: '手机号码',
  reason: '婉拒原因',
  held: '是否见面',
  served: '是否到岗值班',
  kind: '活动类型',
  title: '标题',
  summary: '活动纪要',
  attendeeDeputyIds: '参加代表',
  venue: '地点',
  speaker: '主讲人',
  deputyIds: '参加代表',
  year: '年度',
  term: '届次',
  town: '镇(街道)',
  delegation: '代表团',
  status: '状态',
};

/** A mainland mobile number (11 digits, from 1) or a landline; the appointment is phone-first. */
export const phoneNumber = z
  .string()
  .trim()
  .regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'a mainland mobile (11 digits) or landline number');

const day = z.iso.date();
const slot = z.enum(dutySlots);

/** POST /api/intake/targets/:code/appointments: what a constituent fills in. */
export const appointmentBody = z.object({
  deputyId: z.uuid(),
  day,
  slot,
  topic: z.string().trim().min(5).max(1000),
  name: z.string().trim().max(50).optional().nullable(),
  phone: phoneNumber,
  /** Honeypot, as on the message form: a filled one is answered like a success and nothing is stored. */
  website: z.string().max(200).optional(),
});
/** POST /api/appointments: the station's staff book for a constituent (at the desk or on the phone). */
export const staffAppointmentBody = appointmentBody.omit({ website: true }).extend({ stationId: z.uuid() });
export const declineBody = z.object({ reason: z.string().trim().min(2).max(500) });
export const attendanceBody = z.object({ held: z.boolean() });
export const dutyAttendanceBody = z.object({ served: z.boolean() });
export const appointmentListQuery = z.object({
  day: optionalQuery(day),
  stationId: optionalQuery(z.uuid()),
  status: optionalQuery(z.enum(appointmentStatuses)),
  limit: optionalQuery(queryInt(1, 200)),
});
export const dayQuery = z.object({ day: optionalQuery(day) });
export const appointmentTrackParams = z.object({ code: z.string().max(40) });
export const dutyParams = z.object({ id: z.uuid(), dutyId: z.uuid() });

/** GET /api/intake/targets/:code/slots: the duty slots of the next weeks, free or taken (no personal data). */
export const slotList = z.object({
  items: z.array(
    z.object({
      stationId: z.uuid(),
      stationName: z.string(),
      deputyId: z.uuid(),
      deputyName: z.string(),
      day: z.string(),
      slot,
      slotLabel: z.string(),
      available: z.boolean(),
    }),
  ),
});
export const appointmentCreated = z.object({
  trackingCode: z.string(),
  trackUrl: z.string().nullable(),
  id: z.uuid().optional(),
});
/** GET /api/intake/appointments/:code: the constituent's view; never name or phone. */
export const appointmentTrackView = z.object({
  trackingCode: z.string(),
  status: z.enum(appointmentStatuses),
  statusLabel: z.string(),
  progress: z.string(),
  stationName: z.string(),
  address: z.string(),
  deputyName: z.string(),
  day: z.string(),
  slot,
  slotLabel: z.string(),
  topic: z.string(),
  declineReason: z.string().nullable(),
  createdAt: z.string(),
});

export const appointmentActions = ['confirm', 'decline', 'attendance'] as const;
/** One appointment as the deputy, the station's staff or an overseer sees it. */
export const appointmentView = z.object({
  id: z.uuid(),
  trackingCode: z.string(),
  stationId: z.uuid(),
  stationName: z.string(),
  deputyId: z.uuid(),
  deputyName: z.string(),
  day: z.string(),
  slot,
  slotLabel: z.string(),
  topic: z.string(),
  channel: z.string(),
  status: z.enum(appointmentStatuses),
  statusLabel: z.string(),
  declineReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  attendanceAt: z.string().nullable(),
  createdAt: z.string(),
  /** Personal data: only for the deputy asked for and the station's staff (null for everyone else). */
  name: z.string().nullable(),
  phone: z.string().nullable(),
  /** The steps the caller may take now. */
  allowedActions: z.array(z.enum(appointmentActions)),
});
export type AppointmentView = z.infer<typeof appointmentView>;
export const appointmentList = z.object({ items: z.array(appointmentView) });

/** GET /api/stations/:id/day: the station's desk for one day (值班 and 约见). */
export const stationDayView = z.object({
  stationId: z.uuid(),
  stationName: z.string(),
  day: z.string(),
  duties: z.array(
    z.object({
      id: z.uuid(),
      deputyId: z.uuid(),
      deputyName: z.string(),
      slot,
      slotLabel: z.string(),
      served: z.boolean().nullable(),
    }),
  ),
  appointments: z.array(appointmentView),
  /** The caller may record attendance (the station's staff, on or after the day). */
  canRecord: z.boolean(),
});

export const activityBody = z.object({
  stationId: z.uuid(),
  kind: z.enum(activityKinds),
  day,
  title: z.string().trim().min(2).max(100),
  summary: z.string().trim().max(5000).default(''),
  attendeeDeputyIds: z.array(z.uuid()).min(1).max(200),
});
export const activityListQuery = z.object({
  stationId: optionalQuery(z.uuid()),
  deputyId: optionalQuery(z.uuid()),
  limit: optionalQuery(queryInt(1, 200)),
});
export const activityView = z.object({
  id: z.uuid(),
  stationId: z.uuid(),
  stationName: z.string(),
  kind: z.enum(activityKinds),
  kindLabel: z.string(),
  day: z.string(),
  title: z.string(),
  summary: z.string(),
  attendees: z.array(z.object({ id: z.uuid(), name: z.string() })),
  recordedByName: z.string(),
  createdAt: z.string(),
});
export const activityList = z.object({ items: z.array(activityView) });

export const trainingBody = z.object({
  title: z.string().trim().min(2).max(100),
  day,
  venue: z.string().trim().max(100).default(''),
  speaker: z.string().trim().max(50).default(''),
  deputyIds: z.array(z.uuid()).max(500).default([]),
});
export const trainingAttendanceBody = z.object({ deputyIds: z.array(z.uuid()).min(1).max(500) });
export const trainingView = z.object({
  id: z.uuid(),
  title: z.string(),
  day: z.string(),
  venue: z.string(),
  speaker: z.string(),
  attendees: z.array(z.object({ id: z.uuid(), name: z.string() })),
});
export const trainingList = z.object({ items: z.array(trainingView) });

// ---- 履职档案 ----

export const recordQuery = z.object({
  year: optionalQuery(queryInt(2000, 2100)),
});
const pts = z.number().int();
export const recordSources = [
  'suggestions',
  'messages',
  'dutyDays',
  'appointments',
  'activities',
  'trainings',
] as const;
export const deputyRecordView = z.object({
  deputy: z.object({
    id: z.uuid(),
    name: z.string(),
    town: z.string(),
    delegation: z.string(),
    level: z.string(),
  }),
  /** The year shown (null: every year), and the term (届) it falls in when the sessions say so. */
  year: z.number().int().nullable(),
  term: z.number().int().nullable(),
  /** The years with any record, newest first, each with its term. */
  periods: z.array(z.object({ year: z.number().int(), term: z.number().int().nullable() })),
  totals: z.object({
    points: pts,
    bySource: z.array(
      z.object({ source: z.enum(recordSources), label: z.string(), count: z.number().int(), points: pts }),
    ),
  }),
  suggestions: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      role: z.enum(['lead', 'cosigner']),
      status: z.string(),
      statusLabel: z.string(),
      registrationNo: z.string().nullable(),
      replyCategory: z.string().nullable(),
      rating: z.string().nullable(),
      excellent: z.boolean(),
      confidential: z.boolean(),
      submittedAt: z.string().nullable(),
      points: pts,
    }),
  ),
  messages: z.array(
    z.object({
      id: z.uuid(),
      trackingCode: z.string(),
      stationName: z.string().nullable(),
      status: z.string(),
      statusLabel: z.string(),
      claimedAt: z.string().nullable(),
      answeredAt: z.string().nullable(),
      onTime: z.boolean().nullable(),
      points: pts,
    }),
  ),
  dutyDays: z.array(
    z.object({
      id: z.uuid(),
      stationName: z.string(),
      day: z.string(),
      slotLabel: z.string(),
      served: z.boolean().nullable(),
      points: pts,
    }),
  ),
  appointments: z.array(
    z.object({
      id: z.uuid(),
      stationName: z.string(),
      day: z.string(),
      slotLabel: z.string(),
      status: z.enum(appointmentStatuses),
      statusLabel: z.string(),
      points: pts,
    }),
  ),
  activities: z.array(
    z.object({
      id: z.uuid(),
      stationName: z.string(),
      kindLabel: z.string(),
      day: z.string(),
      title: z.string(),
      points: pts,
    }),
  ),
  trainings: z.array(z.object({ id: z.uuid(), title: z.string(), day: z.string(), points: pts })),
});
export type DeputyRecordView = z.infer<typeof deputyRecordView>;
