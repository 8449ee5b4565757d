/** Contracts of /api/suggestions: the deputy's draft, the reviewer's and coordinator's decisions, the units' steps. */
import { z } from 'zod';
// Domain modules by file: they import nothing, so the web can import the contracts.
import { suggestionStatuses } from '@jianyi/domain/src/status';
import { ruleActions, type RuleAction } from '@jianyi/domain/src/rules';
import { optionalQuery, page, queryBool, queryInt } from './common';

/** A deputy's suggestion (建议) as created or edited while it is a draft. */
export const suggestionDraftBody = z.object({
  title: z.string().trim().min(1).max(200),
  content: z.string().trim().min(10).max(20000),
  topic: z.string().trim().max(32).optional(),
  /** 联名代表 besides the lead deputy. */
  cosignerDeputyIds: z.array(z.uuid()).max(50).optional(),
});

/** 审查: the reviewer accepts, returns, rejects, converts or merges a submitted item. */
export const reviewDecisionBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept') }),
  z.object({ decision: z.literal('return'), comments: z.string().trim().min(1).max(2000) }),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(1).max(2000) }),
  // The deputy is always told the outcome and its reason (process.md, pre-review): 转来信 and 并案 too.
  z.object({ decision: z.literal('convert'), reason: z.string().trim().min(1).max(2000) }),
  z.object({
    decision: z.literal('merge'),
    intoSuggestionId: z.uuid(),
    reason: z.string().trim().min(1).max(2000),
  }),
]);

const unitIdList = z.array(z.uuid()).max(20);
/** 交办: separately to several units (分别办理), or to a lead unit with co-handlers (主办/协办). */
export const assignmentBody = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('separate'), unitIds: unitIdList.min(1) }),
  z.object({ mode: z.literal('lead'), leadUnitId: z.uuid(), coUnitIds: unitIdList.default([]) }),
]);

/** 批量交办: many items at once, each with its own assignment. */
export const bulkAssignmentBody = z.object({
  items: z
    .array(z.object({ id: z.uuid(), assignment: assignmentBody }))
    .min(1)
    .max(1000),
});

/** 沟通记录: a unit's contact with the deputy. */
export const contactRecordBody = z.object({
  contactedOn: z.iso.date(),
  form: z.enum(['面商', '电话', '座谈', '视察', '走访', '其他']),
  summary: z.string().trim().min(1).max(5000),
});

/** 答复草稿: a unit's reply draft (category A–D). */
export const replyDraftBody = z.object({
  category: z.enum(['A', 'B', 'C', 'D']),
  body: z.string().trim().min(10).max(50000),
  promisedDate: z.iso.date().optional(),
  explanation: z.string().trim().max(5000).optional(),
  /** 答复函: 文号, e.g. 市建复〔2026〕12号. */
  documentNo: z.string().trim().min(1).max(64).optional(),
  /** 答复函: the unit's contact person (联系人) and phone (联系电话) for the deputy. */
  contactPerson: z.string().trim().min(1).max(50).optional(),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,30}$/, '电话号码格式不正确 / not a phone number')
    .optional(),
});

/** 协办意见: a co-handler unit's opinion for the lead unit. */
export const coHandlerOpinionBody = z.object({ body: z.string().trim().min(1).max(20000) });

/** 测评: the deputy's (or a co-signer's) evaluation of the reply. */
export const evaluationBody = z.object({
  rating: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
  comment: z.string().trim().max(2000).optional(),
});

/** 协商会商: the coordinator's summary of a consultation among the units. */
export const consultationBody = z.object({ summary: z.string().trim().min(1).max(5000) });

/** 催办: a supervisor's or reviewer's urging note, to one unit or all. */
export const urgeBody = z.object({ note: z.string().trim().min(1).max(2000), unitId: z.uuid().optional() });

/** 重点督办: mark the item key, with its supervising leader. */
export const keySupervisionBody = z.object({ supervisingLeaderId: z.uuid().optional() });

/** 申请调整 / 申请延期: a unit's request for re-assignment or more time. */
export const unitRequestBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reassignment'), reason: z.string().trim().min(1).max(5000) }),
  z.object({
    kind: z.literal('extension'),
    reason: z.string().trim().min(1).max(5000),
    amount: z.object({
      amount: z.number().positive().max(1000),
      unit: z.enum(['working_days', 'calendar_days', 'months', 'hours', 'seconds']),
    }),
  }),
]);

/** The coordinator's decision on a unit's request. */
export const unitRequestDecisionBody = z.object({
  approve: z.boolean(),
  note: z.string().trim().max(2000).optional(),
  newUnitId: z.uuid().optional(),
});

/** 跟踪落实: a unit's follow-up report on a promised (B-category) reply. */
export const followUpReportBody = z.object({
  report: z.string().trim().min(1).max(20000),
  final: z.boolean(),
});

/** 退回重办: the reviewer sends a unit's reply back, with the reason. */
export const replyReturnBody = z.object({ reason: z.string().trim().min(1).max(5000) });

/** 不予公开: the reason an item closes unpublished (confidential, or the lead deputy's objection). */
export const withholdPublicationBody = z.object({ reason: z.string().trim().min(1).max(5000) });
/** POST /api/suggestions/:id/excellent: 优秀建议, with the reason (shown on the item and the public page). */
export const excellentBody = z.object({ reason: z.string().trim().min(1).max(2000) });
export const excellentResult = z
  .object({
    id: z.uuid(),
    status: z.enum(suggestionStatuses),
    excellent: z.literal(true),
    excellentReason: z.string(),
  })
  .meta({ id: 'ExcellentResult' });

/** 重点督办 progress report for the period now due. */
export const progressReportBody = z.object({ summary: z.string().trim().min(1).max(20000) });

export const suggestionSortFields = [
  'relevance',
  'createdAt',
  'submittedAt',
  'deadlineAt',
  'registrationNo',
  'updatedAt',
] as const;

/** GET /api/suggestions: filters, sort and page. */
export const suggestionListQuery = z.object({
  // One or several statuses, comma-separated (status=a,b) or repeated (status=a&status=b).
  status: optionalQuery(
    z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
      const parts = [
        ...new Set(
          (Array.isArray(v) ? v.join(',') : v)
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ];
      if (!parts.length || parts.some((x) => !(suggestionStatuses as string[]).includes(x))) {
        ctx.addIssue({
          code: 'invalid_value',
          values: suggestionStatuses,
          input: v,
          message: `status must be one or more of ${suggestionStatuses.join(', ')}, comma-separated`,
        });
        return z.NEVER;
      }
      return parts;
    }),
  ),
  unitId: optionalQuery(z.uuid()),
  deputyId: optionalQuery(z.uuid()),
  town: optionalQuery(z.string().trim().min(1).max(50)),
  sessionYear: optionalQuery(queryInt(1949, 9999)),
  topic: optionalQuery(z.string().trim().min(1).max(32)),
  overdue: optionalQuery(queryBool),
  key: optionalQuery(queryBool),
  q: optionalQuery(z.string().trim().min(1).max(100)),
  /** Unset: by relevance (ts_rank_cd) when q is given, else createdAt. */
  sort: optionalQuery(z.enum(suggestionSortFields)),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: queryInt(1, 1_000_000).default(1),
  pageSize: queryInt(1, 200).default(20),
  /** Keyset pagination: `nextCursor` of the previous page (then `page` is ignored). */
  cursor: optionalQuery(z.string().max(200)),
});

export type SuggestionDraftInput = z.infer<typeof suggestionDraftBody>;
export type ReviewDecision = z.infer<typeof reviewDecisionBody>;
export type AssignmentInput = z.infer<typeof assignmentBody>;
export type ContactRecordInput = z.infer<typeof contactRecordBody>;
export type ReplyDraftInput = z.infer<typeof replyDraftBody>;
export type EvaluationInput = z.infer<typeof evaluationBody>;
export type UnitRequestInput = z.infer<typeof unitRequestBody>;
export type UnitRequestDecisionInput = z.infer<typeof unitRequestDecisionBody>;
export type FollowUpReportInput = z.infer<typeof followUpReportBody>;
export type SuggestionListQuery = z.infer<typeof suggestionListQuery>;

// ---- responses ----

const ts = z.string();
const nullableTs = z.string().nullable();

/** One suggestion as GET /api/suggestions/:id answers it. */
export const suggestionView = z
  .looseObject({
    id: z.uuid(),
    title: z.string(),
    content: z.string(),
    status: z.enum(suggestionStatuses),
    leadDeputyId: z.uuid(),
    leadDeputyName: z.string().nullable(),
    registrationNo: z.string().nullable(),
    createdAt: ts,
    submittedAt: nullableTs,
    updatedAt: ts,
    /** 优秀建议, with the reason. */
    excellent: z.boolean().optional(),
    excellentReason: z.string().nullable().optional(),
  })
  .meta({ id: 'Suggestion' });

/** The steps the caller may take on the item now, by the rules module (@jianyi/domain `decide()`). */
export const allowedActionsView = z
  .array(z.enum(ruleActions as unknown as [RuleAction, ...RuleAction[]]))
  .meta({ id: 'AllowedActions' });

/** GET /api/suggestions/:id: the suggestion and what the caller may do on it now. */
export const suggestionDetail = suggestionView
  .extend({ allowedActions: allowedActionsView })
  .meta({ id: 'SuggestionDetail' });

/** A piece of highlighted text (search hits marked). */
export const textPiece = z.object({ text: z.string(), hit: z.boolean().optional() });

/** One row of GET /api/suggestions. */
export const suggestionListItem = suggestionView
  .extend({
    town: z.string().nullable(),
    sessionYear: z.number().int().nullable(),
    topic: z.string(),
    keySupervision: z.boolean(),
    deadlineAt: nullableTs,
    overdue: z.boolean(),
    units: z.array(z.object({ unitId: z.uuid(), unitName: z.string(), role: z.string() })),
    /** With `q`: the title and a piece of the text, the matched words marked (`hit`). */
    highlight: z.object({ title: z.array(textPiece), snippet: z.array(textPiece) }).optional(),
  })
  .meta({ id: 'SuggestionListItem' });
export const suggestionListPage = page(suggestionListItem);

/** POST /api/suggestions (201) and PATCH /api/suggestions/:id: the draft as saved. */
export const draftSaved = z.looseObject({
  id: z.uuid(),
  title: z.string(),
  content: z.string(),
  status: z.literal('draft'),
  cosignerDeputyIds: z.array(z.uuid()).optional(),
});

/** POST /api/suggestions/:id/submit (202): the workflow took it. */
export const submitAccepted = z.object({ id: z.uuid(), status: z.string(), workflowId: z.string() });

/** The item's workflow state after a decision (审查, 交办, 测评, 催办 …). */
export const suggestionState = z
  .looseObject({
    suggestionId: z.uuid(),
    status: z.enum(suggestionStatuses),
    registrationNo: z.string().nullable(),
    reviewRounds: z.number().int(),
    round: z.number().int(),
    assignment: assignmentBody.nullable(),
    ratings: z.array(z.object({ round: z.number().int(), rating: z.string() })),
    evaluationDeadline: nullableTs,
  })
  .meta({ id: 'SuggestionState' });

/** One unit's workflow state after its step (签收, 沟通, 答复, 签发, 申请 …). */
export const unitState = z
  .looseObject({
    unitId: z.uuid(),
    role: z.enum(['lead', 'co', 'separate']),
    round: z.number().int(),
    signedIn: z.boolean(),
    contacts: z.number().int(),
    draft: replyDraftBody.nullable(),
    signedOff: z.boolean(),
    done: z.boolean(),
    deadlineAt: ts,
    warnings: z.array(z.string()),
    pendingRequest: z.looseObject({ kind: z.string(), reason: z.string() }).nullable(),
    extensions: z.number().int(),
    reassignedTo: z.uuid().nullable(),
  })
  .meta({ id: 'UnitState' });

/** POST /api/suggestions/bulk-assign: one result per item. */
export const bulkAssignmentResult = z.object({
  total: z.number().int(),
  assigned: z.number().int(),
  results: z.array(
    z.looseObject({
      id: z.string(),
      ok: z.boolean(),
      status: z.string().optional(),
      problem: z.looseObject({}).optional(),
    }),
  ),
});

/** GET /api/suggestions/:id/handling: the handling record (办理记录). */
export const handlingRecord = z.looseObject({});

export const deadlineLevel = z.enum(['normal', 'yellow', 'red']);
export const deadlineInfo = z.object({
  deadlineAt: ts,
  deadlineDate: z.string(),
  workingDaysLeft: z.number().int(),
  overdue: z.boolean(),
  level: deadlineLevel,
  /** Counted through a year whose holidays are not loaded yet (暂按常规工作日计算): re-planned when it is. */
  provisional: z.boolean().optional(),
});

const replyRecord = z.looseObject({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  round: z.number().int(),
  category: z.string().nullable(),
  body: z.string(),
  promisedDate: z.string().nullable(),
  explanation: z.string().nullable(),
  createdAt: ts,
  signedAt: nullableTs,
  signedByName: z.string().nullable(),
  sentAt: nullableTs,
  draftedByName: z.string().nullable(),
  documentNo: z.string().nullable(),
  contactPerson: z.string().nullable(),
  contactPhone: z.string().nullable(),
});

export const unitRequestRecord = z.looseObject({
  id: z.uuid(),
  unitId: z.uuid(),
  unitName: z.string(),
  round: z.number().int(),
  kind: z.enum(['reassignment', 'extension']),
  reason: z.string(),
  requested: z.looseObject({}).nullable(),
  status: z.enum(['pending', 'approved', 'refused']),
  decisionNote: z.string().nullable(),
  decidedAt: nullableTs,
  createdAt: ts,
});

/** GET /api/suggestions/:id/timeline: the steps (办理轨迹) and the records beside them. */
export const timelineView = z
  .object({
    suggestion: suggestionView.extend({
      topic: z.string(),
      keySupervision: z.boolean(),
      round: z.number().int(),
      mergedIntoId: z.uuid().nullable(),
      consultationSummary: z.string().nullable(),
      cosigners: z.array(z.object({ id: z.uuid(), name: z.string() })),
      allowedActions: allowedActionsView,
    }),
    today: z.string(),
    steps: z.array(
      z.object({
        seq: z.number().int(),
        eventId: z.string(),
        type: z.string(),
        occurredAt: ts,
        actor: z.object({
          userId: z.string().nullable(),
          name: z.string().nullable(),
          role: z.string().nullable(),
        }),
        unitId: z.string().nullable(),
        unitName: z.string().nullable(),
        from: z.string().nullable(),
        to: z.string().nullable(),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
    assignments: z.array(
      z.object({
        unitId: z.uuid(),
        unitName: z.string(),
        role: z.string(),
        round: z.number().int(),
        status: z.string(),
        deadlineAt: nullableTs,
        signedInAt: nullableTs,
        assignedAt: ts,
        /** When the part ended (reply or opinion sent, re-assigned, or closed with the lead's reply). */
        endedAt: nullableTs.optional(),
      }),
    ),
    /** 退回修改: the text the reviewer saw at each submission, and what changed from the one before. */
    versions: z
      .array(
        z.object({
          version: z.number().int(),
          title: z.string(),
          content: z.string(),
          cosignerDeputyIds: z.array(z.string()),
          cosignerNames: z.array(z.string()),
          submittedAt: ts,
          changed: z.array(z.enum(['title', 'content', 'cosigners'])),
        }),
      )
      .optional(),
    deadlines: z.array(
      deadlineInfo.extend({
        scope: z.enum(['unit', 'item']),
        unitId: z.uuid().nullable(),
        unitName: z.string().nullable(),
        role: z.string().nullable(),
        round: z.number().int().nullable(),
      }),
    ),
    /** 满意度测评: the window of the reply waiting for the lead deputy's rating (null otherwise). */
    evaluationDeadline: deadlineInfo.extend({ round: z.number().int(), provisional: z.boolean() }).nullable(),
    contacts: z.array(
      z.looseObject({
        id: z.uuid(),
        unitId: z.uuid(),
        unitName: z.string(),
        contactedOn: z.string(),
        form: z.string(),
        summary: z.string(),
        createdAt: ts,
        createdByName: z.string().nullable(),
      }),
    ),
    opinions: z.array(replyRecord),
    replies: z.array(replyRecord),
    evaluations: z.array(
      z.looseObject({
        round: z.number().int(),
        rating: z.string(),
        comment: z.string().nullable(),
        createdAt: ts,
        ratedByName: z.string().nullable(),
      }),
    ),
    requests: z.array(
      unitRequestRecord.extend({
        requestedByName: z.string().nullable(),
        decidedByName: z.string().nullable(),
      }),
    ),
    cosignerEvaluations: z.array(
      z.looseObject({
        round: z.number().int(),
        deputyName: z.string(),
        rating: z.string(),
        comment: z.string().nullable(),
        createdAt: ts,
      }),
    ),
    replyReturns: z.array(
      z.looseObject({
        round: z.number().int(),
        unitName: z.string(),
        reason: z.string(),
        previousCategory: z.string().nullable(),
        previousBody: z.string().nullable(),
        createdAt: ts,
        returnedByName: z.string().nullable(),
      }),
    ),
    progressReports: z.array(
      z.looseObject({
        period: z.number().int(),
        unitName: z.string(),
        summary: z.string(),
        createdAt: ts,
        reportedByName: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'Timeline' });

export type SuggestionView = z.infer<typeof suggestionView>;
export type SuggestionListItem = z.infer<typeof suggestionListItem>;
export type SuggestionListPage = z.infer<typeof suggestionListPage>;
export type SuggestionStateView = z.infer<typeof suggestionState>;
export type UnitStateView = z.infer<typeof unitState>;
export type TimelineView = z.infer<typeof timelineView>;
export type DeadlineInfo = z.infer<typeof deadlineInfo>;
export type DeadlineLevel = z.infer<typeof deadlineLevel>;
