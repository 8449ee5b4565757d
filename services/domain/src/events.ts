/**
 * Status events: the typed contracts that producers (workflow activities, via the outbox) and
 * consumers (tracker, notifier, points) share. Events are stored (outbox, Kafka log), so a
 * change to a payload needs a new `version`, never an edit of an existing one.
 */
import { z } from 'zod';
import { suggestionStatuses } from './status';
import { roles } from './roles';

const status = z.enum(suggestionStatuses as [string, ...string[]]);

export const actorSchema = z.object({
  userId: z.string().nullable(),
  role: z.enum(roles as [string, ...string[]]).nullable(),
  name: z.string().optional(),
  /** The unit a unit handler or leader acts for; checked by the workflow's validators. */
  unitId: z.string().nullable().optional(),
  deputyId: z.string().nullable().optional(),
  /** 主要负责人: a unit leader who may sign off replies on key items (重点督办). */
  principal: z.boolean().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

const envelope = {
  id: z.uuid(),
  version: z.literal(1),
  suggestionId: z.uuid(),
  occurredAt: z.iso.datetime(),
  actor: actorSchema,
  policyVersion: z.string(),
};

/** Who may see the item: carried on every event so consumers can filter without a lookup. */
const audience = z.object({ deputyIds: z.array(z.string()), unitIds: z.array(z.string()) });

const statusChange = z.object({ from: status, to: status, audience });

export const suggestionEventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('suggestion.submitted'), data: statusChange }),
  z.object({ ...envelope, type: z.literal('suggestion.withdrawn'), data: statusChange }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.returned'),
    data: statusChange.extend({ comments: z.string() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.accepted'),
    data: statusChange.extend({ registrationNo: z.string() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.rejected'),
    data: statusChange.extend({ reason: z.string() }),
  }),
  /** 转来信处理; the reason is required since issue 9 (older events have none). */
  z.object({
    ...envelope,
    type: z.literal('suggestion.converted'),
    data: statusChange.extend({ reason: z.string().optional() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.merged'),
    data: statusChange.extend({ intoSuggestionId: z.string(), reason: z.string().optional() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.assigned'),
    data: statusChange.extend({
      mode: z.enum(['separate', 'lead']),
      leadUnitId: z.string().nullable(),
      unitIds: z.array(z.string()),
      coUnitIds: z.array(z.string()),
    }),
  }),
  z.object({ ...envelope, type: z.literal('suggestion.handling_started'), data: statusChange }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.signed_in'),
    data: statusChange.extend({ unitId: z.string() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.contact_logged'),
    data: statusChange.extend({ unitId: z.string(), form: z.string(), contactedOn: z.string() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.opinion_sent'),
    data: statusChange.extend({ unitId: z.string() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.reply_drafted'),
    data: statusChange.extend({
      unitId: z.string(),
      round: z.number().int(),
      category: z.enum(['A', 'B', 'C', 'D']),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.reply_signed'),
    data: statusChange.extend({ unitId: z.string(), round: z.number().int() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.reply_sent'),
    data: statusChange.extend({
      unitId: z.string(),
      round: z.number().int(),
      category: z.enum(['A', 'B', 'C', 'D']),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.replied'),
    data: statusChange.extend({ round: z.number().int() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.rated'),
    data: statusChange.extend({
      round: z.number().int(),
      rating: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied', 'no_feedback']),
      cosigner: z.boolean().optional(),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.reply_returned'),
    data: statusChange.extend({ unitId: z.string(), round: z.number().int(), reason: z.string() }),
  }),
  /** 不予公开: the reviewer marks the item confidential (涉密), or the lead deputy objects to publication with reasons. */
  z.object({
    ...envelope,
    type: z.literal('suggestion.publication_withheld'),
    data: statusChange.extend({ kind: z.enum(['confidential', 'objection']), reason: z.string() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.progress_report_due'),
    data: statusChange.extend({ period: z.number().int(), unitIds: z.array(z.string()) }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.progress_reported'),
    data: statusChange.extend({ unitId: z.string(), period: z.number().int() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.rehandling'),
    data: statusChange.extend({ round: z.number().int() }),
  }),
  z.object({ ...envelope, type: z.literal('suggestion.consultation_recorded'), data: statusChange }),
  z.object({ ...envelope, type: z.literal('suggestion.closed'), data: statusChange }),
  /**
   * 历史导入: an item handled before the platform, imported closed with its reply (Excel import). Written
   * to the outbox as already published: it is history, not news (no notice, no points, no live push).
   */
  z.object({
    ...envelope,
    type: z.literal('suggestion.imported'),
    data: statusChange.extend({
      registrationNo: z.string(),
      sessionYear: z.number().int(),
      replyDate: z.iso.date(),
      closedDate: z.iso.date(),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.published'),
    data: statusChange.extend({ confidential: z.boolean() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.reassignment_requested'),
    data: statusChange.extend({ unitId: z.string(), reason: z.string() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.reassignment_decided'),
    data: statusChange.extend({
      unitId: z.string(),
      approved: z.boolean(),
      newUnitId: z.string().nullable(),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.extension_requested'),
    data: statusChange.extend({
      unitId: z.string(),
      reason: z.string(),
      amount: z.number(),
      unit: z.string(),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.extension_decided'),
    data: statusChange.extend({ unitId: z.string(), approved: z.boolean(), deadlineAt: z.iso.datetime() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.follow_up_due'),
    data: statusChange.extend({ unitId: z.string(), promisedDate: z.string() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.follow_up_reported'),
    data: statusChange.extend({ unitId: z.string(), final: z.boolean() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.urged'),
    /** `addressee`: who holds the running clock (issue 9; older events have none and were to the units). */
    data: statusChange.extend({
      unitId: z.string().nullable(),
      note: z.string(),
      addressee: z.enum(['reviewer', 'units', 'deputy']).optional(),
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.key_supervision_set'),
    data: statusChange.extend({ supervisingLeaderId: z.string().nullable() }),
  }),
  z.object({
    ...envelope,
    type: z.literal('suggestion.deadline'),
    data: statusChange.extend({
      clock: z.enum(['reply', 'opinion', 'rehandling', 'evaluation', 'sign_in', 'pre_review', 'assignment']),
      level: z.enum(['reminder', 'yellow', 'red']),
      fraction: z.number().nullable(),
      unitId: z.string().nullable(),
      deadlineAt: z.iso.datetime(),
    }),
  }),
  /** 优秀建议: the reviewer or a supervisor named the item an excellent suggestion, with the reason. */
  z.object({
    ...envelope,
    type: z.literal('suggestion.marked_excellent'),
    data: statusChange.extend({ reason: z.string() }),
  }),
  /**
   * A year's holidays were loaded (工作日历): a running clock counted through it was re-planned. A unit's
   * clock names the unit; the item's own clocks (pre-review, assignment, evaluation; issue 9) have no
   * unit and name the clock (older events: a unit's clock, no `clock`).
   */
  z.object({
    ...envelope,
    type: z.literal('suggestion.deadline_replanned'),
    data: statusChange.extend({
      unitId: z.string().nullable(),
      clock: z.enum(['pre_review', 'assignment', 'evaluation']).optional(),
      previousDeadlineAt: z.iso.datetime(),
      deadlineAt: z.iso.datetime(),
      /** The years whose holidays were loaded. */
      years: z.array(z.number().int()),
    }),
  }),
]);
export type SuggestionEvent = z.infer<typeof suggestionEventSchema>;
export type SuggestionEventType = SuggestionEvent['type'];

export function parseEvent(raw: unknown): SuggestionEvent {
  return suggestionEventSchema.parse(raw);
}

// ---- Constituent messages (群众留言, 一码通) ----
// Their own envelope: `messageId` instead of `suggestionId`; the outbox key (Kafka key) is the
// message id. The audience names the station's deputies, the unit the message was forwarded to and
// the station's staff users, so the tracker filters without a lookup. The constituent's name and
// phone never travel in an event.
const messageStatus = z.enum([
  'pending_claim',
  'claimed',
  'forwarded',
  'answered',
  'converted',
  'rated',
  'closed',
  'merged',
]);
const messageAudience = z.object({
  deputyIds: z.array(z.string()),
  unitIds: z.array(z.string()),
  userIds: z.array(z.string()),
});
const messageChange = z.object({
  from: messageStatus,
  to: messageStatus,
  audience: messageAudience,
  stationId: z.string().nullable(),
});
const messageEnvelope = {
  id: z.uuid(),
  version: z.literal(1),
  messageId: z.uuid(),
  occurredAt: z.iso.datetime(),
  actor: actorSchema,
  policyVersion: z.string(),
};

export const messageEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...messageEnvelope,
    type: z.literal('message.received'),
    data: messageChange.extend({ channel: z.enum(['online', 'offline', 'open311']), category: z.string() }),
  }),
  z.object({
    ...messageEnvelope,
    type: z.literal('message.claimed'),
    data: messageChange.extend({ deputyId: z.string().nullable(), onTime: z.boolean() }),
  }),
  /** Nobody claimed it within the claim clock (24 h): it goes to the station's staff with a warning. */
  z.object({
    ...messageEnvelope,
    type: z.literal('message.claim_overdue'),
    data: messageChange.extend({ deadlineAt: z.iso.datetime() }),
  }),
  z.object({
    ...messageEnvelope,
    type: z.literal('message.forwarded'),
    data: messageChange.extend({ unitId: z.string(), deadlineAt: z.iso.datetime() }),
  }),
  /** The unit's answer clock (7 working days): reminders at 50/75%, yellow, red (escalated). */
  z.object({
    ...messageEnvelope,
    type: z.literal('message.deadline'),
    data: messageChange.extend({
      level: z.enum(['reminder', 'yellow', 'red']),
      fraction: z.number().nullable(),
      unitId: z.string(),
      deadlineAt: z.iso.datetime(),
    }),
  }),
  z.object({
    ...messageEnvelope,
    type: z.literal('message.answered'),
    data: messageChange.extend({
      by: z.enum(['deputy', 'staff', 'unit']),
      unitId: z.string().nullable(),
      /** The deputy who claimed it (credited when handled on time). */
      claimerDeputyId: z.string().nullable(),
      onTime: z.boolean(),
    }),
  }),
  z.object({
    ...messageEnvelope,
    type: z.literal('message.converted'),
    data: messageChange.extend({
      suggestionId: z.string(),
      claimerDeputyId: z.string().nullable(),
      /** Linked to an existing suggestion (a suggestion may gather several messages) rather than a new draft. */
      linked: z.boolean().optional(),
    }),
  }),
  /** 合并重复留言: the message is handled with (and answered through) the surviving one. */
  z.object({
    ...messageEnvelope,
    type: z.literal('message.merged'),
    data: messageChange.extend({ intoMessageId: z.uuid(), reason: z.string() }),
  }),
  /** The suggestion made from (or linked to) this message has been answered (建议已答复): the constituent is told. */
  z.object({
    ...messageEnvelope,
    type: z.literal('message.suggestion_answered'),
    data: messageChange.extend({ suggestionId: z.string(), registrationNo: z.string().nullable() }),
  }),
  z.object({
    ...messageEnvelope,
    type: z.literal('message.rated'),
    data: messageChange.extend({
      rating: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied', 'no_feedback']),
    }),
  }),
]);
export type MessageEvent = z.infer<typeof messageEventSchema>;
export type MessageEventType = MessageEvent['type'];

export function parseMessageEvent(raw: unknown): MessageEvent {
  return messageEventSchema.parse(raw);
}

// ---- 家站点履职 (issue 11): appointments, duty days, activities, training ----
// Their own envelope: `recordId` names the appointment, duty, activity or training session (the
// outbox key). The audience names the deputies concerned and the station's staff users, so the
// tracker filters without a lookup; `attendeeDeputyIds` names whom the points rules credit
// (rules.json `to: attendees`). The constituent's name and phone never travel in an event.
const stationAudience = z.object({
  deputyIds: z.array(z.string()),
  unitIds: z.array(z.string()),
  userIds: z.array(z.string()),
});
const stationRecord = z.object({
  audience: stationAudience,
  stationId: z.string().nullable(),
  /** China date (YYYY-MM-DD) the record is for: the appointment's, duty's, activity's or session's day. */
  day: z.iso.date(),
  attendeeDeputyIds: z.array(z.string()),
});
const stationEnvelope = {
  id: z.uuid(),
  version: z.literal(1),
  recordId: z.uuid(),
  occurredAt: z.iso.datetime(),
  actor: actorSchema,
  policyVersion: z.string(),
};
const slot = z.enum(['am', 'pm', 'day']);
const appointmentData = stationRecord.extend({ deputyId: z.string(), slot });

export const stationEventSchema = z.discriminatedUnion('type', [
  /** 约见: a constituent (or staff for them) asked to meet a deputy on a duty slot. */
  z.object({ ...stationEnvelope, type: z.literal('station.appointment_requested'), data: appointmentData }),
  z.object({ ...stationEnvelope, type: z.literal('station.appointment_confirmed'), data: appointmentData }),
  z.object({
    ...stationEnvelope,
    type: z.literal('station.appointment_declined'),
    data: appointmentData.extend({ reason: z.string() }),
  }),
  /** The staff recorded that the meeting took place (约见已见面): credits the deputy. */
  z.object({ ...stationEnvelope, type: z.literal('station.appointment_held'), data: appointmentData }),
  z.object({ ...stationEnvelope, type: z.literal('station.appointment_missed'), data: appointmentData }),
  /** The staff recorded that the deputy served the duty (值班): credits the deputy. */
  z.object({
    ...stationEnvelope,
    type: z.literal('station.duty_served'),
    data: stationRecord.extend({ deputyId: z.string(), slot }),
  }),
  /** A station activity (接待日, 问政, 视察, 学习) with the deputies who attended. */
  z.object({
    ...stationEnvelope,
    type: z.literal('station.activity_recorded'),
    data: stationRecord.extend({ kind: z.enum(['reception', 'questioning', 'inspection', 'study']) }),
  }),
  /** 代表讲堂: deputies attended a training session (one event per session and recording). */
  z.object({ ...stationEnvelope, type: z.literal('station.training_attended'), data: stationRecord }),
]);
export type StationEvent = z.infer<typeof stationEventSchema>;
export type StationEventType = StationEvent['type'];
export function parseStationEvent(raw: unknown): StationEvent {
  return stationEventSchema.parse(raw);
}

/** Any kind of stored event: a suggestion's, a constituent message's, or a station record's. */
export type DomainEvent = SuggestionEvent | MessageEvent | StationEvent;
export function isMessageEvent(e: DomainEvent): e is MessageEvent {
  return e.type.startsWith('message.');
}
export function isStationEvent(e: DomainEvent): e is StationEvent {
  return e.type.startsWith('station.');
}
export function parseAnyEvent(raw: unknown): DomainEvent {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && type.startsWith('message.')) return parseMessageEvent(raw);
  if (typeof type === 'string' && type.startsWith('station.')) return parseStationEvent(raw);
  return parseEvent(raw);
}
