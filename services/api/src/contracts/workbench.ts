/** Contracts of the workbench look-ups (units' requests, directories, inbox, deadline preview). */
import { z } from 'zod';
import { itemsWithTotal, optionalQuery, queryInt, type FieldLabels } from './common';
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
).extend({ page: z.number().int(), pageSize: z.number().int() });

/** GET /api/directory/units. */
export const unitDirectory = z.object({
  items: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string() })),
});
/** GET /api/directory/deputies. */
export const deputyDirectory = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), town: z.string(), level: z.string() })),
  /** How many deputies match (all of them without `q`); more than `items` when `limit` cut the list. */
  total: z.number().int(),
});
/**
 * GET /api/directory/deputies: without parameters every deputy (a county's few hundred); a picker at a
 * province's size asks for `limit` of them and finds the others by name, town or delegation (`q`).
 */
export const deputyDirectoryLabels: FieldLabels = { q: '搜索词', limit: '条数' };
export const deputyDirectoryQuery = z.object({
  q: optionalQuery(z.string().trim().min(1).max(50)),
  limit: optionalQuery(queryInt(1, 200)),
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
  /** The unit's own state of its part: open (pending or signed in) or done (replied, closed…). */
  state: optionalQuery(z.enum(['open', 'done'])),
  /** Unset: relevance with q, else assignedAt. */
  sort: optionalQuery(z.enum(['assignedAt', 'deadlineAt', 'registrationNo'])),
  order: optionalQuery(z.enum(['asc', 'desc'])),
  page: queryInt(1, 1_000_000).default(1),
  pageSize: queryInt(1, 200).default(50),
});
export type UnitInboxQuery = z.infer<typeof unitInboxQuery>;

/** GET /api/unit-inbox/sign-off: 待我签发, replies drafted in the caller's unit that the caller may sign off. */
export const signOffQueue = itemsWithTotal(
  z.object({
    id: z.uuid(),
    title: z.string(),
    registrationNo: z.string().nullable(),
    keySupervision: z.boolean(),
    round: z.number().int(),
    role: z.string(),
    category: z.string().nullable(),
    draftedAt: z.string(),
    draftedByName: z.string().nullable(),
    deadlineAt: z.string().nullable(),
    deadline: deadlineInfo.nullable(),
    /** Who must sign by the policy: a principal leader (主要负责人) on a key item, else any unit leader. */
    signOffBy: z.enum(['unit_leader', 'principal_leader']),
  }),
);

/** GET /api/me/clocks: the calling deputy's running clocks, per item. */
export const deputyClocks = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      registrationNo: z.string().nullable(),
      status: z.string(),
      lead: z.boolean(),
      clocks: z.array(
        deadlineInfo.extend({
          clock: z.enum(['pre_review', 'assignment', 'reply', 'evaluation']),
          holder: z.enum(['reviewer', 'units', 'deputy']),
          unitName: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type DeputyClocks = z.infer<typeof deputyClocks>;
