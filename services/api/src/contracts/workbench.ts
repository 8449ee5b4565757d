/** Contracts of the workbench look-ups (units' requests, directories, inbox, deadline preview). */
import { z } from 'zod';
import { itemsWithTotal } from './common';
import { deadlineInfo, unitRequestRecord } from './suggestions';

/** GET /api/unit-requests. */
export const unitRequestListQuery = z.object({
  status: z.enum(['pending', 'approved', 'refused', 'all']).default('pending'),
});

// ---- responses ----

const durationView = z.object({ amount: z.number(), unit: z.string() });
const previewPart = z.object({
  deadlineAt: z.string(),
  deadlineDate: z.string(),
  workingDays: z.number().int(),
  duration: durationView,
  /** Counted through a year whose holidays are not loaded yet: re-planned when it is. */
  provisional: z.boolean(),
});
/** GET /api/deadline-preview: the deadlines an assignment made now would get. */
export const deadlinePreview = z.object({
  policyKey: z.string(),
  from: z.string(),
  today: z.string(),
  reassignmentRequest: previewPart,
  coHandlerOpinion: previewPart,
  reply: previewPart,
});

/** GET /api/unit-inbox: the caller's unit's parts, newest first. */
export const unitInbox = itemsWithTotal(
  z.looseObject({
    id: z.uuid(),
    title: z.string(),
    status: z.string(),
    registrationNo: z.string().nullable(),
    leadDeputyName: z.string().nullable(),
    keySupervision: z.boolean(),
    role: z.string(),
    round: z.number().int(),
    assignmentStatus: z.string(),
    assignedAt: z.string(),
    signedInAt: z.string().nullable(),
    deadlineAt: z.string().nullable(),
    requestPending: z.boolean(),
    deadline: deadlineInfo.nullable(),
  }),
);

/** GET /api/directory/units. */
export const unitDirectory = z.object({
  items: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string() })),
});
/** GET /api/directory/deputies. */
export const deputyDirectory = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), town: z.string(), level: z.string() })),
});
/** GET /api/directory/supervisors: who may lead a key item (督办领导). */
export const supervisorDirectory = z.object({
  items: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
});
/** GET /api/unit-requests. */
export const unitRequestList = itemsWithTotal(
  unitRequestRecord.extend({
    suggestionId: z.uuid(),
    title: z.string(),
    registrationNo: z.string().nullable(),
    suggestionStatus: z.string(),
    requestedByName: z.string().nullable(),
  }),
);

export type DeadlinePreview = z.infer<typeof deadlinePreview>;
export type UnitInbox = z.infer<typeof unitInbox>;
export type UnitRequestList = z.infer<typeof unitRequestList>;

/** GET /api/unit-inbox: optional keyword (full-text, as the suggestion list's q). */
export const unitInboxQuery = z.object({
  q: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(1).max(100).optional()),
});
